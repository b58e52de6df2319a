"""WARC reader: HTTP headers kept as archived (SCR-05/06/13 re-checks), skips counted, cuts located."""

from __future__ import annotations

import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zstandard
from sources_files import Page, html_page, warc_record, write_warc

from cpu_growth import best_cpu_seconds
from moisson.errors import InputError, RecordError
from moisson.sources import open_reader
from moisson.sources.html import has_many_table_cells, html_to_text

ARTICLE = [
    "La moisson des données publiques doit respecter les choix des éditeurs de sites.",
    "Chaque page collectée garde ses en-têtes HTTP pour les vérifications ultérieures.",
    "Le texte principal est extrait sans les menus ni les pieds de page du site.",
]


def _pages() -> list[Page]:
    head = (
        '<meta name="robots" content="noai, noimageai">'
        '<meta name="tdm-reservation" content="1">'
        '<meta charset="utf-8">'
    )
    return [
        Page(
            "https://presse.example.fr/a1",
            html_page("Article un", ARTICLE, head),
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Set-Cookie", "a=1"),
                ("X-Robots-Tag", "noai"),
                ("Set-Cookie", "b=2"),
                ("tdm-reservation", "1"),
            ],
        ),
        Page("https://presse.example.fr/moved", b"", status=301, reason="Moved"),
        Page(
            "https://presse.example.fr/logo.png",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            headers=[("Content-Type", "image/png")],
        ),
        Page("https://presse.example.fr/info", b"{}", warc_type="warcinfo"),
        Page(
            "dns:presse.example.fr",
            b"20240506070809\npresse.example.fr. 300 IN A 10.0.0.1\n",
            http=False,
        ),
        Page("https://presse.example.fr/missing", html_page("404", ["absent"]), status=404),
        Page("https://presse.example.fr/empty", b"<html><head></head><body></body></html>"),
        Page(
            "https://presse.example.fr/latin",
            html_page("Été", ["Une journée d'été très chaude à Besançon, près du Doubs."] * 3)
            .decode()
            .encode("iso-8859-1"),
            headers=[("Content-Type", "text/html; charset=iso-8859-1")],
        ),
        Page(
            "https://presse.example.fr/broken",
            b"<html><head><title>x</title><body><p>Texte d'une page au balisage cass\xc3\xa9 "
            b"<div><table><tr><td>cellule<p>encore du texte</b></i></html></div><<<>>>",
        ),
        Page(
            "https://presse.example.fr/notes.txt",
            "Des notes en texte brut, conservées telles quelles.".encode(),
            headers=[("Content-Type", "text/plain; charset=utf-8")],
        ),
    ]


def test_documents_keep_headers_meta_and_provenance(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = write_warc(path, _pages())
    reader = open_reader(path)
    errors: list[RecordError] = []
    docs = list(reader.read(on_error=errors.append))
    assert errors == []
    by_url = {d.url: d for d in docs}
    assert set(by_url) == {
        "https://presse.example.fr/a1",
        "https://presse.example.fr/latin",
        "https://presse.example.fr/broken",
        "https://presse.example.fr/notes.txt",
    }
    first = by_url["https://presse.example.fr/a1"]
    assert first.http_headers == [
        (":status", "200"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Set-Cookie", "a=1"),
        ("X-Robots-Tag", "noai"),
        ("Set-Cookie", "b=2"),
        ("tdm-reservation", "1"),
    ]
    assert first.header_values("set-cookie") == ["a=1", "b=2"]
    assert first.html_meta == [("robots", "noai, noimageai"), ("tdm-reservation", "1")]
    assert ARTICLE[1] in first.text
    assert "Article un" in first.text
    assert first.source_id == "<urn:uuid:00000000-0000-0000-0000-000000000000>"
    assert first.fetched_at == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert first.source_offset == offsets[0]
    assert by_url["https://presse.example.fr/latin"].source_offset == offsets[7]
    assert "Besançon" in by_url["https://presse.example.fr/latin"].text
    assert "balisage cassé" in by_url["https://presse.example.fr/broken"].text
    assert by_url["https://presse.example.fr/notes.txt"].html_meta == []
    assert reader.stats["skipped/status"] == 2
    assert reader.stats["skipped/non_html"] == 1
    assert reader.stats["skipped/empty_text"] == 1
    assert reader.stats["skipped/not_http"] == 1
    assert reader.stats["records"] == 9  # the warcinfo record is not a response
    assert reader.stats["documents"] == 4


@pytest.mark.parametrize("compress", [True, False])
def test_truncated_warc_reports_the_cut_record_offset(tmp_path: Path, compress: bool) -> None:
    pages = [Page(f"https://ex.fr/{i}", html_page(f"Page {i}", ARTICLE)) for i in range(5)]
    path = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    offsets = write_warc(path, pages, compress=compress)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 120])
    errors: list[RecordError] = []
    docs = list(open_reader(path).read(on_error=errors.append))
    assert [d.url for d in docs] == [f"https://ex.fr/{i}" for i in range(4)]
    assert [e.location for e in errors] == [f"offset {offsets[4]}"]
    assert "cut short" in errors[0].reason
    with pytest.raises(RecordError, match=rf"at offset {offsets[4]}: record cut short"):
        list(open_reader(path).read())


