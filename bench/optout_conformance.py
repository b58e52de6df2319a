"""Run the opt-out conformance fixtures through moisson, Protego, urllib.robotparser and
datadiligence side by side, and write the table to docs/optout-conformance.md.

Every fixture (tests/optout/optout_cases.py) is served by the loopback fixture server; each tool gets
the bytes a crawler would give it:

* moisson: ``check_url`` (site files, then the page: headers, meta, embedded metadata);
* Protego: robots.txt body parsed whatever the status, fetch errors allow, as Scrapy's
  ``RobotsTxtMiddleware`` uses it; ``can_fetch`` for every agent token of the case;
* urllib.robotparser: the ``RobotFileParser.read()`` rules of this Python (401/403 disallow
  all, other 4xx allow all, 5xx leaves it unparsed so ``can_fetch`` is False), every token;
* datadiligence: ``XRobotsTagHeader`` + ``TDMRepHeader`` on the page's final response headers
  (as an ``http.client.HTTPMessage``, a container it supports).

A tool that refuses or allows where the expected decision differs is shown in bold. A tool
that does not look at the deciding family says "allow": that is what a pipeline using it does.

    .venv/bin/python bench/optout_conformance.py [--quick] [--out docs/optout-conformance.md]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import sys
import time
from collections import Counter
from http.client import HTTPMessage
from importlib.metadata import version
from pathlib import Path
from urllib.robotparser import RobotFileParser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "optout"))

from fixture_server import FixtureServer  # noqa: E402
from optout_cases import CASES, Case, case_url, serve_cases  # noqa: E402
from optout_runner import run_moisson  # noqa: E402

from moisson.optout import FetchResult, HttpxFetcher  # noqa: E402

with contextlib.redirect_stdout(io.StringIO()):  # it prints an API-key warning at import
    from datadiligence.rules import TDMRepHeader, XRobotsTagHeader


def _robots(case: Case, server: FixtureServer, fetcher: HttpxFetcher) -> FetchResult:
    return fetcher.fetch(
        case_url(case, server, "/robots.txt").replace("münchen.test", "xn--mnchen-3ya.test")
    )


def run_protego(case: Case, server: FixtureServer, fetcher: HttpxFetcher) -> str:
    from protego import Protego

    result = _robots(case, server, fetcher)
    if result.status is None:
        return "allow"  # Scrapy: a download error gives no parser, everything allowed
    parser = Protego.parse(result.body.decode("utf-8", "ignore"))
    url = case_url(case, server)
    return "allow" if all(parser.can_fetch(url, t) for t in case.tokens) else "disallow"


def run_urllib(case: Case, server: FixtureServer, fetcher: HttpxFetcher) -> str:
    result = _robots(case, server, fetcher)
    parser = RobotFileParser()
    if result.status is None:
        return "error"  # read() raises URLError
    if result.status in (401, 403):
        parser.disallow_all = True  # type: ignore[attr-defined]
    elif 400 <= result.status < 500:
        parser.allow_all = True  # type: ignore[attr-defined]
    elif 200 <= result.status < 300:
        try:
            parser.parse(result.body.decode("utf-8").splitlines())  # what read() does
        except UnicodeDecodeError:
            return "error (UnicodeDecodeError)"
    url = case_url(case, server)
    return "allow" if all(parser.can_fetch(t, url) for t in case.tokens) else "disallow"


def run_datadiligence(case: Case, server: FixtureServer, fetcher: HttpxFetcher) -> str:
    page = fetcher.fetch(case_url(case, server))
    if page.status is None:
        return "error"
    message = HTTPMessage()
    for name, value in page.headers:
        message[name] = value
    try:
        allowed = XRobotsTagHeader(user_agent=case.tokens[0]).is_allowed(
            headers=message
        ) and TDMRepHeader().is_allowed(headers=message)
    except Exception as exc:
        return f"error ({type(exc).__name__})"
    return "allow" if allowed else "disallow"


TOOLS = {
    "Protego": run_protego,
    "urllib.robotparser": run_urllib,
    "datadiligence": run_datadiligence,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "optout-conformance.md")
    parser.add_argument("--quick", action="store_true", help="skip the slow (timeout) fixtures")
    args = parser.parse_args()
    cases = [c for c in CASES if not (args.quick and c.slow)]
    rows: list[tuple[Case, str, dict[str, str]]] = []
    started = time.perf_counter()
    with FixtureServer() as server:
        serve_cases(server)
        fetcher = HttpxFetcher(timeout=0.5, resolve=server.resolve_map())
        try:
            for case in cases:
                ours: str = run_moisson(case, server).decision
                others = {name: tool(case, server, fetcher) for name, tool in TOOLS.items()}
                rows.append((case, ours, others))
        finally:
            fetcher.close()
    elapsed = time.perf_counter() - started
    agree = Counter[str]()
    for case, ours, others in rows:
        agree["moisson"] += ours == case.expected
        for name, decision in others.items():
            agree[name] += decision == case.expected

    def cell(decision: str, expected: str) -> str:
        return decision if decision == expected else f"**{decision}**"

    lines = [
        "# Opt-out conformance: moisson, Protego, urllib.robotparser, datadiligence",
        "",
        "Generated by `bench/optout_conformance.py` (do not edit by hand). Fixtures: `tests/optout/optout_cases.py`,",
        "served by the loopback server `tests/optout/fixture_server.py`; ids follow",
        "`optout-signals.md` §2.9 (R), §3.3 (X), §4.5 (T), §5.4 (A), §6.3 (I), §7 (M), §12 (C).",
        "Purpose `train-ai` unless the case says otherwise; agent tokens per case (default",
        "`moisson-bot, GPTBot, Google-Extended, CCBot, ClaudeBot`). **Bold**: the tool decides",
        "differently from the expected decision. Protego and urllib only read robots.txt and",
        'datadiligence only two headers, so their "allow" on other families is what a pipeline',
        "built on them would do.",
        "",
        f"Command: `.venv/bin/python bench/optout_conformance.py{' --quick' if args.quick else ''}` — Python"
        f" {platform.python_version()}, Protego {version('protego')}, datadiligence {version('datadiligence')},"
        f" {len(rows)} fixtures in {elapsed:.1f} s.",
        "",
        "| tool | fixtures decided as expected |",
        "|---|---|",
        *(f"| {name} | {agree[name]} / {len(rows)} |" for name in ("moisson", *TOOLS)),
        "",
        "| case | what | purpose | expected | moisson | Protego | urllib | datadiligence |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case, ours, others in rows:
        title = case.title.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        lines.append(
            f"| {case.id} | {title} | {case.purpose} | {case.expected} | {cell(ours, case.expected)} | "
            + " | ".join(cell(others[name], case.expected) for name in TOOLS)
            + " |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("moisson", *TOOLS):
        print(f"{name}: {agree[name]}/{len(rows)} as expected")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
