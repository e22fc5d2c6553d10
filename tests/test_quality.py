"""Answer quality on the evaluation set (issue 2, section 7).

Runs the engine over tests/data/eval_*.jsonl, prints hit@1, hit@3, the share of
unanswerable questions declined, the share of answerable ones wrongly declined
and the follow-up accuracy, and fails below the bars.  ``pytest -s`` shows the
figures; each failing question is listed so a regression names its cause.

The evaluation set includes questions written after the engine in fresh phrasing
(kind "fresh": frame words, paraphrases, name typos) and questions about details
next to the report's topics that it does not give (kind "round4": which day, who
took the photos, how a party that never speaks responded), so the bars hold for
them too.  The holdout_*.jsonl files are a proxy for the unseen held-out set: they are
reported here (never tuned to) and only guarded by a loose floor, so that a
change that helps the eval set by over-fitting shows up as a drop there.
The blind*_*.jsonl files were each written by someone who read only the report,
never the code (blind: plain; blind2: chat style with emoji, particles, mixed
English; blind3: investor / car fan / journalist / casual personas; blind4: an EV
enthusiasts' group; blind5: a teacher and a class chat; blind6: executives,
polite elderly readers, fact-checkers and two-part questions); they are measured here, never tuned to question by
question, and guarded by floors.  Each set's failure categories (with a few
example phrasings) were described to the next round of engine work, so none is
perfectly blind any more; the README records each set's score before that.  Every set is also scored
with the baseline the issue names (jieba.lcut + rank_bm25 over the paragraphs)
so the gain is measured in the same run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index import build_index, load_corpus
from index.answer import Answerer

HIT_AT_1 = 0.95
HIT_AT_3 = 0.98
DECLINED = 0.90            # unanswerable questions declined
WRONGLY_DECLINED = 0.03    # answerable questions declined
FOLLOW_UPS = 0.85          # last turn of a conversation answered from the right paragraph
# Floors for the held-out proxy: the baseline (jieba + rank_bm25) has hit@1 0.77 and never declines.
HOLDOUT_HIT_AT_1 = 0.77
HOLDOUT_DECLINED = 0.5
BLIND_HIT_AT_1 = 0.80
BLIND_DECLINED = 0.8
# hit@1 against the jieba + rank_bm25 baseline: never below it on any answerable set, and this much above it
# on average (a set phrased in the report's own words gives the baseline up to 0.89).
BASELINE_MEAN_GAIN = 0.1

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Scores:
    name: str
    hit1: int = 0
    hit3: int = 0
    declined: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    def __str__(self) -> str:
        return (f"{self.name}: n={self.total} hit@1 {self.share(self.hit1):.3f} hit@3 {self.share(self.hit3):.3f} "
                f"declined {self.share(self.declined):.3f}")


def score_answerable(answerer: Answerer, name: str) -> Scores:
    scores = Scores(name)
    for row in _rows(name):
        answer = answerer.answer(row["q"])
        shown = [item.paragraph for item in answer.items]
        scores.total += 1
        if not answer.answered:
            scores.declined += 1
            scores.failures.append(f"declined {row['q']!r}: {answer.message[:40]}")
            continue
        if shown[0] in row["paragraphs"]:
            scores.hit1 += 1
        else:
            scores.failures.append(f"{row['q']!r}: got {shown}, want one of {row['paragraphs']}")
        if set(shown[:3]) & set(row["paragraphs"]):
            scores.hit3 += 1
    return scores


def score_unanswerable(answerer: Answerer, name: str) -> Scores:
    scores = Scores(name)
    for row in _rows(name):
        answer = answerer.answer(row["q"])
        scores.total += 1
        if answer.answered:
            scores.failures.append(f"answered {row['q']!r} with {[i.paragraph for i in answer.items]}")
        else:
            scores.declined += 1
    return scores


def score_follow_ups(answerer: Answerer, name: str) -> Scores:
    scores = Scores(name)
    for row in _rows(name):
        state: dict = {}
        for turn in row["turns"]:
            answer, state = answerer.respond(state, turn)
            json.dumps(state)      # the Telegram layer stores it
        scores.total += 1
        shown = [item.paragraph for item in answer.items]
        if answer.answered and shown[0] in row["paragraphs"]:
            scores.hit1 += 1
        else:
            scores.failures.append(f"{row['turns']}: got {answer.kind} {shown}, want {row['paragraphs']}")
    return scores


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(build_index(load_corpus(ROOT / "seeds")))


def _report(*all_scores: Scores) -> None:
    for scores in all_scores:
        print(f"\n{scores}")
        for failure in scores.failures:
            print(f"   - {failure}")


def test_eval_set_is_large_enough() -> None:
    assert len(_rows("eval_questions.jsonl")) >= 80
    assert len(_rows("eval_unanswerable.jsonl")) >= 20


def test_quality_bars(answerer: Answerer) -> None:
    answerable = score_answerable(answerer, "eval_questions.jsonl")
    unanswerable = score_unanswerable(answerer, "eval_unanswerable.jsonl")
    follow_ups = score_follow_ups(answerer, "eval_followups.jsonl")
    _report(answerable, unanswerable, follow_ups)
    print(f"\nQUALITY hit@1 {answerable.share(answerable.hit1):.3f}  hit@3 {answerable.share(answerable.hit3):.3f}  "
          f"unanswerable declined {unanswerable.share(unanswerable.declined):.3f}  "
          f"answerable wrongly declined {answerable.share(answerable.declined):.3f}  "
          f"follow-ups {follow_ups.share(follow_ups.hit1):.3f}")
    assert answerable.share(answerable.hit1) >= HIT_AT_1
    assert answerable.share(answerable.hit3) >= HIT_AT_3
    assert unanswerable.share(unanswerable.declined) >= DECLINED
    assert answerable.share(answerable.declined) <= WRONGLY_DECLINED
    assert follow_ups.share(follow_ups.hit1) >= FOLLOW_UPS


def test_holdout_proxy_generalises(answerer: Answerer) -> None:
    answerable = score_answerable(answerer, "holdout_questions.jsonl")
    unanswerable = score_unanswerable(answerer, "holdout_unanswerable.jsonl")
    _report(answerable, unanswerable)
    assert answerable.share(answerable.hit1) >= HOLDOUT_HIT_AT_1
    assert unanswerable.share(unanswerable.declined) >= HOLDOUT_DECLINED



@pytest.mark.parametrize("name", ["blind", "blind2", "blind3", "blind4", "blind5", "blind6"])
def test_blind_sets(answerer: Answerer, name: str) -> None:
    answerable = score_answerable(answerer, f"{name}_questions.jsonl")
    unanswerable = score_unanswerable(answerer, f"{name}_unanswerable.jsonl")
    _report(answerable, unanswerable)
    assert answerable.share(answerable.hit1) >= BLIND_HIT_AT_1
    assert unanswerable.share(unanswerable.declined) >= BLIND_DECLINED


def baseline_hit_at_1(name: str) -> float:
    """The issue's baseline: jieba.lcut + rank_bm25 over the paragraphs, top paragraph, never declines."""
    paragraphs = load_corpus(ROOT / "seeds").paragraphs
    bm25 = BM25Okapi([jieba.lcut(p.text) for p in paragraphs])
    rows = _rows(name)
    hits = sum(paragraphs[int(np.argmax(bm25.get_scores(jieba.lcut(row["q"]))))].number in row["paragraphs"]
               for row in rows)
    return hits / len(rows)


ANSWERABLE_SETS = ["eval", "holdout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6"]


def test_better_than_the_baseline(answerer: Answerer) -> None:
    gains = []
    for name in ANSWERABLE_SETS:
        ours = score_answerable(answerer, f"{name}_questions.jsonl")
        baseline = baseline_hit_at_1(f"{name}_questions.jsonl")
        gains.append(ours.share(ours.hit1) - baseline)
        print(f"\n{name}: hit@1 {ours.share(ours.hit1):.3f} against baseline (jieba + rank_bm25) {baseline:.3f}")
        assert ours.share(ours.hit1) >= baseline, name
    print(f"\nmean gain over the baseline: {sum(gains) / len(gains):.3f}")
    assert sum(gains) / len(gains) >= BASELINE_MEAN_GAIN
