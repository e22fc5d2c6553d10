"""Search benchmark: BM25Index against rank_bm25 on 100,000 synthetic paragraphs.

The corpus imitates the seed reports at scale.  Paragraph lengths are drawn
from the seed paragraphs' analysed lengths; terms follow a Zipf law (s = 1)
over a vocabulary whose head is the seed's analysed terms in their seed
frequency order (汽车, 小米, 小米汽车, 工厂, …) and whose tail is synthetic rare
terms.  So the words readers ask about are among the most common of the
corpus, as they are in the report itself: a pessimistic case with long postings.
Queries are the eval questions (tests/data/eval_questions.jsonl) analysed by
the seed index, as a search would see them; without that file (e.g. in the
Docker image) they are terms sampled from the seed paragraphs.

Measured in one run: index build time and memory (tracemalloc, a second build),
median and p99 latency of ``BM25Index.top(terms, 3)`` and of the engine's whole
retrieval (``Retriever.search``: word BM25 and bigram BM25 over a second
synthetic corpus of the seed's bigrams, fused), the median of
``rank_bm25.BM25Okapi.get_scores`` on a few of the same queries (it is slow) and
the ratio, whether both give identical scores, and ``ReportIndex.search`` on
the seed reports with the question analysis included.  Timings, never tests:
run ``python -m bot bench``.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index import build_index, load_corpus
from index.answer import CANDIDATES, Answerer
from index.bm25 import BM25Index
from index.engine import ReportIndex
from index.normalize import normalize
from index.retrieve import Retriever

TARGET_MEDIAN_MS = 1.0
TARGET_RATIO = 100.0
VOCABULARY = 50_000
EVAL_QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval_questions.jsonl"


def _seeds_dir() -> Path:
    from .config import seeds_dir
    return seeds_dir()


def synthetic_corpus(seed_docs: Sequence[Sequence[str]], paragraphs: int, rng: np.random.Generator,
                     vocabulary: int = VOCABULARY) -> tuple[list[list[str]], int]:
    """``paragraphs`` term lists shaped like the seed's; returns them and the vocabulary size."""
    counts = Counter(t for doc in seed_docs for t in doc)
    head = [t for t, _ in counts.most_common()]  # ties keep first occurrence
    vocab = head + [f"w{i}" for i in range(max(0, vocabulary - len(head)))]
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    lengths = rng.choice([len(doc) for doc in seed_docs if doc], size=paragraphs)
    tokens = rng.choice(len(vocab), size=int(lengths.sum()), p=weights / weights.sum())
    bounds = np.r_[0, np.cumsum(lengths)]
    return [[vocab[i] for i in tokens[bounds[n]:bounds[n + 1]]] for n in range(paragraphs)], len(vocab)


def _questions(index: Any, seed_docs: Sequence[Sequence[str]], rng: np.random.Generator) -> tuple[list, str]:
    """(analysed queries, where they came from)."""
    if EVAL_QUESTIONS.is_file():
        with EVAL_QUESTIONS.open(encoding="utf-8") as f:
            questions = [json.loads(line)["q"] for line in f if line.strip()]
        queries = [list(q) for q in (index.analyze(text).word_terms for text in questions) if q]
        return queries, f"{len(queries)} eval questions ({EVAL_QUESTIONS.name}) analysed by the seed index"
    docs = [doc for doc in seed_docs if doc]
    queries = []
    for _ in range(200):
        doc = docs[rng.integers(len(docs))]
        queries.append([doc[i] for i in rng.choice(len(doc), size=min(len(doc), int(rng.integers(2, 6))),
                                                    replace=False)])
    return queries, "200 term sets sampled from the seed paragraphs (eval questions not found)"


def _time_calls(fn: Callable[[Any], Any], args: Sequence[Any]) -> list[float]:
    """Seconds per call, with the garbage collector paused as timeit does."""
    out = []
    gc.collect()
    gc.disable()
    try:
        for arg in args:
            start = time.perf_counter()
            fn(arg)
            out.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return out


def _ms(values: Sequence[float], q: float) -> float:
    return float(np.quantile(values, q)) * 1000 if len(values) else float("nan")


def _time_retrieval(retriever: Retriever, analysed: Sequence[Any], queries: int) -> list[float]:
    """Seconds per Retriever.search over ``queries`` calls cycling through the questions (after one warm-up)."""
    _time_calls(lambda q: retriever.search(q, CANDIDATES), analysed)
    return _time_calls(lambda q: retriever.search(q, CANDIDATES),
                       [analysed[i % len(analysed)] for i in range(max(queries, 1))])


