"""Running a crawl: in this process (``CrawlerProcess``) or in a child process.

Twisted's reactor starts once per process, so a program that crawls more than once (tests, the
demo, benchmarks) uses :func:`run_crawl_subprocess`; ``moisson crawl`` runs in-process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from moisson.crawl.state import Refusal
from moisson.errors import InputError, MoissonError

__all__ = ("CrawlResult", "crawl_settings", "read_seeds", "run_crawl", "run_crawl_subprocess")


@dataclass
class CrawlResult:
    """What one crawl produced: the dataset version, refusals and the crawl stats."""

    dataset: str | None
    version: int | None
    documents: int
    run_id: int | None
    refusals: list[Refusal] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def refused_by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for refusal in self.refusals:
            out[refusal.reason] = out.get(refusal.reason, 0) + 1
        return dict(sorted(out.items()))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["refusals"] = [asdict(r) for r in self.refusals]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CrawlResult:
        refusals = [
            Refusal(**{**r, "families": tuple(r.get("families", ()))}) for r in data["refusals"]
        ]
        return cls(
            dataset=data.get("dataset"),
            version=data.get("version"),
            documents=int(data.get("documents", 0)),
            run_id=data.get("run_id"),
            refusals=refusals,
            stats=dict(data.get("stats", {})),
        )


def read_seeds(source: str) -> list[str]:
    """A URL, or a file of URLs one a line (``#`` comments); bad lines name file and line."""
    if source.startswith(("http://", "https://")):
        return [source]
    path = Path(source)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        msg = f"{path}: no such seed file (give a file of URLs or an http(s) URL)"
        raise InputError(msg, path=str(path)) from None
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text ({exc.reason})"
        raise InputError(msg, path=str(path)) from None
    seeds: list[str] = []
    for number, line in enumerate(lines, start=1):
        url = line.split("#", 1)[0].strip()
        if not url:
            continue
        if not url.startswith(("http://", "https://")):
            msg = f"{path}:{number}: '{url}' is not an http(s) URL"
            raise InputError(msg, path=str(path))
        seeds.append(url)
    if not seeds:
        msg = f"{path}: no seed URL in the file"
        raise InputError(msg, path=str(path))
    return seeds


def crawl_settings(
    *,
    workspace: Path | None,
    dataset: str | None,
    resolve: Mapping[str, str] | None = None,
    max_pages: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Scrapy settings of a moisson crawl (the add-on does the rest)."""
    settings: dict[str, Any] = {
        "ADDONS": {"moisson.crawl.addon.MoissonAddon": 0},
        "TWISTED_DNS_RESOLVER": "moisson.crawl.resolver.MappedResolver",
        "MOISSON_RESOLVE": dict(resolve or {}),
        "LOG_LEVEL": "WARNING",
        # A robots.txt still failing after its retries is an expected, recorded refusal.
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    if workspace is not None:
        settings["MOISSON_WORKSPACE"] = str(workspace)
        settings["MOISSON_DATASET"] = dataset or "crawl"
    else:
        settings["MOISSON_STORE_ENABLED"] = False
    if max_pages:
        settings["CLOSESPIDER_PAGECOUNT"] = max_pages
    settings.update(extra or {})
    return settings


def run_crawl(
    seeds: list[str],
    *,
    workspace: Path | None,
    dataset: str | None,
    resolve: Mapping[str, str] | None = None,
    max_pages: int | None = None,
    extra_settings: Mapping[str, Any] | None = None,
) -> CrawlResult:
    """Crawl ``seeds`` in this process (starts the Twisted reactor: once per process)."""
    from scrapy.crawler import CrawlerProcess

    from moisson.crawl.spider import SeedSpider
    from moisson.crawl.state import CrawlState

    settings = crawl_settings(
        workspace=workspace,
        dataset=dataset,
        resolve=resolve,
        max_pages=max_pages,
        extra=extra_settings,
    )
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(SeedSpider)
    process.crawl(crawler, seeds=seeds)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    failure = stats.get("moisson/error")
    if failure:
        raise MoissonError(str(failure))
    result: dict[str, Any] = stats.get("moisson/result") or {}
    state = CrawlState.of(crawler)
    plain = {
        k: v for k, v in stats.items() if isinstance(v, int | float | str) and k != "moisson/error"
    }
    return CrawlResult(
        dataset=result.get("dataset", dataset if workspace else None),
        version=result.get("version"),
        documents=int(result.get("documents", stats.get("item_scraped_count", 0)) or 0),
        run_id=result.get("run_id"),
        refusals=list(state.refusals),
        stats={**plain, **result.get("stats", {})},
    )


def run_crawl_subprocess(
    seeds: list[str],
    *,
    workspace: Path | None,
    dataset: str | None,
    resolve: Mapping[str, str] | None = None,
    max_pages: int | None = None,
    extra_settings: Mapping[str, Any] | None = None,
    timeout: float = 600,
) -> CrawlResult:
    """Same as :func:`run_crawl`, in a fresh Python process (its own reactor)."""
    spec = {
        "seeds": seeds,
        "workspace": str(workspace) if workspace else None,
        "dataset": dataset,
        "resolve": dict(resolve or {}),
        "max_pages": max_pages,
        "extra_settings": dict(extra_settings or {}),
    }
    proc = subprocess.run(
        [sys.executable, "-c", "from moisson.crawl.runner import _child; _child()"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip().splitlines()[-5:]
        msg = f"crawl subprocess failed (exit {proc.returncode}): {' | '.join(tail)}"
        raise MoissonError(msg)
    return CrawlResult.from_json(json.loads(lines[-1]))


def _child() -> None:  # pragma: no cover - runs in the child process
    spec = json.loads(sys.stdin.read())
    result = run_crawl(
        spec["seeds"],
        workspace=Path(spec["workspace"]) if spec["workspace"] else None,
        dataset=spec["dataset"],
        resolve=spec["resolve"],
        max_pages=spec["max_pages"],
        extra_settings=spec["extra_settings"],
    )
    sys.stdout.write(json.dumps(result.to_json(), default=str) + "\n")
