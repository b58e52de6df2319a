"""The API reference page: served by the register itself, no third-party script (REG-01, REG-02).

FastAPI's default Swagger UI and ReDoc pages fetch their scripts from a CDN, which would hand
every visitor's address to a third party and fail offline; ``/docs`` is rendered server-side
from the OpenAPI schema instead.
"""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient


def test_reference_lists_every_operation_without_external_resources(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    page = client.get("/docs", params={"lang": "en"})
    assert page.status_code == 200 and '<html lang="en">' in page.text
    operations = [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) >= 15
    for operation in operations:
        assert f"<code>{operation}</code>" in page.text, operation
    assert "Needs an organisation token" in page.text  # campaigns are declared with a token
    assert "<code>CampaignIn</code>" in page.text
    assert "<script" not in page.text
    assert not re.search(r"""(?:src|href)=["']https?://""", page.text)
    assert client.get("/redoc").status_code == 404


def test_reference_in_french(client: TestClient) -> None:
    page = client.get("/docs", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in page.text and "Référence de l'API" in html.unescape(page.text)
