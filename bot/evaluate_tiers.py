"""Sentence tiers against the gold of the news reports (tests/data/reports/*/gold_sources.jsonl).

``python -m bot eval --tiers [--part dev|final]``: per report, the sentences whose
claim (same paragraph, same text, or the claim holding the sentence: a quotation of
several sentences is one claim) has the gold tier; a sentence the splitter cut across
counts as a miss.  tests/test_sources.py holds the bar on the
development reports; the final ones are scored once at the end of a round of work.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from index.loader import load_corpus

from .evaluate import DATA

REPORTS = DATA / "reports"


def final_reports() -> set[str]:
    listed = (REPORTS / "final.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in listed if line.strip() and not line.startswith("#")}


def claim_tier(claims: list[tuple[int, str, str]], paragraph: int, sentence: str) -> str | None:
    """The tier shown for a gold sentence: that of the claim of its paragraph with the same text, else of the claim
    holding it (a quotation of several sentences is one claim, attributed as a whole); None when the splitter cut
    across it."""
    text = sentence.replace(" ", "")
    mine = [(plain, tier) for number, plain, tier in claims if number == paragraph]
    return next((tier for plain, tier in mine if plain == text), None) or \
        next((tier for plain, tier in mine if text in plain), None)


def tier_hits(folder: Path) -> tuple[int, int]:
    """(sentences in the gold tier, gold sentences) for one report."""
    [document] = load_corpus(folder / "report.md").documents
    claims = [(p.number, c.text.replace(" ", ""), c.tier) for p in document.paragraphs for c in p.claims]
    gold = [json.loads(line) for line in (folder / "gold_sources.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    right = sum(claim_tier(claims, g["paragraph"], g["sentence"]) == g["tier"] for g in gold)
    return right, len(gold)


def main(out: TextIO, part: str = "dev", only: set[str] | None = None) -> int:
    """``only``: these reports of the part (all when empty), so that a final part can be scored apart from the
    next one, kept unseen."""
    final = final_reports()
    right = total = 0
    for folder in sorted(p for p in REPORTS.iterdir() if (p / "gold_sources.jsonl").is_file()):
        if (folder.name in final) != (part == "final") or (only and folder.name not in only):
            continue
        hits, count = tier_hits(folder)
        out.write(f"{folder.name}: {hits}/{count}\n")
        right, total = right + hits, total + count
    out.write(f"{part} reports: tier accuracy {right}/{total} = {right / total:.3f}\n")
    return 0
