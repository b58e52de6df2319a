"""The gate step, the retroactive re-check and the ``moisson optout`` commands."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from fixture_server import FixtureServer
from optout_cases import CASES, case_url

from moisson.cli.app import main
from moisson.ledger import Ledger
from moisson.optout import OptoutEngine, OptoutGate, recheck_documents
from moisson.optout.recheck import recheck_dataset
from moisson.pipeline.step import TaskContext
from moisson.store import DatasetStore, Document
from moisson.workspace import Workspace

TEXT = (
    "Un texte suffisamment long pour passer les filtres de longueur du corpus de démonstration. "
    * 4
)


def _docs() -> list[Document]:
    return [
        Document.new(
            TEXT + "1", url="https://ok.example/a", http_headers=[("Content-Type", "text/html")]
        ),
        Document.new(
            TEXT + "2", url="https://art.example/b", http_headers=[("X-Robots-Tag", "noai")]
        ),
        Document.new(
            TEXT + "3", url="https://news.example/c", html_meta=[("tdm-reservation", "1")]
        ),
        Document.new(
            TEXT + "4",
            url="https://aipref.example/d",
            http_headers=[("content-usage", "train-ai=n")],
        ),
        Document.new(TEXT + "5", url="https://blog.objector.example/e"),
        Document.new(
            TEXT + "6",
            url="https://lifted.example/f",
            http_headers=[("tdm-reservation", "1")],
            html_meta=[("tdm-reservation", "0")],
        ),
    ]


def _ctx(workspace: Workspace) -> TaskContext:
    return TaskContext(task_id="t", workspace_root=workspace.root, secret=workspace.secret)


def _object(workspace: Workspace) -> None:
    folder = workspace.root / "optout"
    folder.mkdir(exist_ok=True)
    (folder / "domains.txt").write_text("objector.example\n", encoding="utf-8")


def test_gate_drops_refused_documents_and_counts_families(workspace: Workspace) -> None:
    _object(workspace)
    gate = OptoutGate(workspace)
    gate = pickle.loads(pickle.dumps(gate))  # steps must be picklable (pipeline/step.py)
    ctx = _ctx(workspace)
    gate.setup(ctx)
    kept = list(gate.run(_docs(), ctx))
    assert [d.url for d in kept] == ["https://ok.example/a", "https://lifted.example/f"]
    assert kept[0].signals["optout"]["decision"] in ("unknown", "allow")
    assert ctx.stats["optout/refused/x-robots-tag"] == 1
    assert ctx.stats["optout/refused/tdmrep"] == 1
    assert ctx.stats["optout/refused/content-usage"] == 1
    assert ctx.stats["optout/refused/local-list"] == 1
    assert ctx.stats["dropped/optout/local-list"] == 1
    assert ctx.stats["dropped"] == 4


def test_recheck_documents_is_pure() -> None:
    engine = OptoutEngine(["moisson-bot"])
    kept, report = recheck_documents(_docs(), engine, live=False)
    assert len(kept) == 3 and report.checked == 6 and len(report.removed) == 3
    assert dict(report.by_family) == {"x-robots-tag": 1, "tdmrep": 1, "content-usage": 1}
    removal = next(r for r in report.removed if r.url == "https://art.example/b")
    assert removal.evidence[0]["evidence"]["directive"] == "noai"


def test_recheck_dataset_writes_a_version_and_a_report(workspace: Workspace) -> None:
    _object(workspace)
    with Ledger.open(workspace) as ledger:
        DatasetStore(workspace, ledger).create_version("web", _docs(), reason="test")
    result = recheck_dataset(workspace, "web")
    assert (result.base_version, result.new_version) == (1, 2)
    with Ledger.open(workspace) as ledger:
        store = DatasetStore(workspace, ledger)
        urls = sorted(d.url or "" for d in store.iter_documents("web", 2))
        runs = ledger.runs("optout-recheck")
    assert urls == ["https://lifted.example/f", "https://ok.example/a"]
    report = json.loads(Path(result.report_path).read_text(encoding="utf-8"))
    assert report["removed"] == 4 and report["by_family"]["local-list"] == 1
    assert runs[-1].stats["optout/refused/tdmrep"] == 1 and runs[-1].stats["docs/out"] == 2


def test_cli_recheck(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    with Ledger.open(workspace) as ledger:
        DatasetStore(workspace, ledger).create_version("web", _docs(), reason="test")
    with pytest.raises(SystemExit) as exit_info:
        main(["optout", "recheck", "--dataset", "web", "-w", str(workspace.root)])
    assert exit_info.value.code == 0
    assert "3 removed" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["dataset", "show", "web", "--json", "-w", str(workspace.root)])
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == 2 and shown["deletions"] == 3  # SCR-03's log, per document
    log = Path(shown["deletion_log"]).read_text(encoding="utf-8")
    assert "optout recheck" in log and "https://" not in log
    with pytest.raises(SystemExit) as missing:
        main(["optout", "recheck", "--dataset", "nope", "-w", str(workspace.root)])
    assert missing.value.code == 4


def test_cli_check_prints_one_json_line_per_url(
    case_server: FixtureServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # no workspace here: the default policy's tokens
    monkeypatch.delenv("MOISSON_WORKSPACE", raising=False)
    picked = [c for c in CASES if c.id in ("X-01", "R-01a", "C-04")]
    urls = [case_url(c, case_server) for c in picked]
    resolve = [f"--resolve={c.host}=127.0.0.1" for c in picked]
    with pytest.raises(SystemExit) as exit_info:
        main(["optout", "check", *urls, *resolve, "--json"])
    assert exit_info.value.code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["decision"] for line in lines] == [c.expected for c in picked]
    assert all(set(line) >= {"url", "decision", "signals"} for line in lines)


@pytest.mark.parametrize(
    "argv",
    [
        ["optout", "check", "ftp://x/"],
        ["optout", "check", "https://x/", "--purpose", "ads"],
        ["optout", "check"],
        ["optout", "check", "https://x/", "--resolve", "nohost"],
    ],
)
def test_cli_check_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_live_gate_uses_todays_site_files(workspace: Workspace, case_server: FixtureServer) -> None:
    """--live: the stored page is re-checked against the site files served now (§2.5)."""
    picked = {c.id: c for c in CASES if c.id in ("R-29", "R-01a")}
    docs = [Document.new(TEXT + cid, url=case_url(c, case_server)) for cid, c in picked.items()]
    gate = OptoutGate(workspace, live=True, resolve={c.host: "127.0.0.1" for c in picked.values()})
    ctx = _ctx(workspace)
    gate.setup(ctx)
    kept = list(gate.run(docs, ctx))
    assert [d.url for d in kept] == [case_url(picked["R-01a"], case_server)]
    assert ctx.stats["optout/refused/robots-txt"] == 1


def test_cli_check_text_output(
    case_server: FixtureServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MOISSON_WORKSPACE", raising=False)
    case = next(c for c in CASES if c.id == "X-03")
    url = case_url(case, case_server)
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "optout",
                "check",
                url,
                f"--resolve={case.host}=127.0.0.1",
                "--text",
                "-a",
                "moisson-bot",
            ]
        )
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.split("\t") == ["disallow", url, "x-robots-tag\n"]


def test_cli_recheck_live(
    workspace: Workspace, case_server: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """--live: today's robots.txt removes a page the recorded signals allowed (Apertus mode)."""
    picked = [c for c in CASES if c.id in ("R-29", "R-01a")]
    docs = [Document.new(TEXT + c.id, url=case_url(c, case_server)) for c in picked]
    with Ledger.open(workspace) as ledger:
        DatasetStore(workspace, ledger).create_version("live", docs, reason="test")
    resolve = [f"--resolve={c.host}=127.0.0.1" for c in picked]
    with pytest.raises(SystemExit) as exit_info:
        main(["optout", "recheck", "-d", "live", "--live", *resolve, "-w", str(workspace.root)])
    assert exit_info.value.code == 0
    assert "1 removed (robots-txt=1)" in capsys.readouterr().out
