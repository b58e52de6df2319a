"""Check live URLs: site files first, then the page itself only when they do not refuse.

Politeness (SCR-05, RFC 9309): when the site files already refuse, the page is not fetched
(the verdict cannot change, any refusal wins), except when only tdmrep.json refuses: the page's
header or meta may lift that reservation (TDMRep "most local wins"). Otherwise the page's headers, the headers of
its redirect hops (X-07), its HTML meta, and embedded metadata of images, PDF and EPUB files
are evaluated with the site files.
"""

from __future__ import annotations

from typing import Any

from moisson.optout._engine import OptoutEngine
from moisson.optout._fetch import FetchResult, SiteFileFetcher
from moisson.optout._html import extract_meta
from moisson.optout._verdict import Signal, Verdict

__all__ = ("check_url",)

_TEXT_TYPES = ("text/html", "application/xhtml+xml")
_TDM_CARRIERS = ("html", "xhtml", "pdf", "epub")


def _final_refusal(verdict: Verdict, content_type: str) -> bool:
    """A HEAD refusal that nothing in the body could lift: any family but TDMRep, or TDMRep
    when the body cannot carry a more local TDMRep value (HTML meta, PDF or EPUB metadata)."""
    families = verdict.refusing_families
    if any(f != "tdmrep" for f in families):
        return True
    return bool(families) and not any(t in content_type for t in _TDM_CARRIERS)


def check_url(
    engine: OptoutEngine,
    fetcher: SiteFileFetcher,
    url: str,
    *,
    purpose: str = "train-ai",
    embedding_page_url: str | None = None,
    head_first: bool = False,
) -> Verdict:
    """Full verdict for one URL, fetching what is needed (site files once per origin).

    ``head_first``: ask with HEAD before the GET and stop when the headers already refuse
    (T-17), so large media are not downloaded only to be dropped (img2dataset #284).
    """
    site = engine.evaluate_site(url, purpose)
    # A TDMRep file reservation can be lifted by the page (most local wins, T-07, T-09).
    if any(f != "tdmrep" for f in site.refusing_families):
        return site
    head = getattr(fetcher, "head", None)
    if head_first and callable(head):
        pre: FetchResult = head(url)
        if pre.status is not None:
            early = engine.evaluate(
                url,
                headers=pre.headers,
                purpose=purpose,
                redirect_headers=[h for _, _, h in pre.hops],
            )
            pre_type = next((v for k, v in pre.headers if k.lower() == "content-type"), "")
            if _final_refusal(early, pre_type.lower()):
                for signal in early.signals:
                    if signal.family in ("x-robots-tag", "content-usage", "tdmrep"):
                        signal.evidence["method"] = "HEAD"
                return early
    page = fetcher.fetch(url)
    ctype = next((v for k, v in page.headers if k.lower() == "content-type"), "").lower()
    html: bytes | None = None
    body: bytes | None = None
    if page.status is not None and 200 <= page.status < 300:
        if any(t in ctype for t in _TEXT_TYPES) or (not ctype and page.body.lstrip()[:1] == b"<"):
            html = page.body
        elif page.body and not ctype.startswith("text/"):
            body = page.body
    embedding_meta: list[tuple[str, str]] | None = None
    if embedding_page_url:
        parent = fetcher.fetch(embedding_page_url)
        if parent.status is not None and 200 <= parent.status < 300:
            embedding_meta = extract_meta(parent.body)
    verdict = engine.evaluate(
        url,
        headers=page.headers,
        html=html,
        purpose=purpose,
        body=body,
        content_type=ctype or None,
        redirect_headers=[h for _, _, h in page.hops],
        embedding_page_meta=embedding_meta,
    )
    return _with_policy_info(verdict, fetcher, engine.policy_info)


def _with_policy_info(
    verdict: Verdict, fetcher: SiteFileFetcher, known: dict[str, dict[str, Any]]
) -> Verdict:
    """T-12: record what a TDM policy URL serves (it never turns a reservation into a grant)."""
    for index, signal in enumerate(verdict.signals):
        policy = signal.evidence.get("tdm_policy") if signal.family == "tdmrep" else None
        if not isinstance(policy, str) or not policy.startswith(("http://", "https://")):
            continue
        info = known.get(policy)
        if info is None:
            result = fetcher.fetch(policy)
            ctype = next((v for k, v in result.headers if k.lower() == "content-type"), "")
            kind = "unavailable"
            if result.status is not None and 200 <= result.status < 300:
                if "json" in ctype.lower():
                    kind = "machine-readable"
                elif "html" in ctype.lower():
                    kind = "human-readable"
                else:
                    kind = "unknown type"
            info = {"status": result.status, "content_type": ctype, "kind": kind}
            if result.error:
                info["error"] = result.error
            known[policy] = info
        # Signals may be shared between pages: replace, never mutate.
        verdict.signals[index] = Signal(
            signal.family, signal.decision, {**signal.evidence, "tdm_policy_fetch": info}
        )
    return verdict
