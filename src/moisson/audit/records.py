"""Input files of the audit: member / non-member texts and people to look for (MOD-02).

* members, non-members: ``{"id": str, "text": str}`` a line;
* people: ``{"id", "name", "email", "phone", "context"}`` a line (``email``/``phone`` may be
  empty); ``context`` is the text in which their data appeared, used as the prompt.

Bad records raise :class:`~moisson.errors.RecordError` naming the file, the line and the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moisson.errors import InputError, RecordError

__all__ = ("Person", "TextRecord", "iter_json_lines", "read_people", "read_texts")


@dataclass(frozen=True)
class TextRecord:
    id: str
    text: str


@dataclass(frozen=True)
class Person:
    """Someone whose identifiers must not come out of the model (RGT-01, RGT-06)."""

    id: str
    name: str
    email: str
    phone: str
    context: str

    def identifiers(self) -> dict[str, str]:
        """Non-empty identifiers by type."""
        found = {"name": self.name, "email": self.email, "phone": self.phone}
        return {k: v for k, v in found.items() if v.strip()}


def iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSONL file."""
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        msg = f"{path}: cannot read: {exc.strerror or exc}"
        raise InputError(msg, path=str(path)) from None
    with fh:
        try:
            for line_no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    reason = f"not valid JSON: {exc.msg}"
                    raise RecordError(reason, path=str(path), location=f"line {line_no}") from None
                except RecursionError:
                    reason = "not valid JSON: nested too deeply"
                    raise RecordError(reason, path=str(path), location=f"line {line_no}") from None
                except ValueError as exc:  # an integer past Python's digit limit, for one
                    reason = f"not valid JSON: {exc}"
                    raise RecordError(reason, path=str(path), location=f"line {line_no}") from None
                if not isinstance(obj, dict):
                    reason = "not a JSON object"
                    raise RecordError(reason, path=str(path), location=f"line {line_no}")
                yield line_no, obj
        except UnicodeDecodeError:
            msg = f"{path}: not UTF-8 text"
            raise InputError(msg, path=str(path)) from None


def _str_field(obj: dict[str, Any], key: str, path: Path, line_no: int, *, empty: bool) -> str:
    value = obj.get(key, "" if empty else None)
    if not isinstance(value, str) or (not empty and not value.strip()):
        reason = f"field '{key}' must be a {'string' if empty else 'non-empty string'}"
        raise RecordError(reason, path=str(path), location=f"line {line_no}")
    return value


def read_texts(path: Path) -> list[TextRecord]:
    records = [
        TextRecord(
            id=_str_field(obj, "id", path, n, empty=False),
            text=_str_field(obj, "text", path, n, empty=False),
        )
        for n, obj in iter_json_lines(path)
    ]
    if not records:
        msg = f"{path}: no records"
        raise InputError(msg, path=str(path))
    return records


def read_people(path: Path) -> list[Person]:
    people: list[Person] = []
    for n, obj in iter_json_lines(path):
        person = Person(
            id=_str_field(obj, "id", path, n, empty=False),
            name=_str_field(obj, "name", path, n, empty=True),
            email=_str_field(obj, "email", path, n, empty=True),
            phone=_str_field(obj, "phone", path, n, empty=True),
            context=_str_field(obj, "context", path, n, empty=False),
        )
        if not person.identifiers():
            reason = "no identifier (name, email or phone) to look for"
            raise RecordError(reason, path=str(path), location=f"line {n}")
        people.append(person)
    return people
