"""The narrative's plain text as blocks a template draws: paragraphs split by blank lines,
lines starting "- " are bullets. Nothing in the text is ever read as markup: the blocks carry
plain strings, which the templates escape."""

from __future__ import annotations

from typing import NamedTuple

BULLET = "- "


class Block(NamedTuple):
    """A paragraph (``kind`` "p", one item) or a bullet list ("ul", its items)."""

    kind: str
    items: tuple[str, ...]


def blocks(text: str | None) -> list[Block]:
    """The paragraphs and bullet lists of a narrative, in order."""
    out: list[Block] = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        bullets: list[str] = []
        for line in lines:
            if line.startswith(BULLET.strip()) and (line == "-" or line.startswith(BULLET)):
                if paragraph:
                    out.append(Block("p", (" ".join(paragraph),)))
                    paragraph = []
                bullets.append(line[len(BULLET) :].strip())
            else:
                if bullets:
                    out.append(Block("ul", tuple(bullets)))
                    bullets = []
                paragraph.append(line)
        if paragraph:
            out.append(Block("p", (" ".join(paragraph),)))
        if bullets:
            out.append(Block("ul", tuple(bullets)))
    return out