def test_garbage_file_and_garbage_after_records(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"this is not a WARC file\r\n" * 40)
    with pytest.raises(InputError, match=r"garbage\.warc: not a readable WARC file"):
        list(open_reader(garbage).read())
    path = tmp_path / "tail.warc"
    offsets = write_warc(path, [Page("https://ex.fr/a", html_page("A", ARTICLE))], compress=False)
    with path.open("ab") as handle:
        handle.write(b"GARBAGE\r\n\r\n" * 20)
    errors: list[RecordError] = []
    docs = list(open_reader(path).read(on_error=errors.append))
    assert [d.url for d in docs] == ["https://ex.fr/a"]
    assert [e.location for e in errors] == [f"offset {offsets[0]}"]
    assert "unreadable WARC data" in errors[0].reason


def test_zstd_warc_and_chunked_payload(tmp_path: Path) -> None:
    body = html_page("Chunked", ARTICLE)
    chunked = (
        b"".join(b"%x\r\n" % len(part) + part + b"\r\n" for part in (body[:100], body[100:]))
        + b"0\r\n\r\n"
    )
    page = Page(
        "https://ex.fr/chunked",
        chunked,
        headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
    )
    path = tmp_path / "crawl.warc.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(warc_record(page, 0)))
    (doc,) = list(open_reader(path).read())
    assert ARTICLE[2] in doc.text
    assert ("Transfer-Encoding", "chunked") in doc.http_headers


def test_bad_target_uri_is_a_record_error(tmp_path: Path) -> None:
    path = tmp_path / "uri.warc.gz"
    pages = [
        Page("http://[::1/broken", html_page("A", ARTICLE)),
        Page("https://ex.fr/ok", html_page("B", ARTICLE)),
    ]
    offsets = write_warc(path, pages)
    errors: list[RecordError] = []
    docs = list(open_reader(path).read(on_error=errors.append))
    assert [d.url for d in docs] == ["https://ex.fr/ok"]
    assert [e.location for e in errors] == [f"offset {offsets[0]}"]
    assert errors[0].reason.startswith("invalid WARC-Target-URI")


def test_hostile_encodings_are_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    """A negative chunk size once sent the reader back into the payload for ever; a gzip
    bomb inflated to gigabytes. Both are skipped, counted, and the next record is read."""
    import gzip

    bomb = gzip.compress(b"<p>" + b" " * 50_000_000 + b"</p>", mtime=0)  # 49 kB -> 50 MB
    pages = [
        Page(
            "https://ex.fr/loop",
            b"-fffffff\r\n" + html_page("Loop", ARTICLE),
            headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
        ),
        Page(
            "https://ex.fr/bomb",
            bomb,
            headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        ),
        Page("https://ex.fr/ok", html_page("OK", ARTICLE)),
    ]
    path = tmp_path / "hostile.warc.gz"
    write_warc(path, pages)
    reader = open_reader(path, max_record_bytes=10_000_000)

    def stuck(*_: object) -> None:
        raise TimeoutError("the reader loops on the chunked payload")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(30)
    try:
        docs = list(reader.read())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [d.url for d in docs] == ["https://ex.fr/ok"]
    assert reader.stats["skipped/encoding"] == 1
    assert reader.stats["skipped/too_large"] == 1


_HOSTILE_TEXT = (" ".join(ARTICLE) + " ").encode() * 2 + b"\x80\x81 +2AA- \\ud800 fin"


@pytest.mark.parametrize(
    "charset",
    ["idna", "punycode", "undefined", "utf-7", "unicode_escape", "raw_unicode_escape", "base64"],
)
def test_non_text_charsets_fall_back_and_leave_no_surrogates(tmp_path: Path, charset: str) -> None:
    """A site-declared ``idna`` or ``undefined`` raised even with errors="replace" and ended
    the file; ``utf-7`` and the escape codecs made lone surrogates that the PII stage and the
    Parquet writer later crashed on. The declared charset is ignored, the next one is used."""
    plain = [("Content-Type", f"text/plain; charset={charset}")]
    html = [("Content-Type", f"text/html; charset={charset}")]
    meta = f'<meta name="robots" content="noai"><meta charset="{charset}">'
    pages = [
        Page("https://ex.fr/plain", _HOSTILE_TEXT, headers=plain),
        Page("https://ex.fr/html", html_page("Titre", ARTICLE, meta) + b"\xe9", headers=html),
        # No header charset, not UTF-8: the <meta charset> is the candidate that is refused.
        Page(
            "https://ex.fr/meta",
            html_page("Titre", ARTICLE, meta) + b"\xe9",
            headers=[("Content-Type", "text/html")],
        ),
        Page("https://ex.fr/ok", html_page("OK", ARTICLE)),
    ]
    path = tmp_path / "charsets.warc.gz"
    write_warc(path, pages)
    errors: list[RecordError] = []
    docs = list(open_reader(path).read(on_error=errors.append))
    assert errors == []
    assert [d.url for d in docs] == [p.url for p in pages]
    for doc in docs:
        doc.text.encode("utf-8")  # no lone surrogate left: Parquet and PII need valid UTF-8
        for name, value in doc.html_meta:
            (name + value).encode("utf-8")
        assert ARTICLE[2] in doc.text  # ASCII: the same under whichever fallback
    assert "+2AA- \\ud800 fin" in docs[0].text  # cp1252 fallback keeps the bytes as written
    assert ("robots", "noai") in docs[2].html_meta


