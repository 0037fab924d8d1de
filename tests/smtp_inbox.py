"""A real SMTP server on loopback (aiosmtpd) that keeps every message the app sends, for the
tests of e-mails: the app's own SMTP client talks to it, nothing is mocked."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler that keeps every message it is sent, and each one's recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        self.recipients.append(sorted(envelope.rcpt_tos))
        return "250 Message accepted"

    def clear(self) -> None:
        self.messages.clear()
        self.recipients.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(app, monkeypatch) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    """The SMTP server, started on a free port, as the app's mail server for one test."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    try:
        yield handler
    finally:
        controller.stop()
