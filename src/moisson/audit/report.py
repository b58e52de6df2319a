"""The self-contained HTML report of an audit: status, reasoning, ROC curves, exposure plot (MOD-03).

Figures are drawn with matplotlib (Agg) and inlined as SVG, so the file opens anywhere without
companion files. ROC curves use log-log axes: the low false-positive region is where privacy
is decided (Carlini et al., S&P 2022).
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from moisson.audit.membership import null_split
from moisson.audit.metrics import roc_curve
from moisson.audit.status import __doc__ as STATUS_RULES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from moisson.audit.runner import AuditOutcome

__all__ = ("exposure_svg", "figures_html", "render_html", "roc_svg")

_STATUS_TEXT = {
    "anonymous": "Anonymous: no test extracted or inferred personal data, and the positive "
    "control shows the tests would have found memorisation.",
    "personal_data": "Personal data: the model memorises and can return training data.",
    "undetermined": "Undetermined: the evidence does not allow a conclusion either way.",
}


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def roc_svg(outcome: AuditOutcome) -> str:
    """ROC curves of every attack, log-log, with each attack's null control dashed."""
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    floor = 1e-3
    for name, members in outcome.member_scores.items():
        non = outcome.non_member_scores[name]
        curve = roc_curve(members, non)
        line = ax.plot(curve.fpr.clip(floor), curve.tpr.clip(floor), label=name)[0]
        first, second = null_split(non.size, outcome.report["config"]["seed"])
        null = roc_curve(non[first], non[second])
        ax.plot(
            null.fpr.clip(floor),
            null.tpr.clip(floor),
            linestyle="--",
            alpha=0.5,
            color=line.get_color(),
        )
    ax.plot([floor, 1], [floor, 1], color="grey", linewidth=0.8, label="chance")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(floor, 1)
    ax.set_ylim(floor, 1.05)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title("Membership inference (dashed: null control)")
    ax.legend(fontsize=8, loc="lower right")
    return _svg(fig)


def exposure_svg(outcome: AuditOutcome) -> str:
    """Exposure of each canary against its repetition count, with threshold and chance."""
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    threshold = outcome.report["config"]["thresholds"]["max_exposure_bits"]
    reps = [c.repetitions for c in outcome.canaries]
    bits = [c.exposure_bits for c in outcome.canaries]
    colours = ["tab:red" if c.regurgitated else "tab:blue" for c in outcome.canaries]
    ax.scatter([r + 0.0 for r in reps], bits, c=colours, s=28, zorder=3)
    if outcome.control is not None:
        ctrl = outcome.control.injected + outcome.control.held_out
        ax.scatter(
            [c.repetitions for c in ctrl],
            [c.exposure_bits for c in ctrl],
            marker="x",
            color="black",
            label="positive control (fine-tuned copy)",
            zorder=4,
        )
    ax.axhline(threshold, color="tab:orange", linestyle="--", label=f"threshold {threshold} bits")
    ax.axhline(1.0, color="grey", linewidth=0.8, label="chance ≈ 1 bit")
    ax.set_xscale("symlog", linthresh=1)
    levels = sorted(set(reps) | {0})
    ax.set_xlim(-0.3, max(levels) * 1.6 + 0.5)
    ax.set_xticks(levels)
    ax.set_xticklabels([str(level) for level in levels])
    ax.set_xlabel("repetitions in the training set (0 = negative control)")
    ax.set_ylabel("exposure (bits)")
    ax.set_title("Canary exposure (red: regurgitated by greedy decoding)")
    ax.legend(fontsize=8, loc="upper left")
    return _svg(fig)


def _reasoning_table(report: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr class='{html.escape(f['outcome'])}'><td>{html.escape(f['rule'])}</td>"
        f"<td>{html.escape(f['outcome'])}</td><td>{html.escape(f['detail'])}</td></tr>"
        for f in report["reasoning"]
    )
    return (
        "<table><thead><tr><th>check</th><th>outcome</th><th>evidence</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _membership_table(report: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(m['attack'])}</td><td>{m['auc']:.3f}</td>"
        f"<td>{m['tpr_at_1pct_fpr']:.3f}</td><td>{m['tpr_at_0_1pct_fpr']:.3f}</td>"
        f"<td>{m['null_auc']:.3f}</td><td>{m['fpr_resolution']}</td></tr>"
        for m in report["membership"]
    )
    return (
        "<table><thead><tr><th>attack</th><th>AUC (chance 0.5)</th><th>TPR @1% FPR</th>"
        "<th>TPR @0.1% FPR</th><th>null AUC</th><th>FPR resolution</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def figures_html(outcome: AuditOutcome) -> str:
    """Status line, the two plots and the reasoning: the fragment the demo embeds."""
    status = outcome.report["status"]
    return (
        f"<p class='status {status}'><strong>Status: {html.escape(status)}</strong> — "
        f"{html.escape(_STATUS_TEXT[status])}</p>"
        f"<div class='figures'><figure>{roc_svg(outcome)}</figure>"
        f"<figure>{exposure_svg(outcome)}</figure></div>"
        f"<h3>Reasoning</h3>{_reasoning_table(outcome.report)}"
    )


def render_html(outcome: AuditOutcome) -> str:
    """The whole report page."""
    report = outcome.report
    reg = report["extraction"]["regurgitation"]
    config = report["config"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Model audit: {html.escape(report["status"])}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;font-size:.9rem}}tr.fail td:nth-child(2){{color:#a00;font-weight:bold}}
tr.missing td:nth-child(2){{color:#a60}}.status{{font-size:1.2rem;padding:.6rem;border-radius:4px}}
.personal_data{{background:#fdd}}.anonymous{{background:#dfd}}.undetermined{{background:#ffd}}
.figures{{display:flex;flex-wrap:wrap;gap:1rem}}figure{{margin:0}}pre{{white-space:pre-wrap}}
</style></head><body>
<h1>Memorisation audit of <code>{html.escape(config["model"])}</code></h1>
{figures_html(outcome)}
<h2>Membership inference</h2>{_membership_table(report)}
<h2>Verbatim regurgitation</h2>
<p>Expected share of sampled continuations (temperature 1) that reproduce the next
{reg["target_tokens"]} tokens of a text verbatim: members {reg["member_rate"]:.4f}
({reg["member_excerpts"]} excerpts), non-members (control, chance level) {reg["non_member_rate"]:.4f}.
Greedy decoding reproduces {reg["member_greedy"]:.3f} of members and
{reg["non_member_greedy"]:.3f} of non-members.</p>
<h2>Queries</h2><p>{config["queries_used"]} of {config["budget"]} queries used:
{html.escape(", ".join(f"{k} {v}" for k, v in config["queries_by_test"].items()))}.
Seed {config["seed"]}, device {html.escape(config["device"])}, model sha256
<code>{config["model_sha256"][:16]}…</code>.</p>
<h2>How the status is decided</h2><pre>{html.escape(STATUS_RULES or "")}</pre>
</body></html>
"""
