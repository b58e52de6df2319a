"""Deterministic benchmark inputs: a Common Crawl-like WARC and a JSONL dump.

The WARC mimics a CC segment: per page a ``request``, a ``response`` and a ``metadata`` record,
one gzip member each, ``WARC-Identified-Payload-Type`` set; HTML pages of 8-120 KB built from
templates (news, blog, shop, forum) with navigation, inline scripts/styles, sidebars and
footers around the main text; a few redirects, 404s, images and PDFs; response headers with
repeated ``Set-Cookie`` and, on some pages, ``X-Robots-Tag``/``tdm-reservation``.

    python bench/gen_corpus.py --pages 2000 --docs 50000 --out /tmp/moisson-bench
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = ("Corpus", "generate")

_WORDS_FR = (  # noqa: SIM905 - a word list reads better as one text
    "le la les un une des du de et à en pour sur avec dans par au aux ce cette ces qui que "
    "conseil municipal commune budget travaux place école marché rue quartier habitants "
    "maire projet réunion vote association culture sport festival musique théâtre "
    "bibliothèque transport bus vélo route pont rivière parc jardin forêt montagne mer plage "
    "été hiver printemps automne année mois semaine jour soir matin nouvelle ancienne grande "
    "petite public privé national régional départemental local économie emploi entreprise "
    "commerce santé hôpital médecin recherche université étudiants enseignement formation "
    "numérique données réseau internet site page article lecture rédaction journal presse "
    "information"
).split()
_WORDS_EN = (  # noqa: SIM905 - a word list reads better as one text
    "the a of and to in for on with by at from this that which who council city budget works "
    "square school market street district residents mayor project meeting vote association "
    "culture sport festival music theatre library transport bus bike road bridge river park "
    "garden forest mountain sea beach summer winter spring autumn year month week day "
    "evening morning new old great small public private national regional local economy jobs "
    "company trade health hospital doctor research university students teaching data network "
    "internet site page article reading newsroom newspaper press information"
).split()
_TEMPLATES = ("news", "blog", "shop", "forum")


@dataclass(frozen=True)
class Corpus:
    warc: Path
    jsonl: Path
    pages: int
    docs: int


def _sentence(rng: random.Random, words: list[str]) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(8, 28))]
    return " ".join(chosen).capitalize() + rng.choice((".", ".", ".", "!", "?"))


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(_sentence(rng, words) for _ in range(rng.randint(2, 7)))


def _boilerplate(rng: random.Random, host: str) -> tuple[str, str, str]:
    links = "".join(
        f'<li><a href="https://{host}/rubrique/{i}" class="nav-link">Rubrique {i}</a></li>'
        for i in range(rng.randint(8, 30))
    )
    nav = f'<header><div class="logo"><a href="/">{host}</a></div><nav><ul>{links}</ul></nav></header>'
    side = "".join(
        f'<div class="widget"><h3>À lire aussi {i}</h3><a href="/a/{rng.randint(1, 99999)}">'
        f"Lien {i}</a></div>"
        for i in range(rng.randint(3, 12))
    )
    footer = (
        "<footer><p>© 2024 "
        + host
        + " · Mentions légales · Politique de cookies · Contact</p>"
        + "".join(f'<a href="/p/{i}">Page {i}</a>' for i in range(rng.randint(10, 40)))
        + "</footer>"
    )
    return nav, f"<aside>{side}</aside>", footer


def _html(rng: random.Random, host: str, number: int) -> bytes:
    words = _WORDS_FR if rng.random() < 0.6 else _WORDS_EN
    template = rng.choice(_TEMPLATES)
    nav, side, footer = _boilerplate(rng, host)
    title = _sentence(rng, words)[:80]
    metas = ['<meta charset="utf-8">', f'<meta name="description" content="{title}">']
    if rng.random() < 0.15:
        metas.append('<meta name="robots" content="noai, noimageai">')
    if rng.random() < 0.1:
        metas.append('<meta name="tdm-reservation" content="1">')
    metas.append(f'<meta property="og:title" content="{title}">')
    script = "<script>window.dataLayer=[];" + "var x=1;" * rng.randint(50, 1500) + "</script>"
    style = "<style>" + ".c{color:#333;margin:0 auto}" * rng.randint(20, 600) + "</style>"
    paragraphs = [_paragraph(rng, words) for _ in range(rng.randint(3, 25))]
    if template == "forum":
        main = "".join(
            f'<div class="post"><span class="author">membre{rng.randint(1, 999)}</span><p>{p}</p></div>'
            for p in paragraphs
        )
    elif template == "shop":
        cells = "".join(
            f"<tr><td>Produit {i}</td><td>{rng.randint(1, 999)},{rng.randint(0, 99):02d} €</td></tr>"
            for i in range(rng.randint(3, 15))
        )
        main = f"<h1>{title}</h1><table>{cells}</table>" + "".join(
            f"<p>{p}</p>" for p in paragraphs
        )
    else:
        main = f"<h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    comments = "".join(
        f'<div class="comment"><p>{_sentence(rng, words)}</p></div>'
        for _ in range(rng.randint(0, 8))
    )
    page = (
        f'<!DOCTYPE html><html lang="fr"><head><title>{title}</title>{"".join(metas)}'
        f"{style}{script}</head><body>{nav}<main><article>{main}</article>"
        f'<section class="comments">{comments}</section></main>{side}{footer}</body></html>'
    )
    return page.encode("utf-8")


def _warc_record(warc_type: str, uri: str, date: str, block: bytes, extra: list[str]) -> bytes:
    content_type = {
        "request": "application/http; msgtype=request",
        "response": "application/http; msgtype=response",
        "metadata": "application/warc-fields",
    }[warc_type]
    head = [
        "WARC/1.0",
        f"WARC-Type: {warc_type}",
        f"WARC-Date: {date}",
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=random.getrandbits(128))}>",
        f"WARC-Target-URI: {uri}",
        *extra,
        f"Content-Type: {content_type}",
        f"Content-Length: {len(block)}",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def _response(rng: random.Random, host: str, number: int) -> tuple[int, str, str, bytes]:
    roll = rng.random()
    if roll < 0.03:
        return 301, "Moved Permanently", "text/html", b"<html><body>Moved</body></html>"
    if roll < 0.05:
        return 404, "Not Found", "text/html", _html(rng, host, number)
    if roll < 0.08:
        return (
            200,
            "OK",
            "image/jpeg",
            bytes(rng.getrandbits(8) for _ in range(rng.randint(2000, 20000))),
        )
    if roll < 0.09:
        return 200, "OK", "application/pdf", b"%PDF-1.4\n" + b"0" * rng.randint(5000, 50000)
    return 200, "OK", "text/html", _html(rng, host, number)


def write_warc(path: Path, pages: int, seed: int) -> None:
    rng = random.Random(seed)
    random.seed(seed)  # record ids
    hosts = [f"www.site{i}.example.fr" for i in range(200)]
    with path.open("wb") as out:
        for number in range(pages):
            host = rng.choice(hosts)
            uri = f"https://{host}/articles/{number}-{rng.randint(1000, 9999)}.html"
            date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
            status, reason, mime, body = _response(rng, host, number)
            request = (
                f"GET /articles/{number}.html HTTP/1.1\r\nHost: {host}\r\n"
                "User-Agent: moisson-bench/1.0\r\nAccept: text/html\r\n\r\n"
            ).encode()
            headers = [
                f"HTTP/1.1 {status} {reason}",
                "Date: Tue, 02 Jan 2024 10:00:00 GMT",
                "Server: nginx",
                f"Content-Type: {mime}; charset=utf-8"
                if mime == "text/html"
                else f"Content-Type: {mime}",
                f"Set-Cookie: session={rng.getrandbits(64):x}; Path=/; HttpOnly",
                f"Set-Cookie: consent=0; Path=/; Max-Age={rng.randint(1000, 99999)}",
                "Cache-Control: max-age=600",
                "Vary: Accept-Encoding",
            ]
            if status == 301:
                headers.append(f"Location: https://{host}/new/{number}")
            if rng.random() < 0.1:
                headers.append("X-Robots-Tag: noai, noimageai")
            if rng.random() < 0.05:
                headers.append("tdm-reservation: 1")
            headers.append(f"Content-Length: {len(body)}")
            http = ("\r\n".join(headers) + "\r\n\r\n").encode() + body
            extra = [f"WARC-Identified-Payload-Type: {mime}"]
            for record in (
                _warc_record("request", uri, date, request, []),
                _warc_record("response", uri, date, http, extra),
                _warc_record("metadata", uri, date, b"fetchTimeMs: 120\r\n", []),
            ):
                out.write(gzip.compress(record, compresslevel=6, mtime=0))


def write_jsonl(path: Path, docs: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    with path.open("w", encoding="utf-8") as out:
        for number in range(docs):
            words = _WORDS_FR if rng.random() < 0.6 else _WORDS_EN
            text = "\n\n".join(_paragraph(rng, words) for _ in range(rng.randint(2, 12)))
            record = {
                "id": f"doc-{number}",
                "url": f"https://www.site{rng.randint(0, 199)}.example.fr/d/{number}",
                "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T00:00:00Z",
                "text": text,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def generate(out: Path, *, pages: int, docs: int, seed: int = 20240101) -> Corpus:
    """Write (or reuse, when already there) the corpus for these parameters."""
    out.mkdir(parents=True, exist_ok=True)
    warc = out / f"bench-{pages}p-s{seed}.warc.gz"
    jsonl = out / f"bench-{docs}d-s{seed}.jsonl"
    if not warc.exists():
        partial = warc.with_suffix(".partial")
        write_warc(partial, pages, seed)
        partial.rename(warc)
    if not jsonl.exists():
        partial = jsonl.with_suffix(".partial")
        write_jsonl(partial, docs, seed)
        partial.rename(jsonl)
    return Corpus(warc=warc, jsonl=jsonl, pages=pages, docs=docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4000)
    parser.add_argument("--docs", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "moisson-bench")
    args = parser.parse_args()
    corpus = generate(args.out, pages=args.pages, docs=args.docs, seed=args.seed)
    for path in (corpus.warc, corpus.jsonl):
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