def _build_measured(corpus: list[list[str]]) -> tuple[BM25Index, float, int, int]:
    """The index over ``corpus``, its build time in seconds, and the bytes it holds and peaked at."""
    gc.collect()
    start = time.perf_counter()
    bm25 = BM25Index(corpus)
    build_seconds = time.perf_counter() - start
    del bm25
    gc.collect()
    tracemalloc.start()
    bm25 = BM25Index(corpus)
    index_bytes, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return bm25, build_seconds, index_bytes, peak_bytes


def _against_rank_bm25(corpus: list[list[str]], bm25: BM25Index, question_terms: list[list[str]],
                       ours: list[float], rank_queries: int) -> dict:
    """rank_bm25's BM25Okapi on a sample of the timed questions: its times, ours on the same ones (from the main
    run, same cache conditions), and whether every score is identical."""
    from rank_bm25 import BM25Okapi

    start = time.perf_counter()
    reference = BM25Okapi(corpus)
    rank_build = time.perf_counter() - start
    timed = min(len(question_terms), len(ours))  # distinct questions in the timed run
    picks = list(dict.fromkeys(np.linspace(0, timed - 1, num=min(rank_queries, timed)).astype(int).tolist()))
    sample = [question_terms[i] for i in picks]
    theirs = _time_calls(reference.get_scores, sample)
    identical = all(np.array_equal(reference.get_scores(q), bm25.get_scores(q)) for q in sample)
    ours_same = [float(np.median(ours[i::len(question_terms)])) for i in picks]
    return {"queries": len(sample), "median_ms": _ms(theirs, 0.5), "build_seconds": rank_build,
            "ours_same_queries_median_ms": _ms(ours_same, 0.5), "scores_identical": identical}


def _engine_timings(report_index: ReportIndex, corpus: list[list[str]], bigram_corpus: list[list[str]],
                    question_terms: list[list[str]], queries: int) -> tuple[list[float], list[float], list[float]]:
    """The engine's own times: retrieval over the synthetic corpus (word and bigram BM25 fused, index.retrieve),
    search over the bundled reports, and the whole answer a user waits for (analysis, search, re-ranking, quotes
    and the message text)."""
    seed_questions = [" ".join(q) for q in question_terms]
    if EVAL_QUESTIONS.is_file():
        with EVAL_QUESTIONS.open(encoding="utf-8") as f:
            seed_questions = [json.loads(line)["q"] for line in f if line.strip()]
    retrievals = _time_retrieval(Retriever(corpus, bigram_corpus), [report_index.analyze(q) for q in seed_questions],
                                 queries)
    _time_calls(report_index.search, seed_questions[:20])
    searches = _time_calls(report_index.search, seed_questions * 3)
    answerer = Answerer(report_index)
    answers = _time_calls(lambda q: answerer.respond(None, q)[0].message, seed_questions * 3)
    return retrievals, searches, answers


