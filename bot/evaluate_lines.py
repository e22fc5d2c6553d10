"""The answer line (index.extract) against gold short answers, and the conflict note against labels.

``python -m bot eval --lines [--part dev|final]`` prints, in one run:

* on the public reading-comprehension samples (CMRC 2018, DRCD) and on the news
  reports' questions (tests/data/reports/*: each has a gold answer copied from the
  report), over the questions the engine answers: exact match and character F1 of the answer line
  against the gold span (the best of the gold variants), the share of questions
  answered from a gold paragraph whose gold span lies inside the line, and the
  same three for the baseline "the whole cited sentence is the answer";
* on the bundled report, the share of the gold short answers
  (tests/data/short_answers.jsonl, written from the report alone) the line
  matches (any of its values when sources disagree): a gold span inside the
  line, or the line a piece of one holding at least half of it;
* on questions labelled for conflict (tests/data/conflicts.jsonl), how often the
  conflict note is shown when the sources really disagree and when they do not;
* on yes/no questions with a gold verdict (tests/data/yes_no.jsonl, 是/否/不确定,
  written from the reports alone), how often the line gives 是 or 否 and how often
  that verdict is right (a verdict on a question the report leaves open is wrong).

Matching is on normalised text (simplified, half-width), final 。 ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from index.normalize import normalize
from index.reply import Answer

from .evaluate import DATA, evaluation_sets, rows
from .service import ReportService, build_engine

SHORT_ANSWERS = DATA / "short_answers.jsonl"
CONFLICTS = DATA / "conflicts.jsonl"
# The conflict labels' last rows are the final part (scored once at the end of a round of work).
CONFLICTS_FINAL_FROM = 25
# Conflict labels on news reports of the development part, written from each report alone; the labels of these
# reports are the final part (chosen before any label was written).
NEWS_CONFLICTS = DATA / "conflicts_news.jsonl"
NEWS_CONFLICTS_FINAL = ("people-lanzhou-hijack-rumor-2011", "xinjingbao-wuhan-vegetable-rumor-2020")
YES_NO = DATA / "yes_no.jsonl"
# The yes/no questions of these reports are the final part.
YES_NO_FINAL = ("taiwan-food-delivery-merger-2024", "taiwan-university-enrollment-2023",
                "emc-china-president-rumor-2006")
BUNDLED_DOC = "xiaomi-auto-factory-2023-11"


def _plain(text: str) -> str:
    return normalize(text).rstrip("。.")


def char_f1(prediction: str, gold: str) -> float:
    predicted, wanted = list(_plain(prediction)), list(_plain(gold))
    common = sum((Counter(predicted) & Counter(wanted)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def matches(line: str, golds: Sequence[str]) -> bool:
    """A gold span inside the line, or the line a piece of a gold span holding at least half of it."""
    plain = _plain(line)
    return bool(plain) and any(_plain(g) in plain or (plain in _plain(g) and 2 * len(plain) >= len(_plain(g)))
                               for g in golds)


@dataclass
class LineScore:
    name: str
    answered: int = 0
    right_paragraph: int = 0
    exact: float = 0.0
    f1: float = 0.0
    inside: int = 0
    baseline_exact: float = 0.0
    baseline_f1: float = 0.0
    baseline_inside: int = 0
    conflicts: int = 0          # answers showing the conflict note (encyclopaedia articles: seldom a real one)

    def plus(self, other: LineScore, name: str) -> LineScore:
        return LineScore(name, *(getattr(self, f) + getattr(other, f) for f in (
            "answered", "right_paragraph", "exact", "f1", "inside", "baseline_exact", "baseline_f1",
            "baseline_inside", "conflicts")))

    def share(self, value: float, of_right: bool = False) -> float:
        total = self.right_paragraph if of_right else self.answered
        return value / total if total else 0.0


def _first_line(answer: Answer) -> str:
    return answer.short_answer[0].text if answer.short_answer else ""


def score_public(name: str, seeds: Path, questions: Path) -> LineScore:
    engine = build_engine(seeds)
    default_doc = engine.index.paragraphs[0].doc_id
    score = LineScore(name)
    for row in rows(questions):
        golds = row.get("answers") or [row["answer"]]
        answer = engine.answerer.answer(row["q"])
        if not answer.answered or not answer.items:
            continue
        first, line = answer.items[0], _first_line(answer)
        sentence = first.primary.text
        score.answered += 1
        score.conflicts += answer.conflict
        score.exact += max(_plain(line) == _plain(g) for g in golds)
        score.f1 += max(char_f1(line, g) for g in golds)
        score.baseline_exact += max(_plain(sentence) == _plain(g) for g in golds)
        score.baseline_f1 += max(char_f1(sentence, g) for g in golds)
        gold = {(str(row.get("doc", default_doc)), int(n)) for n in row["paragraphs"]}
        if (first.document_id, first.paragraph) in gold:
            score.right_paragraph += 1
            score.inside += any(_plain(g) in _plain(line) for g in golds)
            score.baseline_inside += any(_plain(g) in _plain(sentence) for g in golds)
    return score


def score_bundled(service: ReportService, path: Path = SHORT_ANSWERS) -> tuple[int, int]:
    """(matched, questions) of the bundled report's gold short answers."""
    labelled = rows(path)
    matched = sum(any(matches(line.text, r["answers"]) for line in service.engine.answerer.answer(r["q"]).short_answer)
                  for r in labelled)
    return matched, len(labelled)


