"""Build the labelled PII evaluation set: ``python bench/data/pii_eval/generate.py``.

Writes ``eval.jsonl`` beside this file: one line per document with ``id``, ``lang``, ``genre``,
``text``, ``spans`` (``start``, ``end``, ``label``, Python string offsets) and ``sensitive``
(special categories present). Deterministic (seeded); hand-written documents are in
``hand_written.jsonl`` (inline ``[[LABEL|value]]`` markup) and are appended.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from templates import TEMPLATES
from values import Values

_FIELD = re.compile(r"\{([A-Za-z_]+)\}")
_MARKUP = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]")
COPIES = 6


def _value(v: Values, field: str, lang: str) -> list[tuple[str, str | None]]:
    """Pieces of text for a field, each with its label (None: not personal data)."""
    simple: dict[str, Callable[[], str]] = {
        "PERSON": lambda: v.name(lang),
        "EMAIL": lambda: v.email(lang),
        "EMAIL_OBF": lambda: v.email_obfuscated(lang),
        "PHONE": lambda: v.phone(lang),
        "ADDRESS": lambda: v.address(lang),
        "IBAN": v.iban,
        "CARD": v.card,
        "NIR": v.nir,
        "SIRET": v.siret,
        "SIREN": v.spaced_siren,
        "IP": v.ip,
        "DOB": lambda: v.date(lang),
    }
    labels = {"EMAIL_OBF": "EMAIL", "CARD": "CREDIT_CARD", "NIR": "FR_NIR", "SIRET": "FR_SIRET",
              "SIREN": "FR_SIREN", "IP": "IP_ADDRESS", "DOB": "DATE_OF_BIRTH"}  # fmt: skip
    if field == "HOST_ADDRESS":  # a company's address is still a street address
        return [("2 rue Kellermann, 59100 Roubaix", "ADDRESS")]
    if field == "MR":
        title = v.r.choice(
            ("M.", "Mme", "Monsieur", "Madame") if lang == "fr" else ("Mr", "Mrs", "Ms", "Dr")
        )
        return [(title + " ", None), (v.surname(lang), "PERSON")]
    if field in simple:
        return [(simple[field](), labels.get(field, field))]
    negative: dict[str, Callable[[], str]] = {
        "bad_card": v.bad_card, "bad_iban": v.bad_iban, "bad_nir": v.bad_nir, "isbn": v.isbn,
        "version": v.version, "price": lambda: v.price(lang), "private_ip": v.private_ip,
        "order": v.order, "historic": v.historic, "company": v.company,
    }  # fmt: skip
    return [(negative[field](), None)]


def render(template: str, v: Values, lang: str) -> tuple[str, list[dict[str, Any]]]:
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    length = 0
    cursor = 0
    for match in _FIELD.finditer(template):
        literal = template[cursor : match.start()]
        parts.append(literal)
        length += len(literal)
        for piece, label in _value(v, match.group(1), lang):
            if label is not None:
                spans.append({"start": length, "end": length + len(piece), "label": label})
            parts.append(piece)
            length += len(piece)
        cursor = match.end()
    parts.append(template[cursor:])
    return "".join(parts), spans


def parse_markup(marked: str) -> tuple[str, list[dict[str, Any]]]:
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    length = cursor = 0
    for match in _MARKUP.finditer(marked):
        literal = marked[cursor : match.start()]
        parts.append(literal)
        length += len(literal)
        value = match.group(2)
        spans.append({"start": length, "end": length + len(value), "label": match.group(1)})
        parts.append(value)
        length += len(value)
        cursor = match.end()
    parts.append(marked[cursor:])
    return "".join(parts), spans


def build(seed: int = 20261126) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    values = Values(rng)
    docs: list[dict[str, Any]] = []
    for t_index, (genre, lang, template, sensitive) in enumerate(TEMPLATES):
        copies = COPIES if "{" in template else 1
        for copy in range(copies):
            text, spans = render(template, values, lang)
            docs.append({"id": f"gen-{t_index:03d}-{copy}", "lang": lang, "genre": genre,
                         "text": text, "spans": spans, "sensitive": list(sensitive)})  # fmt: skip
    hand = Path(__file__).with_name("hand_written.jsonl")
    for line in hand.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            text, spans = parse_markup(record["marked"])
            docs.append({"id": record["id"], "lang": record["lang"], "genre": record["genre"],
                         "text": text, "spans": spans, "sensitive": record.get("sensitive", [])})  # fmt: skip
    return docs


def main() -> None:
    out = Path(__file__).with_name("eval.jsonl")
    docs = build()
    with out.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    n_spans = sum(len(d["spans"]) for d in docs)
    empty = sum(1 for d in docs if not d["spans"])
    print(f"{len(docs)} documents, {n_spans} spans, {empty} without personal data -> {out}")


if __name__ == "__main__":
    main()
