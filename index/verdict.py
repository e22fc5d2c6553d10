"""是 or 否 for a yes/no question, from the clause the answer line comes from.

"工厂开始生产了吗" is answered 是 by "里面应该已经开始生产了" and "海马跟小米真的有
合作吗" 否 by "公司目前并无与小米汽车的相关合作消息".  The verdict is given only
when the words decide it:

* the question asks yes or no (…吗, 是否, 是不是, 有没有, 能不能 …), asks for no
  kind of value (not 什么时候…吗), and says no 不/没/未 of its own (是不是还没开工
  is answered either way in Chinese);
* the clause holds the heart of the question: at least ``HOLD_SHARE`` of its
  content words, weighted by rarity, within the clause's sentence, and one of
  them in the clause itself (what it says is about the thing asked);
* the sentence is not hedged (可能, 或将, 据传, 无法核实: the line itself, with
  its source, says as much as the report does), and its source is no rumour or
  anonymous claim (the line says who claims it).

Then a figure of the same unit other than the one asked (二楼吗 — 一楼), or a
negation (没有, 并未, 尚未, 禁止, 难以, 否认 …, but not 不断, 不少, 不仅, 不得不 …)
in a clause of the sentence about the question, makes it 否, and otherwise 是.
These are facts of Chinese, not of any report.  On the development questions 否
is nearly always right and 是 much less often (an affirmative sentence is not
always the deciding one): README, "Figures".
"""

from __future__ import annotations

import re

from .analyze import Question
from .clauses import digits
from .coverage import text_share

# (么 and 嘛 end a yes/no question, but not 什么, 怎么, 干嘛: 俗名是什么？ asks a name)
_YES_NO = re.compile(r"(吗|(?<![什怎这那多要])么|(?<![干])嘛|[了过]没有?)[?？。!！\s]*$|"
                     r"是否|是不是|有没有|能不能|会不会|可不可以|对不对|算不算|要不要|可否|"
                     r"(?:真的?|真要|真有|果真)[^？?，,]{2,}[了过][?？]\s*$")   # 真刮龙卷风了？
# 别 forbids (别信) but is no negation in 别的, 别人, 特别, 分别 …
_ASKS_OWN_NEGATION = re.compile(r"[不没未](?!不)|(?<![特分区告级类差识个性派辨鉴])别(?![的人处家墅具])")
_FIXED_FORMS = re.compile(r"是不是|有没有|能不能|会不会|可不可以|对不对|算不算|要不要|"
                          r"(?<=[了过])没有?(?=[?？。!！\s]*$)")
_HEDGE = re.compile(r"可能|或将|或许|也许|大概|据传|传闻|据说|疑似|怀疑|有望|预计|或是|或为|恐怕|不排除|未必|不一定|"
                    r"无法核实|无法证实|尚待|有待")
# Words with 不/无/未 that negate nothing (不断, 不少) or say yes twice over (不得不, 无不); removed before looking.
_NOT_NEGATING = re.compile(r"不断|不少|不仅|不但|不过|不久|不同|不错|不管|不论|不止|不得不|不禁|无论|无不|未来|"
                           r"毫不犹豫|不约而同|不遗余力|不少于|不低于|不下于|不无")
_NEGATION = re.compile(r"不|没|未|无法|并无|毫无|暂无|尚无|均无|无权|无意|无从|并非|而非|绝非|否认|禁止|严禁|拒绝|难以|"
                       r"很难|杜绝|谢绝|辟谣|谣言")
# Chosen on the development part of tests/data/yes_no.jsonl (its first seven reports).
HOLD_SHARE = 0.5          # of the question's content, weighted by rarity, in the sentence
CLAUSE_SHARE = 0.3        # in the clause the line comes from, and in a clause whose negation decides
# A rumour or an anonymous claim decides nothing: the line says who claims it.
UNDECIDING_TIERS = ("rumor",)


def yes_no_form(text: str) -> bool:
    """The (normalised) question has a yes/no form: …吗, 是不是, 有没有, …了没有, 真…了？"""
    return bool(_YES_NO.search(text))


def asks_yes_or_no(question: Question) -> bool:
    text = question.normalized
    if not yes_no_form(text) or question.kinds:
        return False
    return not _ASKS_OWN_NEGATION.search(_FIXED_FORMS.sub("", text))


# A figure with its unit: two of the same unit and different figures disagree (二楼 against 一楼: 2楼, 1楼).
_UNITS = "楼|层|元|块|美元|辆|台|人|名|家|岁|倍|%|吨|公里|米|号线|届|次"
_VALUE = re.compile(rf"(\d+(?:\.\d+)?)\s*([万亿千百]?\s*(?:{_UNITS}))")


def _values(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for number, unit in _VALUE.findall(text):
        found.setdefault(unit.replace(" ", ""), set()).add(number)
    return found


def _other_value(question: str, clause: str) -> bool:
    asked, given = _values(question), _values(clause)
    return any(unit in given and not numbers & given[unit] for unit, numbers in asked.items())


def negates(question: Question, clauses: list[str]) -> bool:
    """A clause about the question (``CLAUSE_SHARE`` of its content) says 不/没/未/否认… (normalised clauses)."""
    return any(_NEGATION.search(_NOT_NEGATING.sub("", c)) for c in clauses if text_share(question, c) >= CLAUSE_SHARE)


def verdict(question: Question, clause: str, clauses: list[str], tier: str) -> str:
    """"是", "否" or "" (undecided) for ``question``, from ``clause``, one of the ``clauses`` of a sentence
    (normalised texts) a source of ``tier`` said."""
    if not asks_yes_or_no(question) or not question.content or tier in UNDECIDING_TIERS:
        return ""
    sentence = "，".join(clauses)
    if text_share(question, sentence) < HOLD_SHARE or text_share(question, clause) < CLAUSE_SHARE:
        return ""
    if _HEDGE.search(sentence):
        return ""
    if _other_value(digits(question.normalized), digits(clause)):
        return "否"             # 出在食堂二楼吗 — 出现在食堂一楼
    return "否" if negates(question, clauses) else "是"
