"""Configuration of a register instance, from arguments or ``MOISSON_REGISTER_*`` variables.

Uvicorn workers build their app from the environment (``create_app_from_env``), so everything a
worker needs is expressible as a variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from moisson.errors import ConfigError
from moisson.registry.limits import DEFAULT_MAX_BODY_BYTES
from moisson.registry.mail import MailSender, MemoryMailSender, SmtpMailSender
from moisson.registry.proof import TxtResolver, UdpTxtResolver, parse_resolve_map

__all__ = ("DEFAULT_DATABASE_URL", "RegisterSettings")

DEFAULT_DATABASE_URL = "sqlite:///moisson-register.sqlite"


@dataclass
class RegisterSettings:
    """Where the register keeps its data and how it reaches the outside world."""

    database_url: str = DEFAULT_DATABASE_URL
    base_url: str = "http://127.0.0.1:8000"
    resolve: dict[str, str] = field(default_factory=dict)
    txt_resolver: TxtResolver = field(default_factory=UdpTxtResolver)
    mail: MailSender = field(default_factory=MemoryMailSender)
    deadline_days: int = 30  # GDPR art. 12(3): answer within one month
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES  # larger request bodies get 413

    @classmethod
    def from_env(cls, **overrides: object) -> RegisterSettings:
        """Settings from ``MOISSON_REGISTER_DATABASE_URL``, ``_BASE_URL``, ``_RESOLVE``, ``_SMTP``,
        ``_MAX_BODY_BYTES``."""
        env = os.environ
        settings = cls(
            database_url=env.get("MOISSON_REGISTER_DATABASE_URL", DEFAULT_DATABASE_URL),
            base_url=env.get("MOISSON_REGISTER_BASE_URL", "http://127.0.0.1:8000"),
            resolve=parse_resolve_map(env.get("MOISSON_REGISTER_RESOLVE", "")),
        )
        smtp = env.get("MOISSON_REGISTER_SMTP")  # host:port
        if smtp:
            host, _, port = smtp.rpartition(":")
            settings.mail = SmtpMailSender(host=host or "127.0.0.1", port=int(port or 25))
        max_body = env.get("MOISSON_REGISTER_MAX_BODY_BYTES")
        if max_body is not None:
            if not max_body.strip().isdigit() or int(max_body) < 1:
                msg = (
                    "MOISSON_REGISTER_MAX_BODY_BYTES must be a positive number of bytes, "
                    f"not {max_body!r}"
                )
                raise ConfigError(msg)
            settings.max_body_bytes = int(max_body)
        for key, value in overrides.items():
            setattr(settings, key, value)
        return settings
