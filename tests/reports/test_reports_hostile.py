"""Corpus-controlled text in the published documents, and broken inputs of ``moisson docs``.

Host names come from the URLs of collected pages and file names from the ingested dump: the
corpus controls them. They must reach the notice as text, never as HTML or Markdown (DOC-01).
A questionnaire in the wrong encoding or a hand-edited manifest is a one-line error.
"""

from __future__ import annotations

import json
import re

import pytest

from cli_calls import run_cli, says
from moisson.cli import exitcodes
from moisson.errors import ConfigError
from moisson.ledger import Ledger
from moisson.ledger.models import SourceRow
from moisson.reports.build import build_documents
from moisson.reports.collect import collect_facts
from moisson.reports.documents import get_spec
from moisson.reports.questionnaire import fill_questionnaire, questionnaire_path
from moisson.workspace import Workspace

HOSTILE_HOSTS = {
    "<img src=x onerror=alert(1)>": 300,
    "a|b\x00c.example": 200,
    "**bold**": 100,
}
GOOD_HOSTS = {"site.example": 5000, "例え.jp": 4000, "(none)": 50}
HOSTILE_FILE = "dump`<i onmouseover=y>`\n# heading.jsonl"


def _record_collection(ws: Workspace) -> None:
    """A finished ingest run whose per-domain counters hold hostile host names (real ledger)."""
    stats = {"docs/in": 10, "docs/out": 10, "bytes/out": 9650}
    for host, size in {**GOOD_HOSTS, **HOSTILE_HOSTS}.items():
        stats[f"domain_docs/{host}"] = 1
        stats[f"domain_bytes/{host}"] = size
    with Ledger.open(ws) as ledger:
        run_id = ledger.start_run("ingest", policy_hash="a" * 64, params={})
        with ledger.session() as s:
            s.add(SourceRow(run_id=run_id, uri=f"/in/{HOSTILE_FILE}", format="jsonl", documents=10))
        ledger.finish_run(run_id, status="completed", stats=stats)


def test_hostile_host_names_never_reach_the_documents(workspace: Workspace) -> None:
    _record_collection(workspace)
    fill_questionnaire(workspace, {"purpose.interests": "Research <b onclick=x()>now</b>"})
    specs = [get_spec(s) for s in ("information-notice", "dataset-card", "ai-act-summary")]
    result = build_documents(workspace, langs=("en",), formats=("md", "html"), specs=specs)
    for path in result.files:
        text = path.read_text(encoding="utf-8")
        assert "<img" not in text and "onerror" not in text, path.name
        assert "\x00" not in text and "**bold**" not in text and "a|b" not in text, path.name
        assert "<script" not in text, path.name
        if path.suffix == ".html":  # the operator's Markdown stays, its raw HTML does not
            assert "<b onclick" not in text, path.name
    notice = result.path("information-notice", "en", "md").read_text(encoding="utf-8")
    listed = re.findall(r"^- (\S+)$", notice, re.MULTILINE)
    assert listed == ["site.example", "例え.jp", "(none)"]  # valid names, unchanged, by volume
    # The left-out names are flagged where the fact is cited, with what they held.
    assert "3 recorded host name(s) left out: not valid domain names (3 documents, 600 bytes)" in (
        notice
    )
    html = result.path("information-notice", "en", "html").read_text(encoding="utf-8")
    assert "Research &lt;b onclick=x()&gt;now&lt;/b&gt;" in html
    card = result.path("dataset-card", "en", "html").read_text(encoding="utf-8")
    assert "<code>dump`&lt;i onmouseover=y&gt;`\ufffd# heading.jsonl</code>" in card
    assert "<i onmouseover" not in card


def test_only_real_host_names_are_published() -> None:
    from moisson.reports.collect import is_publishable_domain

    for good in ("site-00.example", "例え.jp", "xn--r8jz45g.jp", "example.org.", "::1", "10.0.0.1"):
        assert is_publishable_domain(good), good
    for bad in (*HOSTILE_HOSTS, "", "a..b", "-a.example", "a" * 64 + ".example", "fe80::1%<x>"):
        assert not is_publishable_domain(bad), bad


def test_escaped_text_reads_as_written_in_the_pdf() -> None:
    from moisson.reports.pdf import _inline, parse_blocks
    from moisson.reports.render import code_span, md_text

    raw = "a*b*_c_ [x](javascript:y) <i>&amp; |"
    assert _inline(md_text(raw)) == raw
    (block,) = parse_blocks(f"- {code_span('x`y')}")
    assert _inline(block.items[0]) == "xy"  # code ticks are dropped, as for any code span


def test_latin1_questionnaire_names_the_file_and_the_byte(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    path = questionnaire_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = '[controller]\nname = "Société Exemple"\n'
    path.write_bytes(text.encode("latin-1"))
    offset = text.encode("latin-1").index(b"\xe9")
    code, err = run_cli(capsys, "docs", "facts", "-w", str(workspace.root))
    assert code == exitcodes.CONFIG
    assert says(err, f"{path}: not UTF-8 (byte 0xe9 at offset {offset})")
    assert "Traceback" not in err
    with pytest.raises(ConfigError, match="not UTF-8"):
        collect_facts(workspace)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda e: e.update(slug="no-such-doc"), "unknown document 'no-such-doc'"),
        (lambda e: e.pop("ledger_head"), "'ledger_head' is missing or not a string"),
        (lambda e: e.update(lang="de"), "unknown language 'de'"),
        (lambda e: e.update(files="en/dpia.md"), "'files' is missing or not a list of paths"),
    ],
    ids=["unknown slug", "no ledger head", "unknown language", "files not a list"],
)
def test_hand_edited_manifest_entry_is_named(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], edit: object, problem: str
) -> None:
    out = workspace.root / "docs" / "generated"
    build_documents(workspace, langs=("en",), formats=("md",), specs=[get_spec("dpia")])
    manifest = out / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    edit(data["documents"]["en/dpia"])  # type: ignore[operator]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    code, err = run_cli(capsys, "docs", "check", "-w", str(workspace.root))
    assert code == exitcodes.NOT_FOUND
    assert says(err, f"{manifest}: entry 'en/dpia': {problem}")
    assert "Traceback" not in err


def test_valid_host_names_render_as_before() -> None:
    from moisson.reports.render import code_span, md_text

    assert md_text("site-00.example") == "site-00.example"
    assert md_text("例え.jp") == "例え.jp"
    assert code_span("corpus.jsonl") == "`corpus.jsonl`"
