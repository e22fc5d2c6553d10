"""A claim: one sentence of a report, who the report says it is from, and how reliable that source is."""

from __future__ import annotations

from dataclasses import dataclass

# The tiers, most reliable first; the codes are part of the interface (``ask --json``, the gold annotations).
TIERS = ("official", "reporter", "named", "anonymous", "rumor")
DEFAULT_LABELS = {"official": "官方", "reporter": "记者实地", "named": "具名第三方",
                  "anonymous": "匿名信源", "rumor": "传闻"}


@dataclass(frozen=True)
class Claim:
    text: str
    source: str
    tier: str
