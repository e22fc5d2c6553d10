"""BM25Index gives rank_bm25.BM25Okapi's scores bit for bit, and a correct top-k.

The reference is rank_bm25 itself, run on the same analysed terms: the seed
report's paragraphs and questions, and seeded random corpora built to reach the
awkward cases (terms in most documents, whose idf is floored to ε·mean idf;
tiny corpora where that floor is negative; repeated and unknown query terms;
empty documents and queries; many equal scores).
"""

from __future__ import annotations

import json
import math
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index import build_index, load_corpus
from index.bm25 import BM25Index, TermCounts
from index.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def reference_top(reference: BM25Okapi, corpus: list[list[str]], query: list[str], k: int) -> list[tuple[int, float]]:
    """The documents holding a query term, by (score desc, document id), from the reference's scores."""
    scores = reference.get_scores(query)
    terms = set(query)
    matching = [i for i, doc in enumerate(corpus) if terms.intersection(doc)]
    return [(i, float(scores[i])) for i in sorted(matching, key=lambda i: (-scores[i], i))[:k]]


def assert_same_scores(corpus: list[list[str]], queries: list[list[str]], ours: BM25Index | None = None) -> None:
    ours, reference = ours or BM25Index(corpus), BM25Okapi(corpus)
    assert ours.idf == reference.idf
    assert ours.avgdl == reference.avgdl
    for query in queries:
        expected = reference.get_scores(query)
        got = ours.get_scores(query)
        assert np.array_equal(got, expected), (query, np.max(np.abs(got - expected)))
        ids, totals = ours.scores(query)
        assert ids.tolist() == sorted(set(ids.tolist()))
        assert np.array_equal(totals, expected[ids])
        for k in (1, 3, 10):
            assert ours.top(query, k) == reference_top(reference, corpus, query, k), (query, k)


# -- the seed report ------------------------------------------------------

@pytest.fixture(scope="module")
def seed_index():
    return build_index(load_corpus(ROOT / "seeds"))


def _questions(*names: str) -> list[str]:
    out = []
    for name in names:
        with (DATA / name).open(encoding="utf-8") as f:
            out.extend(json.loads(line)["q"] for line in f if line.strip())
    return out


def test_seed_report_scores_equal_rank_bm25(seed_index):
    corpus = [seed_index.tokenizer.word_terms(normalize(p.text)) for p in seed_index.paragraphs]
    questions = _questions("eval_questions.jsonl", "eval_unanswerable.jsonl")
    queries = [seed_index.tokenizer.word_terms(normalize(q)) for q in questions]
    queries += [list(seed_index.analyze(q).word_terms) for q in questions]   # what search really sends
    assert len(corpus) == 28
    # The comparison means something only if most questions score some paragraph.
    reference = BM25Okapi(corpus)
    assert sum(reference.get_scores(q).max() > 0 for q in queries) > 0.8 * len(queries)
    assert_same_scores(corpus, queries)


def test_engine_rankings_use_the_same_scores(tmp_path):
    """Both of the engine's rankings are BM25Okapi: over jieba word terms and over character bigrams.
    (The report alone, without its knowledge file, whose synonyms would add terms to its paragraphs.)"""
    report = next((ROOT / "seeds").glob("*.md"))
    (tmp_path / report.name).write_bytes(report.read_bytes())
    seed_index = build_index(load_corpus(tmp_path))
    texts = [normalize(p.text) for p in seed_index.paragraphs]
    words = [seed_index.tokenizer.word_terms(t) for t in texts]
    grams = [seed_index.tokenizer.bigrams(t) for t in texts]
    for corpus, ranking, query_of in ((words, seed_index.retriever.words, lambda q: list(q.word_terms)),
                                      (grams, seed_index.retriever.bigrams, lambda q: list(q.bigrams)[:6])):
        reference = BM25Okapi(corpus)
        for question in _questions("eval_questions.jsonl")[:40]:
            terms = query_of(seed_index.analyze(question))
            assert ranking.top(terms, 3) == reference_top(reference, corpus, terms, 3), question


# -- random corpora -------------------------------------------------------

