"""Benchmark: the moisson gate vs plain Scrapy obeying robots.txt, on one generated site.

A synthetic site of N article pages (default 10,000, under index pages of 100 links) is served
on 127.0.0.1 by the demo server; its made-up host name resolves through the crawler's resolver.
Two crawls of the same spider run side by side, each in its own process (one Twisted reactor
per process), alternating order over ``--repeat`` rounds:

* ``scrapy``: plain Scrapy with ``ROBOTSTXT_OBEY = True`` (Protego), items are dicts;
* ``moisson-gate``: the same spider with ``ADDONS = {MoissonAddon}``: category, window,
  site files (robots.txt with every AI token, tdmrep.json, ai.txt), headers (X-Robots-Tag,
  Content-Usage, TDMRep), size/type, access barriers, meta and the combined final verdict per
  page; items are ``PageItem``s. The store pipeline is off (its cost is PII minimisation and
  Parquet writing, not the gate); ``--with-store`` adds a third, informative run with it.

Both use the same politeness settings (16 concurrent requests, 8 per host, no delay). The time
is Scrapy's ``elapsed_time_seconds`` (reactor run, without interpreter start-up). Acceptance
(issue 3): the gate costs at most 10 % of crawl time.

    python bench/crawl.py              # 10,000 pages, 1 round (about 5 minutes here)
    python bench/crawl.py --repeat 3   # 10,000 pages, 3 rounds
    python bench/crawl.py --quick      # 2,000 pages, 3 rounds
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HOST = "bench-site.example"


def _child(mode: str, port: int, workspace: str | None) -> None:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor

    from moisson.crawl.items import page_item

    gated = mode != "scrapy"

    class BenchSpider(scrapy.Spider):
        name = "bench"
        links = LinkExtractor(unique=True)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.start_urls = [f"http://{HOST}:{port}/"]

        def parse(self, response: Any) -> Any:
            if gated:
                yield page_item(response)
            else:
                yield {"url": response.url, "bytes": len(response.body)}
            for link in self.links.extract_links(response):
                yield response.follow(link.url, callback=self.parse)

    settings: dict[str, Any] = {
        "TWISTED_DNS_RESOLVER": "moisson.crawl.resolver.MappedResolver",
        "MOISSON_RESOLVE": {HOST: "127.0.0.1"},
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_DELAY": 0,
        "COOKIES_ENABLED": False,
        "USER_AGENT": "moisson-bot/1.0 (+https://example.org/moisson-notice)",
    }
    if gated:
        settings["ADDONS"] = {"moisson.crawl.addon.MoissonAddon": 0}
        settings["MOISSON_STORE_ENABLED"] = mode == "moisson-store"
        if workspace:
            settings["MOISSON_WORKSPACE"] = workspace
            settings["MOISSON_DATASET"] = "bench"
    else:
        settings["ROBOTSTXT_OBEY"] = True
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(BenchSpider)
    process.crawl(crawler)
    cpu_start = time.process_time()
    process.start()
    cpu = time.process_time() - cpu_start
    stats = crawler.stats.get_stats()
    out = {
        "elapsed": float(stats.get("elapsed_time_seconds", 0.0)),
        "cpu": cpu,
        "responses": int(stats.get("response_received_count", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
        "refused": int(stats.get("crawl/refused", 0)),
        "robots_forbidden": int(stats.get("robotstxt/forbidden", 0)),
    }
    sys.stdout.write(json.dumps(out) + "\n")


class AsyncioSiteServer:
    """The demo web served by a minimal asyncio HTTP/1.1 server in a thread (one write per
    response, keep-alive). The stdlib threaded server of the demo adds ~60 ms per request
    here, which would make both crawls wait on the server and hide the gate's CPU cost."""

    def __init__(self, web: Any) -> None:
        import asyncio
        import threading

        self.web = web
        self.loop = asyncio.new_event_loop()
        self.port = 0
        ready = threading.Event()

        async def handle(reader: Any, writer: Any) -> None:
            try:
                while True:
                    line = await reader.readline()
                    if not line:
                        break
                    path = line.split()[1].decode("latin-1")
                    host = ""
                    while True:
                        header = await reader.readline()
                        if header in (b"\r\n", b""):
                            break
                        if header.lower().startswith(b"host:"):
                            host = header[5:].strip().decode("latin-1").split(":")[0]
                    page = self.web.page(host, path)
                    status, headers, body = (
                        (page.status, page.headers, page.body)
                        if page
                        else (404, [("Content-Type", "text/plain")], b"not found")
                    )
                    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
                    head += f"Content-Length: {len(body)}\r\n\r\n"
                    writer.write(head.encode("latin-1") + body)
                    await writer.drain()
            except (ConnectionError, IndexError):
                pass
            finally:
                writer.close()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            server = self.loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0))
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)

    def __enter__(self) -> AsyncioSiteServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def _run(mode: str, port: int, workspace: str | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--port", str(port)]
    if workspace:
        cmd += ["--workspace", workspace]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=1200)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        msg = f"{mode} crawl failed (exit {proc.returncode})"
        raise SystemExit(msg)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="2,000 pages, 3 rounds")
    parser.add_argument("--with-store", action="store_true", help="also time the store pipeline")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workspace", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.port, args.workspace)
        return

    from moisson.demo.sites import synthetic_site

    pages = args.pages or (2000 if args.quick else 10_000)
    repeat = args.repeat or (3 if args.quick else 1)
    web = synthetic_site(HOST, pages)
    runs: dict[str, list[dict[str, Any]]] = {"scrapy": [], "moisson-gate": []}
    with AsyncioSiteServer(web) as server:
        for round_no in range(repeat):
            order = ["scrapy", "moisson-gate"] if round_no % 2 == 0 else ["moisson-gate", "scrapy"]
            for mode in order:
                runs[mode].append(_run(mode, server.port, None))
        if args.with_store:
            from moisson.workspace import Workspace

            root = Path(tempfile.mkdtemp()) / "ws"
            Workspace.init(root)
            runs["moisson-store"] = [_run("moisson-store", server.port, str(root))]

    print(f"# crawl benchmark: {pages:,} pages on 127.0.0.1, {repeat} round(s)")
    print(f"python {platform.python_version()}, nproc {os.cpu_count()}, CPU {_cpu_model()}")
    print()
    print(
        "| crawler | crawl time s (median) | runs | crawl CPU s (median) | responses "
        "| items kept | refused |"
    )
    print("|---|---:|---|---:|---:|---:|---:|")
    medians: dict[str, float] = {}
    cpu_medians: dict[str, float] = {}
    for mode, results in runs.items():
        times = [r["elapsed"] for r in results]
        medians[mode] = statistics.median(times)
        cpu_medians[mode] = statistics.median(r["cpu"] for r in results)
        last = results[-1]
        refused = last["refused"] or last["robots_forbidden"]
        print(
            f"| {mode} | {medians[mode]:.2f} | {', '.join(f'{t:.2f}' for t in times)} "
            f"| {cpu_medians[mode]:.2f} | {last['responses']:,} | {last['items']:,} "
            f"| {refused:,} |"
        )
    overhead = (medians["moisson-gate"] - medians["scrapy"]) / medians["scrapy"] * 100
    cpu_overhead = (
        (cpu_medians["moisson-gate"] - cpu_medians["scrapy"]) / cpu_medians["scrapy"] * 100
    )
    print()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at the end: {load:.2f}")
    verdict = "PASS" if overhead <= 10 else "FAIL"
    print(
        f"gate overhead vs plain Scrapy, crawl time: {overhead:+.1f} % (target <= 10 %): {verdict}"
    )
    print(f"gate overhead vs plain Scrapy, crawl CPU time: {cpu_overhead:+.1f} %")


if __name__ == "__main__":
    main()
