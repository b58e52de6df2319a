"""Pluggable mail senders for objection confirmations (REG-03).

The register only ever holds an address for the time it takes to send the confirmation: senders
must not log it.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

__all__ = ("MailSender", "MemoryMailSender", "SmtpMailSender")


class MailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass
class SmtpMailSender:
    """Sends through an SMTP relay (plain SMTP on loopback in tests, STARTTLS when asked)."""

    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "register@moisson.invalid"
    starttls: bool = False
    timeout: float = 10.0

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            smtp.send_message(message)


@dataclass
class MemoryMailSender:
    """Keeps messages in memory: for the demo and for API tests that do not read mail."""

    outbox: list[tuple[str, str, str]] = field(default_factory=list)

    def send(self, to: str, subject: str, body: str) -> None:
        self.outbox.append((to, subject, body))
