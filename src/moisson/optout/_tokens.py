"""Which robots.txt product tokens speak for which purpose (optout-signals.md §2.6, C-05).

Training and control tokens (GPTBot, CCBot, Google-Extended...) and the collector's own token
count for every purpose. Search and user-fetch tokens only count for their own purpose:
blocking ``OAI-SearchBot`` is not a training opt-out.
"""

from __future__ import annotations

from moisson.optout._verdict import Purpose

__all__ = ("DEFAULT_AI_TOKENS", "TOKEN_PURPOSES", "tokens_for_purpose")

DEFAULT_AI_TOKENS: tuple[str, ...] = (
    "GPTBot",
    "Google-Extended",
    "Applebot-Extended",
    "CCBot",
    "ClaudeBot",
    "anthropic-ai",
    "Meta-ExternalAgent",
    "cohere-training-data-crawler",
    "Bytespider",
    "AI2Bot",
    "Diffbot",
    "PanguBot",
)

_SEARCH: tuple[Purpose, ...] = ("search",)
_USER: tuple[Purpose, ...] = ("ai-input",)

TOKEN_PURPOSES: dict[str, tuple[Purpose, ...]] = {
    "oai-searchbot": _SEARCH,
    "claude-searchbot": _SEARCH,
    "perplexitybot": _SEARCH,
    "amzn-searchbot": _SEARCH,
    "meta-webindexer": _SEARCH,
    "googlebot": _SEARCH,
    "bingbot": _SEARCH,
    "applebot": _SEARCH,
    "chatgpt-user": _USER,
    "claude-user": _USER,
    "perplexity-user": _USER,
    "mistralai-user": _USER,
    "meta-externalfetcher": _USER,
    "amzn-user": _USER,
    "duckassistbot": _USER,
}


def tokens_for_purpose(tokens: tuple[str, ...], purpose: str) -> tuple[str, ...]:
    """The tokens whose robots.txt groups decide for ``purpose``."""
    return tuple(t for t in tokens if purpose in TOKEN_PURPOSES.get(t.lower(), (purpose,)))
