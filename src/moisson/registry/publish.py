"""Declare the workspace's campaign on a register, from its policy and crawl stats (REG-01).

The declaration is built from facts the workspace already records (policy, ledger run stats), so
the public record says what the crawler actually does. The campaign id is kept in
``registry/campaign.json`` so that later publications update the same campaign (a new public
version each time, REG-05).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from moisson.errors import ConfigError, MoissonError
from moisson.registry.domains import normalise_domain
from moisson.registry.schemas import CampaignIn

if TYPE_CHECKING:
    from moisson.workspace import Workspace

__all__ = ("SIGNALS_HONOURED", "campaign_from_workspace", "crawled_domains", "publish")

# The machine-readable opt-outs moisson's gate evaluates (optout-signals.md, SCR-05/06/08).
SIGNALS_HONOURED = (
    "robots.txt (RFC 9309) with AI product tokens",
    "X-Robots-Tag and meta robots (noai, noml)",
    "TDMRep (W3C CG)",
    "IETF aipref Content-Usage",
    "Spawning ai.txt",
    "IPTC / C2PA data-mining metadata",
    "moisson public register opt-out feed",
)
STATE_FILE = "campaign.json"


def crawled_domains(workspace: Workspace, limit: int = 1000) -> list[str]:
    """Domains the workspace's runs collected from (ledger stats ``domain_docs/<domain>``)."""
    try:
        from moisson.ledger import Ledger
    except ImportError:  # pragma: no cover - ledger is part of the core
        return []
    counts: dict[str, int] = {}
    try:
        with Ledger.open(workspace) as ledger:
            for run in ledger.runs():
                for key, value in (run.stats or {}).items():
                    if key.startswith("domain_docs/") and isinstance(value, int):
                        domain = key.removeprefix("domain_docs/")
                        counts[domain] = counts.get(domain, 0) + value
    except MoissonError:
        return []
    valid = []
    for domain, _count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        try:
            valid.append(normalise_domain(domain))
        except ValueError:
            continue
    return valid[:limit]


def campaign_from_workspace(
    workspace: Workspace, *, contact_email: str | None = None, lia_url: str | None = None
) -> CampaignIn:
    """The campaign declaration of a workspace; raises ConfigError naming a missing key."""
    policy = workspace.policy
    email = contact_email or (
        policy.rights.contact if policy.rights.contact and "@" in policy.rights.contact else None
    )
    if email is None:
        msg = "rights.contact must be an email address to publish a campaign (or pass --contact-email)"
        raise ConfigError(msg, key="rights.contact", path=str(workspace.policy_path))
    notice = policy.crawler.notice_url
    source_domains = set(crawled_domains(workspace))
    categories = []
    for source in policy.collection.sources:
        host = urlsplit(source).hostname if "://" in source else None
        if host:
            try:
                source_domains.add(normalise_domain(host))
                continue
            except ValueError:
                pass
        categories.append(source[:200])
    start = policy.collection.period_start or datetime.now(UTC).date()
    payload: dict[str, Any] = {
        "title": f"{policy.name}: {policy.collection.purpose_description}"[:200],
        "controller": {"name": (policy.controller or policy.name)[:200], "email": email},
        "purpose": policy.collection.purpose_description,
        "legal_basis": "legitimate_interest",
        "lia_url": lia_url or notice,
        "user_agents": [f"{policy.crawler.agent_token}/1.0 (+{notice})"[:200]],
        "start_date": start.isoformat(),
        "end_date": policy.collection.period_end.isoformat()
        if policy.collection.period_end
        else None,
        "source_domains": sorted(source_domains),
        "source_categories": categories[:100],
        "data_categories": [f"public web text ({lang})" for lang in policy.collection.languages][
            :100
        ],
        "exclusions": [
            *(f"category: {c}" for c in policy.crawler.excluded_categories),
            *(f"domain: {d}" for d in policy.crawler.excluded_domains),
        ][:100],
        "signals_honoured": list(SIGNALS_HONOURED),
        "retention": f"as stated in the information notice {notice}"[:200],
        "rights_contact": (policy.rights.contact or email)[:200],
    }
    try:
        return CampaignIn.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        msg = f"the policy gives an invalid campaign field {field}: {first['msg']}"
        raise ConfigError(msg, key=field, path=str(workspace.policy_path)) from None


def publish(
    workspace: Workspace,
    register_url: str,
    token: str,
    *,
    contact_email: str | None = None,
    lia_url: str | None = None,
    http: httpx.Client | None = None,
) -> dict[str, Any]:
    """Create the workspace's campaign on the register, or update it; returns the public record."""
    campaign = campaign_from_workspace(workspace, contact_email=contact_email, lia_url=lia_url)
    folder = workspace.root / "registry"
    folder.mkdir(exist_ok=True)
    state_path = folder / STATE_FILE
    state = json.loads(state_path.read_text("utf-8")) if state_path.exists() else {}
    base = register_url.rstrip("/")
    client = http or httpx.Client(timeout=30.0)
    headers = {"Authorization": f"Bearer {token}"}
    body = campaign.model_dump(mode="json", exclude_none=True)
    try:
        if state.get("register") == base and state.get("campaign_id"):
            response = client.patch(
                f"{base}/api/v1/campaigns/{state['campaign_id']}", json=body, headers=headers
            )
        else:
            response = client.post(f"{base}/api/v1/campaigns", json=body, headers=headers)
    except httpx.HTTPError as exc:
        msg = f"register {base} unreachable: {exc}"
        raise MoissonError(msg) from None
    finally:
        if http is None:
            client.close()
    if response.status_code not in (200, 201):
        try:
            detail = response.json().get("message") or response.json().get("detail")
        except ValueError:
            detail = response.text[:200]
        msg = f"register {base} refused the campaign (HTTP {response.status_code}): {detail}"
        raise MoissonError(msg)
    record: dict[str, Any] = response.json()
    state = {"register": base, "campaign_id": record["id"], "version": record["version"]}
    state_path.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return record
