"""The gate during WARC ingest (issue 3 part 4) and the demo hook."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from moisson.demo.stage import DemoContext
from moisson.optout.demo import demo_stage
from moisson.pipeline import LocalExecutor, ingest
from moisson.workspace import Workspace

PARAGRAPH = (
    "The harbour of the old town was rebuilt after the storm, and the fishermen who had left came "
    "back one by one to repair their boats, mend the nets and sell the morning catch on the quay. "
)


def _warc(path: Path, pages: list[tuple[str, list[tuple[str, str]], str]]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, headers, head in pages:
            html = f"<html lang='en'><head>{head}<title>Harbour</title></head><body><article><p>{PARAGRAPH * 4}</p><p>{url}</p></article></body></html>"
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), *headers],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=http
            )
            writer.write_record(record)


def test_warc_ingest_applies_the_gate(workspace: Workspace, tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    _warc(
        warc,
        [
            ("https://open.example/a", [], ""),
            ("https://art.example/b", [("X-Robots-Tag", "noai")], ""),
            ("https://news.example/c", [], '<meta name="tdm-reservation" content="1">'),
        ],
    )
    result = ingest(workspace, [warc], dataset="harbour", executor=LocalExecutor(1))
    assert result.stats.get("optout/refused/x-robots-tag") == 1
    assert result.stats.get("optout/refused/tdmrep") == 1
    assert result.version.document_count == 1


def test_demo_stage_rechecks_the_dataset(workspace: Workspace, tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    _warc(warc, [("https://open.example/a", [], ""), ("https://objector.example/b", [], "")])
    ingest(workspace, [warc], dataset="demo", executor=LocalExecutor(1))
    (workspace.root / "optout").mkdir(exist_ok=True)
    (workspace.root / "optout" / "register-domains.txt").write_text(
        "objector.example\n", encoding="utf-8"
    )
    ctx = DemoContext(workspace=workspace, out_dir=tmp_path, state={"dataset": "demo"})
    report = demo_stage(ctx)
    assert report.ok
    assert report.summary["removed"] == 1 and report.summary["refused/local-list"] == 1
    assert ctx.state["dataset_version"] == 2
    assert "local-list" in report.html
