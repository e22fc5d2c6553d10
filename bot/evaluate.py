"""Answer quality on every evaluation set, beside the two plain BM25 baselines, in one run.

``python -m bot eval`` prints the table the README shows; ``tests/test_quality.py``
holds the bars.  A set is a library of reports (a seeds directory or one file)
with answerable questions (gold paragraphs written from the text) and, where it
has them, near-topic questions the library does not answer.  Each source is
split into a development part (worked on) and a final part (scored once at the
end of a round of work, its first score recorded in the README).

Figures per set: hit@1 and hit@3 of the engine (a declined answerable question
counts as a miss), the share of answerable questions wrongly declined, the share
of unanswerable ones declined, and hit@1 of the jieba-word and character-bigram
BM25 baselines (bot.baselines), which never decline.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .baselines import BASELINES, Baseline
from .service import build_engine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

# The bundled report's sets of earlier rounds: all seen while the engine was tuned, so all development.
BUNDLED_DEV = ["eval", "holdout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6"]


@dataclass(frozen=True)
class EvalSet:
    name: str
    source: str                   # bundled | report | cmrc2018 | drcd
    part: str                     # dev | final
    seeds: Path                   # a seeds directory or one report file
    questions: Path
    unanswerable: Path | None = None


@dataclass
class SetScore:
    name: str
    source: str
    part: str
    answerable: int = 0
    hit1: int = 0
    hit3: int = 0
    wrongly_declined: int = 0
    unanswerable: int = 0
    declined: int = 0
    baseline_hit1: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @staticmethod
    def _share(count: int, total: int) -> float:
        return count / total if total else 0.0

    @property
    def hit1_share(self) -> float:
        return self._share(self.hit1, self.answerable)

    @property
    def hit3_share(self) -> float:
        return self._share(self.hit3, self.answerable)

    @property
    def wrongly_declined_share(self) -> float:
        return self._share(self.wrongly_declined, self.answerable)

    @property
    def declined_share(self) -> float | None:
        return self._share(self.declined, self.unanswerable) if self.unanswerable else None

    def baseline_share(self, name: str) -> float:
        return self._share(self.baseline_hit1.get(name, 0), self.answerable)

    @property
    def best_baseline(self) -> float:
        return max(self.baseline_share(name) for name in BASELINES)


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _report_sets() -> Iterable[EvalSet]:
    listed = DATA / "reports" / "final.txt"
    final = {line.strip() for line in listed.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")} if listed.exists() else set()
    for folder in sorted(p for p in (DATA / "reports").glob("*")
                         if (p / "report.md").is_file() and (p / "questions.jsonl").is_file()):
        unanswerable = folder / "unanswerable.jsonl"
        yield EvalSet(folder.name, "report", "final" if folder.name in final else "dev", folder / "report.md",
                      folder / "questions.jsonl", unanswerable if unanswerable.exists() else None)


def evaluation_sets() -> list[EvalSet]:
    sets = [EvalSet(name, "bundled", "dev", ROOT / "seeds", DATA / f"{name}_questions.jsonl",
                    DATA / f"{name}_unanswerable.jsonl") for name in BUNDLED_DEV]
    if (DATA / "final_questions.jsonl").exists():
        sets.append(EvalSet("final", "bundled", "final", ROOT / "seeds", DATA / "final_questions.jsonl",
                            DATA / "final_unanswerable.jsonl"))
    sets += list(_report_sets())
    for source in ("cmrc2018", "drcd"):
        for part in ("dev", "final"):
            folder = DATA / "public" / source / part
            if folder.is_dir():
                sets.append(EvalSet(f"{source}-{part}", source, part, folder / "seeds", folder / "questions.jsonl",
                                    folder / "unanswerable.jsonl"))
    return sets


def _gold(row: dict, default_doc: str) -> set[tuple[str, int]]:
    return {(str(row.get("doc", default_doc)), int(n)) for n in row["paragraphs"]}


def score_set(spec: EvalSet, *, baselines: bool = True) -> SetScore:
    engine = build_engine(spec.seeds)
    answerer = engine.answerer
    paragraphs = engine.index.paragraphs
    default_doc = paragraphs[0].doc_id
    keys = [(p.doc_id, p.number) for p in paragraphs]
    ranked = {name: Baseline([p.text for p in paragraphs], tokens) for name, tokens in BASELINES.items()} \
        if baselines else {}
    score = SetScore(spec.name, spec.source, spec.part, baseline_hit1=dict.fromkeys(ranked, 0))
    for row in rows(spec.questions):
        gold = _gold(row, default_doc)
        score.answerable += 1
        for name, baseline in ranked.items():
            score.baseline_hit1[name] += keys[baseline.rank(row["q"], 1)[0]] in gold
        answer = answerer.answer(row["q"])
        shown = [(item.document_id, item.paragraph) for item in answer.items]
        if not answer.answered:
            score.wrongly_declined += 1
            score.failures.append(f"declined {row['q']!r}: {answer.message[:60]}")
            continue
        score.hit1 += shown[0] in gold
        score.hit3 += bool(set(answer.ranked[:3]) & gold)     # the ranking's, whether or not all are shown
        if shown[0] not in gold:
            score.failures.append(f"{row['q']!r}: got {[n for _, n in shown]}, want {sorted(n for _, n in gold)}")
    if spec.unanswerable is not None:
        for row in rows(spec.unanswerable):
            answer = answerer.answer(row["q"])
            score.unanswerable += 1
            if answer.answered:
                score.failures.append(f"answered {row['q']!r} with {[i.paragraph for i in answer.items]}")
            else:
                score.declined += 1
    return score


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(scores: Sequence[SetScore]) -> str:
    """The README's figures table (Markdown)."""
    lines = ["| set | part | questions | hit@1 | hit@3 | wrongly declined | unanswerable declined "
             "| jieba-BM25 hit@1 | bigram-BM25 hit@1 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.name} | {s.part} | {s.answerable} + {s.unanswerable} | {_cell(s.hit1_share)} "
                     f"| {_cell(s.hit3_share)} | {_cell(s.wrongly_declined_share)} | {_cell(s.declined_share)} "
                     f"| {_cell(s.baseline_share('jieba'))} | {_cell(s.baseline_share('bigram'))} |")
    return "\n".join(lines)


