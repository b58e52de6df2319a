"""Format detection, HTML head metas, text extraction and language identification."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from moisson.errors import InputError
from moisson.sources import (
    detect_format,
    detect_language,
    extract_html_meta,
    html_to_text,
    open_reader,
)

WARC_HEAD = b"WARC/1.1\r\nWARC-Type: warcinfo\r\n"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.warc.gz", b"", "warc"),
        ("a.jsonl.zst", b"", "jsonl"),
        ("a.parquet", b"", "parquet"),
        ("crawl-00001", gzip.compress(WARC_HEAD), "warc"),
        ("dump.bin", zstandard.ZstdCompressor().compress(b'{"text": "x"}\n'), "jsonl"),
        ("export", b'  {"text": "x"}\n', "jsonl"),
        ("capture", WARC_HEAD, "warc"),
    ],
)
def test_detect_format_by_name_then_magic(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_format(path) == expected


def test_detect_format_parquet_magic_folder_and_unknown(tmp_path: Path) -> None:
    table = tmp_path / "table.bin"
    pq.write_table(pa.table({"text": ["x"]}), table)
    assert detect_format(table) == "parquet"
    assert detect_format(tmp_path) == "hf"
    unknown = tmp_path / "mystery.bin"
    unknown.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match=r"mystery\.bin: cannot tell the format"):
        detect_format(unknown)
    with pytest.raises(InputError, match="no such file"):
        open_reader(tmp_path / "absent.jsonl")
    with pytest.raises(InputError, match="unknown source format 'csv'"):
        open_reader(unknown, "csv")


def test_extract_html_meta_reads_the_head_only() -> None:
    page = """<!doctype html><html><head>
      <META NAME="Robots" CONTENT="noindex, noai">
      <meta http-equiv='X-Robots-Tag' content='noimageai'>
      <!-- <meta name="robots" content="commented-out"> -->
      <script>var s = '<meta name="robots" content="in-script">';</script>
      <meta property="og:title" content="L&#39;été &amp; nous">
      <meta name=tdm-reservation content=1>
      <meta name="tdm-policy" content="https://ed.fr/policy.json" />
      <meta charset="utf-8"><meta name="description">
    </head><body><meta name="robots" content="in-body"></body></html>"""
    assert extract_html_meta(page) == [
        ("robots", "noindex, noai"),
        ("x-robots-tag", "noimageai"),
        ("og:title", "L'été & nous"),
        ("tdm-reservation", "1"),
        ("tdm-policy", "https://ed.fr/policy.json"),
    ]
    assert extract_html_meta(page.encode()) == extract_html_meta(page)


@pytest.mark.parametrize(
    "broken",
    ["", "<", "<meta name='robots' content='unclosed", "<html><head><meta", "\x00\xff<<>>" * 100],
)
def test_broken_html_never_raises(broken: str) -> None:
    assert isinstance(extract_html_meta(broken), list)
    assert html_to_text(broken) == ""


def test_html_to_text_drops_boilerplate() -> None:
    paragraph = "Le conseil municipal a voté le budget de la commune pour l'année prochaine."
    page = (
        "<html><body><nav><a href='/'>Accueil</a><a href='/c'>Contact</a></nav>"
        f"<article><h1>Budget</h1><p>{paragraph}</p><p>{paragraph}</p></article>"
        "<footer>Mentions légales · Cookies</footer></body></html>"
    )
    text = html_to_text(page)
    assert paragraph in text
    assert "Mentions légales" not in text


def test_detect_language() -> None:
    lang, probability = detect_language(
        "Le conseil municipal s'est réuni mardi soir pour discuter du budget de la commune."
    )
    assert lang == "fr"
    assert probability > 0.9
    assert detect_language("The council met on Tuesday to discuss the town budget.")[0] == "en"
    assert detect_language("   ") == (None, 0.0)


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "hostile",
    [
        "<head><!--" + "-" * 200_000,
        "<head><script>" + "<" * 200_000,
        "<head><style>" + "</styl" * 40_000,
        "<head>" + "<meta " * 50_000,
    ],
)
def test_meta_extraction_is_linear_on_hostile_heads(hostile: str) -> None:
    assert extract_html_meta(hostile) == []