def random_corpus(rng: random.Random, docs: int, vocabulary: int, common: int = 3) -> list[list[str]]:
    """Zipf-ish terms, plus `common` terms put into most documents (negative idf)."""
    words = [f"t{i}" for i in range(vocabulary)]
    weights = [1 / (i + 1) for i in range(vocabulary)]
    corpus = []
    for _ in range(docs):
        doc = rng.choices(words, weights, k=rng.randint(0, 40))
        doc += [f"c{j}" for j in range(common) if rng.random() < 0.8] * rng.randint(1, 3)
        rng.shuffle(doc)
        corpus.append(doc)
    return corpus


def random_queries(rng: random.Random, corpus: list[list[str]], n: int) -> list[list[str]]:
    vocab = sorted({t for doc in corpus for t in doc})
    queries: list[list[str]] = [[], ["unknown"], ["unknown", "also-unknown"]]
    for _ in range(n):
        query = rng.choices(vocab, k=rng.randint(1, 6))
        if rng.random() < 0.3:
            query.append(rng.choice(query))          # a repeated term counts twice
        if rng.random() < 0.3:
            query.insert(rng.randrange(len(query) + 1), "never-seen")
        queries.append(query)
    return queries


@pytest.mark.parametrize(("seed", "docs", "vocabulary"), [(1, 300, 200), (2, 1000, 3000), (3, 57, 20)])
def test_random_corpus_scores_equal_rank_bm25(seed, docs, vocabulary):
    rng = random.Random(seed)
    corpus = random_corpus(rng, docs, vocabulary)
    ours = BM25Index(corpus)
    # The ε floor is exercised: common terms have a negative raw idf and get
    # ε·(mean raw idf), which is itself negative in the small-vocabulary case.
    raw = {t: math.log(docs - n + 0.5) - math.log(n + 0.5) for t, n in ours.doc_freq.items()}
    eps = 0.25 * sum(raw.values()) / len(raw)
    floored = [t for t, value in raw.items() if value < 0]
    assert floored and all(ours.idf[t] == eps for t in floored)
    assert_same_scores(corpus, random_queries(rng, corpus, 150))


@pytest.mark.parametrize("docs", [1, 2, 3])
def test_tiny_corpora_with_negative_floor(docs):
    # With one or two documents the mean idf is negative or zero, so floored
    # terms score below zero: still the reference's numbers.
    rng = random.Random(docs)
    corpus = [[*rng.choices(["a", "b", "c", "d"], k=rng.randint(1, 6)), "a"] for _ in range(docs)]
    assert_same_scores(corpus, [["a"], ["a", "b"], ["d", "d", "c"], ["z"], []])


def test_empty_documents_and_queries():
    corpus = [[], ["a", "b"], [], ["b", "c", "c"], ["a"]]
    assert_same_scores(corpus, [[], ["a"], ["c", "a", "c"], ["x", "b"]])
    ours = BM25Index(corpus)
    assert ours.top([], 3) == []
    assert ours.top(["x"], 3) == []
    assert ours.top(["a"], 0) == []
    ids, totals = ours.scores(["x"])
    assert len(ids) == len(totals) == 0


# -- top(k): order and ties -----------------------------------------------

def test_top_breaks_ties_by_document_order():
    # Identical documents score identically; the earlier one comes first.
    corpus = [["x", "y"], ["a", "b"], ["a", "b"], ["y"], ["a", "b"], ["a", "b", "b"], ["a", "b"]] * 30
    ours = BM25Index(corpus)
    reference = BM25Okapi(corpus)
    for query in (["a"], ["b"], ["a", "b"], ["b", "a", "y"], ["y", "a"]):
        for k in (1, 2, 3, 7, 50, 1000):
            got = ours.top(query, k)
            assert got == reference_top(reference, corpus, query, k), (query, k)
            assert len({doc for doc, _ in got}) == len(got)
            assert all(got[i][1] > got[i + 1][1] or (got[i][1] == got[i + 1][1] and got[i][0] < got[i + 1][0])
                       for i in range(len(got) - 1))


