"""The search benchmark runs end to end on a tiny corpus (no timing is asserted)."""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest

from bot import bench


@pytest.fixture(scope="module")
def tiny_report() -> dict:
    return bench.run_search_bench(paragraphs=1000, queries=60, seed=3, rank_queries=4)


def test_report_has_every_figure(tiny_report):
    r = tiny_report
    assert r["paragraphs"] == 1000
    assert r["tokens"] > 1000
    assert r["rank_bm25"]["scores_identical"] is True
    assert r["pass"]["scores"] is True
    assert r["top"]["calls"] == 60
    assert r["rank_bm25"]["queries"] == 4
    for value in (r["build_seconds"], r["top"]["median_ms"], r["top"]["p99_ms"], r["rank_bm25"]["median_ms"],
                  r["ratio"], r["search"]["median_ms"], r["search"]["p99_ms"], r["retrieve"]["median_ms"]):
        assert math.isfinite(value) and value > 0
    assert r["top"]["p99_ms"] >= r["top"]["median_ms"]
    assert r["memory"]["peak_bytes"] >= r["memory"]["index_bytes"] > 0
    assert r["postings_per_query"]["max"] >= r["postings_per_query"]["median"] > 0
    assert r["search"]["seed_paragraphs"] == 28
    assert set(r["pass"]) == {"median", "retrieve", "ratio", "scores"}
    assert r["pass"]["retrieve"] == (r["retrieve"]["median_ms"] <= r["targets"]["median_ms"])
    assert r["pass"]["median"] == (r["top"]["median_ms"] <= r["targets"]["median_ms"])
    assert r["pass"]["ratio"] == (r["ratio"] >= r["targets"]["ratio"])
    json.dumps(r)  # plain data, printable with --json


def test_format_prints_both_figures_the_ratio_and_verdicts(tiny_report):
    text = bench.format(tiny_report)
    assert f"{tiny_report['top']['median_ms']:.3f} ms" in text
    assert f"{tiny_report['rank_bm25']['median_ms']:.1f} ms" in text
    assert f"{tiny_report['ratio']:.0f}x" in text
    verdicts = [line.split(":")[0] for line in text.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(verdicts) == 4


def test_synthetic_corpus_follows_the_seed_terms():
    seed_docs = [["汽车", "小米", "汽车"], ["工厂", "汽车"], ["小米", "工厂", "生产", "汽车", "资质"]]
    corpus, vocab = bench.synthetic_corpus(seed_docs, 2000, np.random.default_rng(1), vocabulary=100)
    again, _ = bench.synthetic_corpus(seed_docs, 2000, np.random.default_rng(1), vocabulary=100)
    assert corpus == again and len(corpus) == 2000 and vocab == 100
    assert {len(doc) for doc in corpus} <= {len(doc) for doc in seed_docs}
    counts = Counter(t for doc in corpus for t in doc)
    # Zipf: the seed's most frequent term leads, and the tail is much rarer.
    assert counts.most_common(1)[0][0] == "汽车"
    assert counts["汽车"] > 10 * counts["w50"]


def test_main_prints_the_report(capsys):
    assert bench.main(["--paragraphs", "300", "--queries", "10", "--rank-queries", "2"]) == 0
    out = capsys.readouterr().out
    assert "300 synthetic paragraphs" in out and "rank_bm25" in out
    assert bench.main(["--paragraphs", "300", "--queries", "5", "--rank-queries", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["paragraphs"] == 300


def test_main_refuses_nonsense(capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--paragraphs", "0"])
    assert exc.value.code == 2
    assert "--paragraphs" in capsys.readouterr().err


def test_the_library_benchmark_writes_distinct_reports(tmp_path) -> None:
    from bot.librarybench import write_library
    from index import load_corpus
    write_library(tmp_path, 20)
    corpus = load_corpus(tmp_path)
    assert len(corpus.documents) == 20
    texts = [p.text for d in corpus.documents for p in d.paragraphs]
    assert len(set(texts)) == len(texts)              # distinct: no paragraph twice