def run_search_bench(paragraphs: int = 100_000, queries: int = 1000, seed: int = 0,
                     rank_queries: int = 20) -> dict:
    """Run the benchmark and return its figures (times in ms unless named seconds)."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    report_index = build_index(load_corpus(_seeds_dir()))
    seed_build = time.perf_counter() - start
    seed_texts = [normalize(p.text) for p in report_index.paragraphs]
    seed_docs = [report_index.tokenizer.word_terms(t) for t in seed_texts]
    question_terms, source = _questions(report_index, seed_docs, rng)
    corpus, vocab_size = synthetic_corpus(seed_docs, paragraphs, rng)
    bigram_corpus, _ = synthetic_corpus([report_index.tokenizer.bigrams(t) for t in seed_texts], paragraphs, rng)
    bm25, build_seconds, index_bytes, peak_bytes = _build_measured(corpus)

    # Every question once to warm up, then `queries` timed calls cycling through them.
    order = [question_terms[i % len(question_terms)] for i in range(max(queries, 1))]
    _time_calls(lambda q: bm25.top(q, 3), question_terms)
    ours = _time_calls(lambda q: bm25.top(q, 3), order)
    postings = [bm25.postings_length(q) for q in question_terms]
    rank_bm25 = _against_rank_bm25(corpus, bm25, question_terms, ours, rank_queries)
    retrievals, searches, answers = _engine_timings(report_index, corpus, bigram_corpus, question_terms, queries)

    median = _ms(ours, 0.5)
    ratio = rank_bm25["median_ms"] / rank_bm25["ours_same_queries_median_ms"]
    return {
        "paragraphs": paragraphs,
        "vocabulary": vocab_size,
        "tokens": sum(len(doc) for doc in corpus),
        "seed": seed,
        "queries_source": source,
        "postings_per_query": {"median": float(np.median(postings)), "max": int(max(postings))},
        "build_seconds": build_seconds,
        "memory": {"index_bytes": index_bytes, "peak_bytes": peak_bytes},
        "top": {"calls": len(ours), "median_ms": median, "p99_ms": _ms(ours, 0.99)},
        "retrieve": {"calls": len(retrievals), "median_ms": _ms(retrievals, 0.5), "p99_ms": _ms(retrievals, 0.99)},
        "rank_bm25": rank_bm25,
        "ratio": ratio,
        "ratio_vs_overall_median": rank_bm25["median_ms"] / median,
        "search": {"seed_paragraphs": len(report_index.paragraphs), "seed_build_seconds": seed_build,
                   "calls": len(searches), "median_ms": _ms(searches, 0.5), "p99_ms": _ms(searches, 0.99)},
        "answer": {"calls": len(answers), "median_ms": _ms(answers, 0.5), "p99_ms": _ms(answers, 0.99)},
        "targets": {"median_ms": TARGET_MEDIAN_MS, "ratio": TARGET_RATIO},
        "pass": {"median": median <= TARGET_MEDIAN_MS, "retrieve": _ms(retrievals, 0.5) <= TARGET_MEDIAN_MS,
                 "ratio": ratio >= TARGET_RATIO, "scores": rank_bm25["scores_identical"]},
    }


def format(report: dict) -> str:
    """A readable report with PASS/FAIL lines against the targets."""
    top, ref, search, mem = report["top"], report["rank_bm25"], report["search"], report["memory"]
    verdict = {True: "PASS", False: "FAIL"}
    lines = [
        f"Search benchmark: {report['paragraphs']:,} synthetic paragraphs, {report['tokens']:,} terms, "
        f"vocabulary {report['vocabulary']:,} (Zipf over the seed's terms), seed {report['seed']}",
        f"  queries: {report['queries_source']}; postings touched per query: "
        f"median {report['postings_per_query']['median']:,.0f}, max {report['postings_per_query']['max']:,}",
        f"  index build           {report['build_seconds']:.2f} s   "
        f"(rank_bm25.BM25Okapi: {ref['build_seconds']:.2f} s)",
        f"  index memory          {mem['index_bytes'] / 2**20:.1f} MiB retained, "
        f"{mem['peak_bytes'] / 2**20:.1f} MiB peak while building (tracemalloc)",
        f"  BM25Index.top(q, 3)   median {top['median_ms']:.3f} ms, p99 {top['p99_ms']:.3f} ms "
        f"({top['calls']} calls)",
        f"  Retriever.search(q, {CANDIDATES}) median {report['retrieve']['median_ms']:.3f} ms, "
        f"p99 {report['retrieve']['p99_ms']:.3f} ms (word and bigram BM25, fused; {report['retrieve']['calls']} calls)",
        f"  rank_bm25 get_scores  median {ref['median_ms']:.1f} ms ({ref['queries']} queries; "
        f"ours on the same queries: {ref['ours_same_queries_median_ms']:.3f} ms)",
        f"  speed-up              {report['ratio']:.0f}x on the same queries "
        f"({report['ratio_vs_overall_median']:.0f}x against the overall median); scores identical to rank_bm25: "
        f"{'yes' if ref['scores_identical'] else 'NO'}",
        f"  ReportIndex.search    median {search['median_ms']:.2f} ms, p99 {search['p99_ms']:.2f} ms on the "
        f"{search['seed_paragraphs']} seed paragraphs, analysis included ({search['calls']} calls; "
        f"seed index build {search['seed_build_seconds']:.2f} s)",
        f"  whole answer          median {report['answer']['median_ms']:.2f} ms, "
        f"p99 {report['answer']['p99_ms']:.2f} ms (Answerer.respond: analysis, search, re-ranking, "
        f"quotes, message; {report['answer']['calls']} calls)",
        f"{verdict[report['pass']['median']]}: median {top['median_ms']:.3f} ms <= "
        f"{report['targets']['median_ms']:g} ms",
        f"{verdict[report['pass']['retrieve']]}: fused retrieval median {report['retrieve']['median_ms']:.3f} ms <= "
        f"{report['targets']['median_ms']:g} ms",
        f"{verdict[report['pass']['ratio']]}: {report['ratio']:.0f}x >= {report['targets']['ratio']:g}x "
        f"faster than rank_bm25",
        f"{verdict[report['pass']['scores']]}: scores identical to rank_bm25.BM25Okapi.get_scores",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot bench", description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000, help="synthetic paragraphs (default 100000)")
    parser.add_argument("--queries", type=int, default=1000, help="timed searches (default 1000)")
    parser.add_argument("--rank-queries", type=int, default=20,
                        help="queries timed with rank_bm25, which is slow (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the synthetic corpus")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.paragraphs < 2 or args.queries < 1 or args.rank_queries < 1:
        parser.error("--paragraphs must be at least 2, --queries and --rank-queries at least 1")
    report = run_search_bench(args.paragraphs, args.queries, args.seed, args.rank_queries)
    print(json.dumps(report, ensure_ascii=False) if args.json else format(report))
    return 1 if args.strict and not all(report["pass"].values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
