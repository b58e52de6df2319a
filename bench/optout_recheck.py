"""Re-check throughput from cached site files (issue 3 acceptance: >= 20,000 docs/s/core).

Builds a synthetic stored corpus (documents with recorded response headers and page meta,
spread over many origins), warms the per-origin site-file cache once (robots.txt with AI
groups and Content-Usage/Content-Signal lines, tdmrep.json, ai.txt), then times, in one
process on one core:

* moisson ``recheck_documents(..., live=True)``: every family, cached site files;
* Protego ``can_fetch`` for the same tokens on cached parsers (robots.txt only, Apertus-style);
* datadiligence ``XRobotsTagHeader`` + ``TDMRepHeader`` on the same headers (headers only).

    .venv/bin/python bench/optout_recheck.py [--quick] [--docs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from http.client import HTTPMessage
from pathlib import Path
from typing import Any

from moisson.optout import FetchResult, OptoutEngine, recheck_documents
from moisson.optout._urls import origin_of
from moisson.store.document import Document

TOKENS = ["moisson-bot", "GPTBot", "Google-Extended", "CCBot", "ClaudeBot", "anthropic-ai"]

ROBOTS_VARIANTS = [
    b"User-agent: *\nDisallow: /admin/\nDisallow: /search\nAllow: /search/about\nSitemap: https://x/sitemap.xml\n",
    b"User-agent: GPTBot\nDisallow: /\n\nUser-agent: CCBot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\nDisallow: /*.pdf$\n",
    b"User-agent: *\nContent-Signal: search=yes, ai-train=no\nAllow: /\n",
    b"User-agent: *\nAllow: /\nContent-Usage: train-ai=n\nContent-Usage: /open/ train-ai=y\n",
    b"User-agent: Google-Extended\nDisallow: /news/\n\nUser-agent: *\nDisallow: /tmp/\nDisallow: /*?session=\n",
]
TDM_VARIANTS = [
    None,
    b'[{"location":"/premium/","tdm-reservation":1},{"location":"/","tdm-reservation":0}]',
]


class MemoryFetcher:
    """Serves the synthetic site files from memory (a SiteFileFetcher, no network)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def fetch(self, url: str) -> FetchResult:
        body = self.files.get(url)
        if body is None:
            return FetchResult(url, 404, [], b"not found", url)
        return FetchResult(url, 200, [("content-type", "text/plain")], body, url)


def build_corpus(
    n_docs: int, n_origins: int, seed: int = 7
) -> tuple[list[Document], dict[str, bytes]]:
    rng = random.Random(seed)
    files: dict[str, bytes] = {}
    origins = [f"https://site{i}.example" for i in range(n_origins)]
    for origin in origins:
        # Mix close to what Apertus and the Tranco-1M study saw: most sites block no AI token.
        files[f"{origin}/robots.txt"] = rng.choices(ROBOTS_VARIANTS, weights=[80, 8, 5, 2, 5])[0]
        tdm = TDM_VARIANTS[rng.random() < 0.05]
        if tdm is not None:
            files[f"{origin}/.well-known/tdmrep.json"] = tdm
    sections = ["news", "blog", "premium", "open", "private", "search", "docs"]
    weights = [40, 30, 5, 5, 2, 3, 15]
    docs: list[Document] = []
    for j in range(n_docs):
        origin = origins[rng.randrange(n_origins)]
        url = (
            f"{origin}/{rng.choices(sections, weights)[0]}/{j}/article-{rng.randrange(10**6)}.html"
        )
        headers = [
            ("Date", "Tue, 03 Mar 2026 10:00:00 GMT"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Server", "nginx"),
            ("Cache-Control", "max-age=600"),
        ]
        r = rng.random()
        if r < 0.03:
            headers.append(("X-Robots-Tag", "noai, noimageai"))
        elif r < 0.05:
            headers.append(("Content-Usage", "train-ai=n"))
        elif r < 0.06:
            headers.append(("tdm-reservation", "1"))
        meta = [("viewport", "width=device-width"), ("description", "An article")]
        if rng.random() < 0.03:
            meta.append(("robots", "noai"))
        docs.append(
            Document(doc_id=f"d{j}", text="x", url=url, http_headers=headers, html_meta=meta)
        )
    return docs, files


Timing = tuple[float, float, int]  # (wall seconds, CPU seconds of this process, removed)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def bench_moisson(docs: list[Document], files: dict[str, bytes]) -> Timing:
    engine = OptoutEngine(TOKENS, MemoryFetcher(files))
    for origin in {origin_of(d.url or "") for d in docs}:  # warm the cache once per origin
        engine.snapshot(f"{origin[0]}://{origin[1]}/")
    wall, cpu = _clock()
    _kept, report = recheck_documents(docs, engine, live=True)
    return time.perf_counter() - wall, time.process_time() - cpu, len(report.removed)


def bench_protego(docs: list[Document], files: dict[str, bytes]) -> Timing:
    from protego import Protego

    parsers = {
        url.rsplit("/robots.txt", 1)[0]: Protego.parse(body.decode())
        for url, body in files.items()
        if url.endswith("/robots.txt")
    }
    wall, cpu = _clock()
    removed = 0
    for doc in docs:
        url = doc.url or ""
        origin = url.split("/", 3)
        parser = parsers["/".join(origin[:3])]
        if not all(parser.can_fetch(url, token) for token in TOKENS):
            removed += 1
    return time.perf_counter() - wall, time.process_time() - cpu, removed


def bench_datadiligence(docs: list[Document]) -> Timing:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        from datadiligence.rules import TDMRepHeader, XRobotsTagHeader

    xrt = XRobotsTagHeader(user_agent="moisson-bot")
    tdm = TDMRepHeader()
    wall, cpu = _clock()
    removed = 0
    for doc in docs:
        msg = HTTPMessage()
        for k, v in doc.http_headers:
            msg[k] = v
        if not (xrt.is_allowed(headers=msg) and tdm.is_allowed(headers=msg)):
            removed += 1
    return time.perf_counter() - wall, time.process_time() - cpu, removed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 documents instead of 200,000")
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--origins", type=int, default=2000)
    args = parser.parse_args()
    n = args.docs or (20_000 if args.quick else 200_000)
    docs, files = build_corpus(n, args.origins)
    rows: list[tuple[str, str, Timing]] = [
        (
            "moisson recheck, cached site files",
            "all (robots.txt + Content-Usage + Content-Signal, ai.txt, tdmrep.json, X-Robots-Tag, TDMRep headers/meta, Content-Usage header, meta robots)",
            bench_moisson(docs, files),
        ),
        (
            "Protego can_fetch x 6 tokens, cached parsers",
            "robots.txt only",
            bench_protego(docs, files),
        ),
        (
            "datadiligence XRobotsTagHeader + TDMRepHeader",
            "2 headers only",
            bench_datadiligence(docs),
        ),
    ]
    cpu: Any = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"documents: {n}, origins: {args.origins}, nproc: {os.cpu_count()}, CPU: {cpu}, Python {platform.python_version()}"
    )
    print(
        f"load average at start: {os.getloadavg()[0]:.1f}; docs/s per core = documents / CPU seconds of the process\n"
    )
    print(
        "| tool | families evaluated | wall s | CPU s | docs/s per core (CPU) | docs/s (wall) | removed |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, fams, (wall, cpu, removed) in rows:
        print(
            f"| {name} | {fams} | {wall:.2f} | {cpu:.2f} | {n / cpu:,.0f} | {n / wall:,.0f} | {removed} |"
        )


if __name__ == "__main__":
    main()
