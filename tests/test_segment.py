"""index.segment reproduces jieba: the same cut and tags as a jieba tokenizer with the same words added."""

from __future__ import annotations

from pathlib import Path

import jieba
import jieba.posseg
import pytest

from index.segment import Segmenter, general_dictionary

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [line for path in [ROOT / "seeds" / "xiaomi-auto-factory-2023-11.md",
                           *sorted((ROOT / "tests" / "data" / "reports").glob("*/report.md"))]
         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
ODD = ["", " ", "2024年su7售价21.59万元", "A+B&C_d.e f\r\ng", "郭明錤说：“明年2月”。", "\u3000全角　空格",
       "😀表情", "١٢٣ 12.5% -3", "\ufffd\x00\x01"]
# Words of several kinds: unknown names, a word with a given frequency and tag, prefixes of each other.
ADDED = [("郭明錤", None, None), ("北汽蓝谷", 50, "nt"), ("史特拉斯堡", None, "ns"), ("史特拉", 3, None),
         ("白车身", None, None)]


@pytest.fixture(scope="module")
def pair() -> tuple[jieba.Tokenizer, Segmenter]:
    reference = jieba.Tokenizer()
    reference.initialize()
    ours = Segmenter()
    for word, freq, tag in ADDED:
        reference.add_word(word, freq, tag)
        ours.add(word, freq, tag)
    return reference, ours


def test_the_general_dictionary_is_jiebas() -> None:
    jieba.dt.initialize()
    dictionary = general_dictionary()
    assert dictionary.frequencies == jieba.dt.FREQ
    assert dictionary.total == jieba.dt.total
    assert dictionary.tags == jieba.posseg.dt.word_tag_tab


def test_frequencies_of_added_words_are_jiebas(pair: tuple[jieba.Tokenizer, Segmenter]) -> None:
    reference, ours = pair
    assert ours.total == reference.total
    for word, _, _ in ADDED:
        assert ours.frequency(word) == reference.FREQ[word]
        for end in range(1, len(word)):
            assert ours.frequency(word[:end]) == reference.FREQ[word[:end]]


def test_cut_equals_jiebas_without_hmm(pair: tuple[jieba.Tokenizer, Segmenter]) -> None:
    reference, ours = pair
    for text in TEXTS + ODD:
        assert ours.lcut(text, HMM=False) == reference.lcut(text, HMM=False), text


def test_tags_equal_jieba_posseg_without_hmm(pair: tuple[jieba.Tokenizer, Segmenter]) -> None:
    reference, ours = pair
    tagger = jieba.posseg.POSTokenizer(reference)
    for text in TEXTS + ODD:
        assert list(ours.tagged(text)) == [(p.word, p.flag) for p in tagger.cut(text, HMM=False)], text


def test_a_segmenter_without_the_words_cuts_them_up() -> None:
    plain, with_name = Segmenter(), Segmenter()
    with_name.add("郭明錤")
    assert plain.lcut("分析师郭明錤认为", HMM=False) != with_name.lcut("分析师郭明錤认为", HMM=False)
    assert "郭明錤" in with_name.lcut("分析师郭明錤认为", HMM=False)
    assert plain.frequency("郭明錤") is None      # one segmenter's words never reach another's


def test_a_damaged_dictionary_pickle_is_read_again_from_jiebas_file(tmp_path, monkeypatch) -> None:
    import tempfile

    from index import segment
    expected = general_dictionary()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    segment.general_dictionary.cache_clear()
    try:
        first = segment.general_dictionary()                 # no pickle yet: read from dict.txt, then saved
        [saved] = list(tmp_path.glob("reportbot-jieba-*.pickle"))
        saved.write_bytes(b"\x80\x05garbage")
        segment.general_dictionary.cache_clear()
        again = segment.general_dictionary()
        assert first == again == expected
        assert saved.read_bytes() != b"\x80\x05garbage"     # replaced by a good one
    finally:
        segment.general_dictionary.cache_clear()