@dataclass(frozen=True)
class ConflictScore:
    real: int                 # labelled: the sources disagree
    noted_real: int
    none: int                 # labelled: they do not
    noted_none: int


def score_conflicts(service: ReportService, part: str, path: Path = CONFLICTS) -> ConflictScore:
    labelled = rows(path)
    labelled = labelled[:CONFLICTS_FINAL_FROM] if part == "dev" else labelled[CONFLICTS_FINAL_FROM:]
    noted = [(bool(r["conflict"]), service.engine.answerer.answer(r["q"]).conflict) for r in labelled]
    return _conflict_score(noted)


def score_news_conflicts(part: str, path: Path = NEWS_CONFLICTS) -> ConflictScore:
    """The same on news reports' labels (each row names its report; those of NEWS_CONFLICTS_FINAL are the final
    part), each report answered over its own seeds."""
    labelled = [r for r in rows(path) if (r["doc"] in NEWS_CONFLICTS_FINAL) == (part == "final")]
    services: dict[str, ReportService] = {}
    return _conflict_score([(bool(r["conflict"]), _service(r["doc"], services).engine.answerer.answer(r["q"]).conflict)
                            for r in labelled])


def _service(doc: str, services: dict[str, ReportService]) -> ReportService:
    """The service over one labelled report (the bundled one or a news report's folder), built once."""
    if doc not in services:
        seeds = DATA.parent.parent / "seeds" if doc == BUNDLED_DOC else DATA / "reports" / doc / "report.md"
        services[doc] = ReportService(seeds)
    return services[doc]


def _conflict_score(noted: list[tuple[bool, bool]]) -> ConflictScore:
    """From (labelled a real conflict, the note shown) per question."""
    return ConflictScore(sum(real for real, _ in noted), sum(real and shown for real, shown in noted),
                         sum(not real for real, _ in noted), sum(not real and shown for real, shown in noted))


@dataclass(frozen=True)
class VerdictScore:
    questions: int
    decided: int              # gold 是 or 否
    given: int                # the line gave 是 or 否
    right: int


def score_verdicts(part: str, path: Path = YES_NO) -> VerdictScore:
    labelled = [r for r in rows(path) if (r["doc"] in YES_NO_FINAL) == (part == "final")]
    services: dict[str, ReportService] = {}
    given = right = 0
    for row in labelled:
        lines = _service(row["doc"], services).engine.answerer.answer(row["q"]).short_answer
        verdict = lines[0].verdict if lines else ""
        given += bool(verdict)
        right += bool(verdict) and verdict == row["verdict"]
    return VerdictScore(len(labelled), sum(r["verdict"] in ("是", "否") for r in labelled), given, right)


def main(out: TextIO, part: str = "dev", only: set[str] | None = None) -> int:
    """``only``: these news reports of the part (all when empty; the public sets are scored whole), so that a
    final part can be scored apart from the next one, kept unseen."""
    out.write("| set | answered (from a gold paragraph) | line EM | line F1 | gold inside line | "
              "sentence EM | sentence F1 | gold inside sentence | conflict note shown |\n"
              "|---|---|---|---|---|---|---|---|---|\n")
    news = LineScore(f"news reports ({part})")
    scores = []
    for spec in evaluation_sets():
        if spec.part == part and spec.source == "report" and (not only or spec.name in only):
            news = news.plus(score_public(spec.name, spec.seeds, spec.questions), news.name)
        elif spec.part == part and spec.source in ("cmrc2018", "drcd"):
            scores.append(score_public(spec.name, spec.seeds, spec.questions))
    for s in [*scores, news]:
        if s.answered:
            out.write(f"| {s.name} | {s.answered} ({s.right_paragraph}) | {s.share(s.exact):.3f} | "
                      f"{s.share(s.f1):.3f} | {s.share(s.inside, True):.3f} | {s.share(s.baseline_exact):.3f} | "
                      f"{s.share(s.baseline_f1):.3f} | {s.share(s.baseline_inside, True):.3f} | "
                      f"{s.share(s.conflicts):.3f} |\n")
    service = ReportService(DATA.parent.parent / "seeds")
    if part == "dev":
        matched, total = score_bundled(service)
        out.write(f"\nbundled report, gold short answers: {matched}/{total} matched ({matched / total:.3f})\n")
    c = score_conflicts(service, part)
    out.write(f"conflict note ({part} labels): shown on {c.noted_real}/{c.real} answers whose sources disagree, "
              f"on {c.noted_none}/{c.none} whose sources do not\n")
    if NEWS_CONFLICTS.exists():
        c = score_news_conflicts(part)
        out.write(f"conflict note (news reports, {part} labels): shown on {c.noted_real}/{c.real} answers whose "
                  f"sources disagree, on {c.noted_none}/{c.none} whose sources do not\n")
    v = score_verdicts(part)
    out.write(f"yes/no verdicts ({part}, {v.questions} questions, {v.decided} decided by the report): 是/否 given on "
              f"{v.given}, right on {v.right} ({v.right / v.given if v.given else 0:.2f})\n")
    return 0

