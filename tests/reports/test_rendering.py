"""PDF pages rendered to images (poppler's pdftoppm) and HTML in headless Chromium (DOC-01)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from PIL import Image
from playwright.sync_api import Browser

from moisson.reports.build import BuildResult
from moisson.reports.documents import DOCUMENTS

SLUGS = [s.slug for s in DOCUMENTS]
# A figure each document shows, as printed in English and in French.
FIGURE = {
    "legitimate-interest": ("1,204 pages refused", "1\u00a0204 pages refusées"),
    "dpia": ("2,008 identifiers detected", "2\u00a0008 identifiants détectés"),
    "information-notice": ("1,204 pages were refused", "1\u00a0204 pages ont été refusées"),
    "model-card": ("2,008 identifiers", "2\u00a0008 identifiants"),
    "dataset-card": ("site-00.example", "site-00.example"),
    "ai-act-summary": ("1,204 in total", "1\u00a0204 au total"),
    "release-checklist": ("1 of 8 items", "1 points sur 8"),
}
# Figures from paragraphs (pdftotext reads table cells out of order).
PDF_FIGURE = {
    **FIGURE,
    "legitimate-interest": ("1,706 documents dropped", "1\u00a0706 documents écartés"),
    "dpia": ("(3 criteria met", "(3 critères remplis"),
    "dataset-card": ("Collected from 20 domains", "Collecté sur 20 domaines"),
}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: apt-get install poppler-utils (make test does)")
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_pages_render_and_carry_the_figures(
    built: BuildResult, tmp_path: Path, slug: str, lang: str
) -> None:
    pdf = built.path(slug, lang, "pdf")  # type: ignore[arg-type]
    prefix = tmp_path / "page"
    subprocess.run(
        [_tool("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert grey.size[0] > 200
        assert dark > 500, "the first page is blank"
    text = subprocess.run(
        [_tool("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    title = next(d.title for d in built.documents if d.spec.slug == slug and d.lang == lang)
    assert title.split(" ")[0] in text
    figure = PDF_FIGURE[slug][0 if lang == "en" else 1]
    assert " ".join(figure.replace("\u00a0", " ").split()) in " ".join(
        text.replace("\u00a0", " ").split()
    )


@pytest.mark.browser
@pytest.mark.slow
def test_html_documents_show_headings_and_figures_in_chromium(
    built: BuildResult, browser: Browser
) -> None:
    page = browser.new_page()
    axe = Axe()
    try:
        for slug in SLUGS:
            for index, lang in enumerate(("en", "fr")):
                page.goto(built.path(slug, lang, "html").as_uri())  # type: ignore[arg-type]
                assert page.get_attribute("html", "lang") == lang
                title = next(
                    d.title for d in built.documents if d.spec.slug == slug and d.lang == lang
                )
                h1 = page.locator("h1").first
                assert h1.is_visible()
                assert title in h1.inner_text()
                assert page.locator("h2").count() >= 2
                figure = page.get_by_text(FIGURE[slug][index], exact=False).first
                assert figure.is_visible(), (slug, lang)
                if slug == "ai-act-summary":
                    assert page.locator("table").first.is_visible()
                    results = axe.run(page)
                    serious = [
                        v["id"]
                        for v in results.response["violations"]
                        if v["impact"] in ("serious", "critical")
                    ]
                    assert serious == [], serious
    finally:
        page.close()


def test_missing_facts_are_highlighted_in_html(built: BuildResult) -> None:
    html = built.path("information-notice", "en", "html").read_text(encoding="utf-8")
    assert '<strong class="missing">⚠ MISSING: register_campaign</strong>' in html