def main(argv: Sequence[str], out: TextIO) -> int:
    """``python -m bot eval [--part dev|final|all] [--only NAME] [--failures] [--lines] [--tiers]``."""
    parser = argparse.ArgumentParser(prog="python -m bot eval")
    parser.add_argument("--part", choices=["dev", "final", "all"], default="dev")
    parser.add_argument("--only", action="append", default=[], help="a set name (repeatable)")
    parser.add_argument("--failures", action="store_true", help="list each miss")
    parser.add_argument("--lines", action="store_true", help="the answer line and the conflict note instead")
    parser.add_argument("--tiers", action="store_true", help="sentence tiers of the news reports instead")
    args = parser.parse_args(list(argv))
    if args.tiers:
        from .evaluate_tiers import main as tiers_main
        return tiers_main(out, "final" if args.part == "final" else "dev", set(args.only))
    if args.lines:
        from .evaluate_lines import main as lines_main
        return lines_main(out, "final" if args.part == "final" else "dev", set(args.only))
    chosen = [s for s in evaluation_sets() if (args.part == "all" or s.part == args.part)
              and (not args.only or s.name in args.only)]
    scores = []
    for spec in chosen:
        score = score_set(spec)
        scores.append(score)
        if args.failures:
            out.write(f"\n## {spec.name}\n" + "\n".join(f"- {f}" for f in score.failures) + "\n")
    out.write(table(scores) + "\n")
    return 0


__all__ = ["EvalSet", "SetScore", "evaluation_sets", "main", "score_set", "table"]
