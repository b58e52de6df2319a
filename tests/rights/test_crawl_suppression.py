"""Acceptance: a crawl after an erasure leaves out pages that mention the erased person
(SCR-08, RGT-05). Real HTTP server on 127.0.0.1, real crawler in a subprocess."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from moisson.crawl.runner import run_crawl_subprocess
from moisson.rights.identifiers import SuppliedIdentifiers, hash_identifiers
from moisson.rights.suppression import SuppressionList
from moisson.store import DatasetStore
from moisson.workspace import Workspace

BASE = (
    "<p>Le conseil municipal s'est réuni mardi soir pour discuter du budget de la commune et "
    "des travaux de la place du marché, qui commenceront au printemps prochain.</p>"
)
PAGES = {
    "jean.html": BASE + "<p>Pour toute question, écrivez à Jean.Dupont@Exemple.fr avant lundi.</p>",
    "claire.html": BASE
    + "<p>La secrétaire, joignable à claire.martin@exemple.org, prépare le compte rendu.</p>",
    "place.html": BASE
    + "<p>Les horaires d'ouverture de la mairie restent les mêmes pendant les vacances.</p>",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    root.mkdir()
    for name, body in PAGES.items():
        html = f'<!doctype html><html lang="fr"><head><title>{name}</title></head><body>{body}</body></html>'
        (root / name).write_text(html, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_crawl_after_erasure_skips_the_person(workspace: Workspace, site: str) -> None:
    hashed, _ = hash_identifiers(workspace, SuppliedIdentifiers(emails=["jean.dupont@exemple.fr"]))
    SuppressionList(workspace).add(hashed, request_id=None)
    result = run_crawl_subprocess(
        [f"{site}/{name}" for name in PAGES], workspace=workspace.root, dataset="web", timeout=240
    )
    assert result.stats.get("dropped/suppression/suppressed") == 1, result.stats
    texts = [d.text for d in DatasetStore(workspace).iter_documents("web")]
    assert len(texts) == 2
    assert not any("dupont" in t.lower() for t in texts)
