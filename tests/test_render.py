"""Rendering: everything escaped, split under 4096 without cutting a tag, short ASCII callback data."""

from __future__ import annotations

import re

import pytest

from bot import render
from bot.buttons import ButtonSigner
from bot.service import ReportService
from index.compose import AnswerItem
from index.lines import ShortAnswer
from index.reply import CONFLICT_HEAD, Answer
from index.sources import Claim
from tests.botapi_emulator import parse_html

HOSTILE = '<b>粗体</b> & <a href="x">链接</a> &amp; </i> 5<6>4 "引号"'


def hostile_answer() -> Answer:
    claims = [Claim(HOSTILE, "记者<script>", "reporter"), Claim("官方称一切正常。", "官方&公司", "official")]
    item = AnswerItem("doc<1>", "标题<&>", "2023-11", 3, HOSTILE, claims, 1.0)
    answer = Answer(HOSTILE, "answer", items=[item])
    answer.short_answer = [ShortAnswer("一切正常", "doc<1>", 3, "官方&公司", "official"),
                           ShortAnswer(HOSTILE[:10], "doc<1>", 3, "记者<script>", "reporter")]
    answer.conflict = True
    return answer


def visible(html: str) -> str:
    return parse_html(html)[0]


def test_user_and_report_text_is_escaped() -> None:
    html = render.answer_html(hostile_answer())
    text = visible(html)                              # parses like Telegram's HTML parser would
    assert HOSTILE in text
    assert "记者<script>" in text and "官方&公司" in text
    assert "<script>" not in html and "&amp;amp;" in html


def test_answer_shows_paragraph_source_tier_and_conflict() -> None:
    answer = hostile_answer()
    text = visible(render.answer_html(answer))
    item = answer.items[0]
    best = answer.best_claim(item)
    assert answer.where(item) in text                       # 第N段
    assert f"{answer.label(best)}：{best.source}" in text    # tier label and source
    assert CONFLICT_HEAD in text and "官方" in text and "记者实地" in text
    assert text.startswith("答：一切正常（官方：官方&公司，第3段）；")             # the answer line leads
    assert "<b>答：" in render.answer_html(answer)


def test_declined_answers_render_their_message_escaped() -> None:
    answer = Answer("<火星>", "not_found", missing=["<火星>&"])
    assert visible(render.answer_html(answer)) == answer.message


def test_real_answers_render_and_parse(service: ReportService) -> None:
    for question in ["售价多少", "工厂什么时候投产", "<b>产能</b>&多少？", "🚗🚗"]:
        answer, _ = service.respond(None, question)
        html = render.answer_html(answer)
        assert visible(html).strip()
        for item in answer.items:
            assert f"第{item.paragraph}段" in visible(html)


def long_html(paragraphs: int = 60) -> str:
    block = "<b>第{n}段｜官方：公司</b>\n<blockquote>" + "这是一句很长的话，包含<&>符号。" * 12 + "</blockquote>"
    return "\n\n".join(block.replace("<&>", "&lt;&amp;&gt;").format(n=n) for n in range(paragraphs))


@pytest.mark.parametrize("limit", [4096, 500, 120])
def test_split_stays_under_the_limit_and_never_cuts_a_tag(limit: int) -> None:
    html = long_html()
    chunks = render.split_html(html, limit)
    assert len(chunks) > 1
    for chunk in chunks:
        assert render.utf16_len(chunk) <= limit
        parse_html(chunk)                              # balanced tags, whole entities
        assert not re.search(r"&[a-z]*$", chunk) and not re.search(r"<[^>]*$", chunk)
    rejoined = "".join(visible(c) for c in chunks)
    assert re.sub(r"\s", "", rejoined) == re.sub(r"\s", "", visible(html))


def test_split_prefers_paragraph_then_sentence_boundaries() -> None:
    chunks = render.split_html(long_html(), 4096)
    for chunk in chunks[:-1]:
        assert chunk.endswith("</blockquote>\n\n") or chunk.endswith("</blockquote>")
    # One huge paragraph: cut after a sentence, inside the quote, which is closed and reopened.
    one = "<blockquote>" + "第一句话说完了。" * 800 + "</blockquote>"
    parts = render.split_html(one, 4096)
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("<blockquote>") and part.endswith("</blockquote>")
        assert visible(part).endswith("。")


def test_split_counts_utf16_units_for_emoji() -> None:
    html = "🚗" * 3000                          # 6000 UTF-16 units, 3000 code points
    chunks = render.split_html(html, 4096)
    assert len(chunks) == 2 and all(render.utf16_len(c) <= 4096 for c in chunks)
    assert "".join(chunks) == html


def test_short_text_is_one_message_and_blank_is_none() -> None:
    assert render.split_html("<b>短</b>") == ["<b>短</b>"]
    assert render.split_html("<b> </b>") == []
    assert render.render_messages("") != []


def test_keyboard_has_more_source_and_votes(service: ReportService) -> None:
    answer, _ = service.respond(None, "售价多少")
    assert answer.answered
    signer = ButtonSigner(b"k" * 32)
    keyboard = render.answer_keyboard(answer, 77, signer, 5)
    assert keyboard is not None
    labels = [b.text for row in keyboard.inline_keyboard for b in row]
    assert {"更多", "👍", "👎"} <= set(labels)
    assert sum(label.startswith("原文") for label in labels) == len(answer.items)
    assert render.answer_keyboard(Answer("x", "not_found"), 77, signer, 5) is None
    presses = [signer.decode(b.callback_data, 5) for row in keyboard.inline_keyboard for b in row]
    assert {p.kind for p in presses if p} == {"more", "source", "vote"} and None not in presses


def test_paragraph_html_lists_each_sentence_with_its_source(service: ReportService) -> None:
    index = service.index
    document = index.documents[0]
    paragraph = document.paragraphs[2]
    text = visible(render.paragraph_html(index, document.doc_id, paragraph.number))
    assert f"第{paragraph.number}段" in text
    for claim in paragraph.claims:
        assert claim.text in text and claim.source in text
    assert render.paragraph_html(index, document.doc_id, len(document.paragraphs) + 1) is None


def test_help_shows_the_example_questions_of_the_rules(tmp_path) -> None:
    answer = Answer("你好", "help", examples=["售价多少？", "<b>工厂</b>在哪？"])
    html = render.answer_html(answer)
    assert "售价多少？" in html and "&lt;b&gt;工厂&lt;/b&gt;在哪？" in html
    assert "试试问" not in render.answer_html(Answer("你好", "help"))     # no examples file: no examples line