def test_unparseable_status_line_is_a_record_error_and_reading_goes_on(tmp_path: Path) -> None:
    """FastWARC leaves the status unset on a garbage or 19-digit status line; ``200 <= None``
    was a TypeError that ended the file."""
    good = Page("https://ex.fr/ok", html_page("OK", ARTICLE))
    garbage = warc_record(good, 0).replace(b"HTTP/1.1 200 OK", b"garbage line!!!")
    huge = warc_record(Page("https://ex.fr/huge", html_page("H", ARTICLE), status=10**19), 1)
    path = tmp_path / "status.warc"
    path.write_bytes(garbage + huge + warc_record(good, 2))
    errors: list[RecordError] = []
    reader = open_reader(path)
    docs = list(reader.read(on_error=errors.append))
    assert [d.url for d in docs] == ["https://ex.fr/ok"]
    assert [e.location for e in errors] == ["offset 0", f"offset {len(garbage)}"]
    assert all(e.reason == "unparseable HTTP status line in the response record" for e in errors)
    assert all(e.path == str(path) for e in errors)
    assert errors[0].raw is not None and ARTICLE[0].encode() in errors[0].raw  # quarantined
    assert reader.stats["malformed"] == 2


@pytest.mark.parametrize("length", ["-5", "abc", "99999999999999999999999"])
def test_invalid_warc_content_length_is_named(tmp_path: Path, length: str) -> None:
    record = warc_record(Page("https://ex.fr/a", html_page("A", ARTICLE)), 0)
    start = record.index(b"Content-Length: ") + len(b"Content-Length: ")
    end = record.index(b"\r\n", start)
    path = tmp_path / "length.warc"
    path.write_bytes(record[:start] + length.encode() + record[end:])
    errors: list[RecordError] = []
    assert list(open_reader(path).read(on_error=errors.append)) == []
    assert errors[0].location == "offset 0"
    assert errors[0].reason == f"invalid WARC Content-Length {length!r}"


def test_year_zero_warc_date_is_a_bad_warc_date(tmp_path: Path) -> None:
    """FastWARC parses the date, then datetime refuses year 0: once reported as an invalid
    WARC-Target-URI, the wrong field."""
    pages = [
        Page("https://ex.fr/y0", html_page("Y0", ARTICLE), date="0000-01-01T00:00:00Z"),
        Page("https://ex.fr/ok", html_page("OK", ARTICLE)),
    ]
    path = tmp_path / "date.warc.gz"
    offsets = write_warc(path, pages)
    errors: list[RecordError] = []
    docs = list(open_reader(path).read(on_error=errors.append))
    assert [d.url for d in docs] == ["https://ex.fr/ok"]
    assert [e.location for e in errors] == [f"offset {offsets[0]}"]
    assert errors[0].reason == "invalid WARC-Date: year 0 is out of range"


def _one_row_table(cells: int) -> str:
    return "<html><body><table><tr>" + "<td>x</td>" * cells + "</tr></table></body></html>"


def _extraction_cost(page: str) -> float:
    return best_cpu_seconds(lambda: html_to_text(page))


def test_table_extraction_time_grows_linearly_with_the_cells_of_a_row() -> None:
    """trafilatura reads the row built so far for each cell: 64,000 cells in one row (640 KB)
    took 12.4 s. Past MAX_TABLE_CELLS the tables are left out; their cells' text stays."""
    small, large = _one_row_table(16_000), _one_row_table(64_000)
    html_to_text(small)  # trafilatura's import and set-up out of the measure
    ratio = _extraction_cost(large) / max(_extraction_cost(small), 1e-4)
    assert ratio < 9, f"4 times the cells took {ratio:.1f} times as long"
    assert html_to_text(small).count("x") == 16_000


def test_small_tables_are_still_extracted_as_tables() -> None:
    rows = "".join(f"<tr><td>ligne {i}</td><td>valeur {i}</td></tr>" for i in range(20))
    page = f"<html><body><article><p>{ARTICLE[0]}</p><table>{rows}</table></article></body></html>"
    assert not has_many_table_cells(page)
    assert "| ligne 3 | valeur 3 |" in html_to_text(page)
