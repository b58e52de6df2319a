"""The fast document path of the tabular readers gives exactly what Document.new gives (style.md §8)."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moisson.sources.fields import FieldMap, MalformedRecord, document_from_record, new_document
from moisson.store.document import Document

URLS = [
    "https://Presse.Example.FR/Article?id=3#commentaires",
    "http://a.fr",
    "HTTP://A.B.C/x?",
    "https://a.fr:443/p",
    "http://a.fr:8080/p",
    "https://user@a.fr/p",
    "https://a.fr./p",
    "https://[::1]/p",
    "https://bücher.de/é?q=é",
    " https://a.fr/p ",
    "https://a.fr/p\tq",
    "https://a.fr?x=1",
    "https://a.fr/p?q=1&r=2#",
    "ftp://files.a.fr/x y",
    "mailto:someone@a.fr",
    "/relative/path",
    "https://" + "x" * 70 + ".fr/long-label",
]


@pytest.mark.parametrize("url", URLS)
def test_fast_path_matches_document_new(url: str) -> None:
    assert new_document("texte", url=url, source_id="s1") == Document.new(
        "texte", url=url, source_id="s1"
    )


@settings(max_examples=100, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTPS", "ftp"]),
    host=st.from_regex(r"[A-Za-z0-9-]{1,12}(\.[A-Za-z0-9-]{1,12}){0,3}\.?", fullmatch=True),
    rest=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    text=st.text(min_size=1, max_size=20),
)
def test_fast_path_matches_document_new_on_generated_urls(
    scheme: str, host: str, rest: str, text: str
) -> None:
    url = f"{scheme}://{host}{rest}"
    try:
        expected = Document.new(text, url=url, source_id=None)
    except ValueError:
        with pytest.raises(ValueError):  # noqa: PT011 - whatever urllib says, both paths agree
            new_document(text, url=url, source_id=None)
        return
    assert new_document(text, url=url, source_id=None) == expected


def test_bad_url_is_a_malformed_record() -> None:
    with pytest.raises(MalformedRecord, match="invalid URL in field 'url'"):
        document_from_record(
            {"text": "x", "url": "http://[::1"}, FieldMap(), source_file="f", source_offset=1
        )


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("0001-01-01T00:00:00+14:00", None),  # year 0 in UTC
        ("9999-12-31T23:59:59-14:00", None),  # year 10000 in UTC
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        ("2024-05-06T10:00:00+02:00", datetime(2024, 5, 6, 8, tzinfo=UTC)),
        ("2024-05-06T10:00:00", datetime(2024, 5, 6, 10, tzinfo=UTC)),
        ("not a date", None),
    ],
)
def test_fetched_at_is_kept_only_if_the_store_can_hold_it(
    stamp: str, expected: datetime | None
) -> None:
    """A date that overflows in UTC poisoned every later read of its dataset (OverflowError)."""
    doc = document_from_record(
        {"text": "x", "fetched_at": stamp}, FieldMap(), source_file="f", source_offset=1
    )
    assert doc.fetched_at == expected
    stored = pa.array([doc.fetched_at], pa.timestamp("us", tz="UTC"))
    assert stored[0].as_py() == expected  # reads back, as `dataset export` does
