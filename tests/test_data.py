"""Every evaluation set, development and final, is well formed: its reports load, every gold paragraph exists, and
every gold answer span is in one of the paragraphs it names.  (This reads the data only; the final parts are scored
once, by ``python -m bot eval --part final``.)"""

from __future__ import annotations

import pytest

from bot.evaluate import EvalSet, evaluation_sets, rows
from index import load_corpus

SETS = evaluation_sets()


def test_every_source_has_a_final_part() -> None:
    assert {s.source for s in SETS if s.part == "final"} == {"bundled", "report", "cmrc2018", "drcd"}


@pytest.mark.parametrize("spec", SETS, ids=lambda s: f"{s.part}:{s.name}")
def test_gold_paragraphs_exist_and_hold_the_answer(spec: EvalSet) -> None:
    corpus = load_corpus(spec.seeds)
    texts = {(p.doc_id, p.number): p.text for p in corpus.paragraphs}
    default_doc = corpus.paragraphs[0].doc_id
    questions = rows(spec.questions)
    assert questions
    for row in questions:
        assert row["q"].strip()
        gold = [(str(row.get("doc", default_doc)), int(n)) for n in row["paragraphs"]]
        assert gold and all(key in texts for key in gold), row["q"]
        if row.get("answer"):
            assert any(row["answer"] in texts[key] for key in gold), row["q"]
    if spec.unanswerable is not None:
        assert all(r["q"].strip() for r in rows(spec.unanswerable))
