"""The QA lead's narrative as blocks for the documents: plain text in which blank lines part
paragraphs and lines starting '- ' (or '* ', '•') are bullets. Nothing in it is read as
markup: the blocks carry the text as it was written, less control characters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_audit.core.spreadsheets import cleaned

BULLET = re.compile(r"^\s*[-*•]\s+")


@dataclass(frozen=True)
class Block:
    """A paragraph (``bullets`` empty) or a bullet list (``text`` empty)."""

    text: str = ""
    bullets: tuple[str, ...] = ()


def blocks(body: str) -> list[Block]:
    """``body`` as paragraphs and bullet lists, in order."""
    out: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(Block(text=" ".join(paragraph)))
            paragraph.clear()
        if bullets:
            out.append(Block(bullets=tuple(bullets)))
            bullets.clear()

    for line in str(cleaned(body or "")).splitlines():
        if not line.strip():
            flush()
        elif BULLET.match(line):
            if paragraph:
                flush()
            bullets.append(BULLET.sub("", line, count=1).strip())
        else:
            if bullets:
                flush()
            paragraph.append(line.strip())
    flush()
    return out