def test_top_on_a_larger_zipf_corpus():
    # Long postings and many equal scores: the bound and the cut must keep every tie.
    rng = random.Random(7)
    corpus = random_corpus(rng, 5000, 400, common=2)
    ours, reference = BM25Index(corpus), BM25Okapi(corpus)
    for query in random_queries(rng, corpus, 40):
        for k in (1, 3, 25):
            assert ours.top(query, k) == reference_top(reference, corpus, query, k), (query, k)


def test_scratch_state_does_not_leak_between_queries_or_threads():
    rng = random.Random(11)
    corpus = random_corpus(rng, 2000, 300)
    queries = random_queries(rng, corpus, 60)
    ours = BM25Index(corpus)
    expected = [ours.top(q, 5) for q in queries]
    assert [ours.top(q, 5) for q in queries] == expected       # same answers the second time
    fresh = [BM25Index(corpus).top(q, 5) for q in queries[:10]]
    assert fresh == expected[:10]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda q: ours.top(q, 5), queries * 4)) == expected * 4


def test_summed_totals_nested_or_interrupted_leave_every_answer_the_reference_s():
    rng = random.Random(12)
    corpus = random_corpus(rng, 500, 120)
    first, second = random_queries(rng, corpus, 2)[-2:]
    ours, reference = BM25Index(corpus), BM25Okapi(corpus)
    ids = np.arange(len(corpus))
    ours.top(first, 3)                              # the scratch array exists and is kept
    with ours.summed(first) as outer:
        with ours.summed(second) as inner:          # the same index twice: the inner call gets its own array
            assert np.array_equal(inner.at(ids), reference.get_scores(second))
        assert np.array_equal(outer.at(ids), reference.get_scores(first))
    with pytest.raises(KeyError), ours.summed(first):
        raise KeyError("interrupted while summed")
    assert np.array_equal(ours.get_scores(second), reference.get_scores(second))   # nothing left over
    with ours.summed(["not a term of the corpus"]) as nothing:
        assert nothing.top(3) == [] and not nothing.at(ids).any()


@pytest.mark.parametrize("seed", [3, 4])
def test_an_index_of_joined_parts_equals_one_of_the_whole_corpus(seed):
    """Reports' saved counts joined (TermCounts.joined) index exactly like the corpus they came from."""
    rng = random.Random(seed)
    parts = [random_corpus(rng, rng.randint(0, 30), rng.choice([5, 50])) for _ in range(6)]
    whole = [doc for part in parts for doc in part]
    joined = TermCounts.joined([TermCounts.of(part) for part in parts])
    assert joined.vocabulary == TermCounts.of(whole).vocabulary
    assert [sorted(joined.terms_of(d)) for d in range(len(whole))] == [sorted(set(doc)) for doc in whole]
    assert_same_scores(whole, random_queries(rng, whole, 60), BM25Index(joined))


def test_the_smoothed_idf_and_the_saturation_the_decision_weighs_bigrams_by() -> None:
    index = BM25Index([["a", "b"], ["a", "a", "c", "d"]])       # avgdl 3
    # ln(1 + (N − n + 0.5) / (n + 0.5)), by hand: "a" in both documents, "c" in one, "z" in none
    assert index.smooth_idf("a") == pytest.approx(math.log(1 + 0.5 / 2.5))
    assert index.smooth_idf("c") == pytest.approx(math.log(1 + 1.5 / 1.5))
    assert index.smooth_idf("z") == pytest.approx(math.log(1 + 2.5 / 0.5))
    assert index.idf["a"] < index.smooth_idf("a")                # (BM25Okapi's: its ε floor of a negative mean)
    assert index.smooth_idf("c", (1, 2)) == pytest.approx(math.log(1 + 0.5 / 1.5))     # within document 1 only
    assert index.smooth_idf("c", (0, 1)) == pytest.approx(math.log(1 + 1.5 / 0.5))
    # f·(k1+1) / (f + k1·(1 − b + b·|D|/avgdl)), k1 = 1.5, b = 0.75
    assert index.saturation("a", 1) == pytest.approx(2 * 2.5 / (2 + 1.5 * (0.25 + 0.75 * 4 / 3)))
    assert index.saturation("b", 0) == pytest.approx(2.5 / (1 + 1.5 * (0.25 + 0.75 * 2 / 3)))
    assert index.saturation("b", 1) == 0.0 and index.saturation("z", 0) == 0.0
