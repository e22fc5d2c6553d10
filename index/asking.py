"""What a question asks: its question word and the words beside it, the kinds of answer it wants, its frame.

Read off the question alone (index.analyze gives its words and kinds), for the
answer line (index.extract), its lines (index.lines) and the decision
(index.decide):

* the question word (哪, 什么, 多少 …) and the content words either side of it,
  which the answer sits beside (位于[哪里], [什么]公司);
* the kinds of answer wanted, the most specific only (a sum of money is also a
  figure), and which of them are values (a date, a figure, a sum);
* its frame: asking why, what happens if, on what condition, what was said, or
  who said it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .analyze import Question
from .clauses import EDGE
from .names import PERSON_ENDINGS

_ASKING = re.compile(r"哪|什么|啥|几|多少|谁|怎|何|吗|是否|是不是|有没有|多久|多大|多长|多高|多远")
# Asked the name of someone (那名学生叫什么, 局长是谁, 哪位律师): the words before say whom.
_NAME_ASKED = re.compile(r"(?:的)?(?:真名|全名|名字|姓名)?(?:叫什么|名叫|姓名|名字|全名|真名|是谁|是哪位|哪位|什么人)")
_NOT_WHOM = frozenset(["真名", "全名", "名字", "姓名", "名称", "的", "那", "这", "个", "位", "名",
                       "那位", "那名", "这位"])
NEIGHBOURS = 2           # words either side of the question word that say what is asked about
VALUE_KINDS = ("time", "quantity", "money")       # kinds a clause gives as a value: a date, a figure, a sum
# Asking for a person's name or who someone is (叫什么名字, 真名, 是谁, 哪位).
ASKS_NAME = re.compile(r"叫什么|名叫|姓名|名字|全名|真名|是谁|哪位|什么人")
# Words that only link the question's words to the answer (是, 为, 在 …): trimmed with them at the edges.
LINKS = frozenset(["是", "为", "在", "于", "的", "了", "将", "已", "已经", "就", "也", "都", "还", "被", "由", "从",
                   "对", "把", "和", "与", "及", "约", "共", "有", "会", "要", "可", "能", "则"])

ASKS_CONDITION = re.compile(r"(?:什么|哪些|何种|哪种)(?:情况|条件|前提)|前提|条件是|在什么时候才")
ASKS_CONSEQUENCE = re.compile(r"(?:会|将|要)(?:怎样|怎么样|咋样|咋办|怎么办|如何)|什么(?:下场|后果|结果|处罚)|"
                              r"怎么办|咋办|(?:如果|要是|假如|若|一旦).*(?:会|将)")
# Asked what was said or answered (怎么回复的, 说了什么, 得到什么回应): the words after the speech verb.
ASKS_WHAT_SAID = re.compile(r"(?:怎么|怎样|如何)(?:说|回应|答复|回复|回答|表示|解释|讲|否认)|"
                            r"(?:说|讲|回应|答复|回复|表示)了?(?:些)?(?:什么|啥)|(?:什么|啥)(?:回应|答复|回复|说法|反应)")
# A question about something said (谁说…, 哪天表态的, 王鸿薇说…).
SPEECH = re.compile(r"说|讲|告诉|表示|表态|称|认为|透露|提到|指出|预计|爆料|回应|否认|承认|证实|分析")


# The question word with the classifier or noun it asks by (什么形状, 哪一年, 几个): the slot of the answer.
_SLOT = re.compile(r"(?:什么|哪|啥|几|多少|谁|何|怎样|怎么样|如何)(?:[一这那]?[个位名家种年月天次处里儿些样])?")
FRAME_CHARS = 4          # how much of the question after the slot is its frame
MIN_FRAME = 2            # characters of that frame a clause must hold


def after_slot(question: Question) -> str:
    """What the question says right after its question word, as it writes it (有着[怎样]的美誉 → 的美誉; 是[谁]的
    皇后 → 的皇后): a clause saying it after a phrase of its own (有「洁颜油之父」的美誉) has the answer in that
    slot."""
    text = question.normalized.rstrip("？?。！!～~ ")
    slot = _SLOT.search(text)
    return re.split(r"[，,；;：:\s]", text[slot.end():])[0][:FRAME_CHARS] if slot else ""


def before_slot(question: Question) -> str:
    """What the question says right before a question word that ends it (重要前提[是什么] → 重要前提), else ""."""
    text = question.normalized.rstrip("？?。！!～~ 呢吗啊呀")
    slot = _SLOT.search(text)
    if slot is None or text[slot.end():].strip("的是呢"):
        return ""
    return re.split(r"[，,；;：:\s]", text[:slot.start()])[-1].removesuffix("是").removesuffix("为")[-FRAME_CHARS:]


def in_frame(plain: str, after: str) -> bool:
    """The clause holds a piece of at least MIN_FRAME characters of what follows the question word (after_slot),
    not at its start: a phrase of the clause's own stands where the question word stood."""
    return any(plain.find(after[start:start + n]) >= 1
               for n in range(len(after), MIN_FRAME - 1, -1) for start in range(len(after) - n + 1))


def _question_word_at(question: Question) -> int | None:
    return next((i for i, w in enumerate(question.words) if not w.term and _ASKING.search(w.text)), None)


def neighbours(question: Question) -> list[str]:
    """The content words next to the question word (位于[哪里], [什么]公司): the answer sits beside them."""
    at = _question_word_at(question)
    if at is None:
        return []
    words = question.words
    near = [*words[max(0, at - NEIGHBOURS):at], *words[at + 1:at + 1 + NEIGHBOURS]]
    return [w.text for w in near if w.text.strip(EDGE) and w.text not in LINKS]


def asked_head(question: Question) -> set[str]:
    """The words right after the question word (什么[公司], 多少[年]): the answer's own head or unit, kept."""
    at = _question_word_at(question)
    if at is None:
        return set()
    return {w.text for w in question.words[at + 1:at + 1 + NEIGHBOURS] if w.term}


def asks_subject(question: Question) -> bool:
    """Whether the question word comes before the question's content words (哪一个皇帝要求…, 谁负责…): Chinese
    keeps a question word where its answer stands, so the answer is then the subject, before what the
    question says about it."""
    at = _question_word_at(question)
    if at is None:
        return False
    content = [i for i, w in enumerate(question.words) if w.term]
    return bool(content) and sum(i > at for i in content) > len(content) / 2


def wanted_kinds(question: Question) -> tuple[str, ...]:
    """The kinds asked, the most specific only: a sum of money or a date is also "a figure"."""
    kinds = question.kinds
    if "quantity" in kinds and ("money" in kinds or "time" in kinds):
        kinds = tuple(k for k in kinds if k != "quantity")
    return kinds


def question_words(question: Question) -> set[str]:
    """Its words as written and their search terms."""
    return {w.text for w in question.words if w.text.strip()} | {w.term for w in question.words if w.term}


def asks_who_said(question: Question) -> bool:
    """谁说…/是谁讲过…/是哪家媒体报道的: the answer is the source of the claim.  A speech verb before the question
    word asks what was said instead (陈丽说哪家超市…)."""
    text = question.normalized
    if "organisation" not in question.kinds:
        return "person" in question.kinds and bool(SPEECH.search(text))
    at = _question_word_at(question)
    asked = len("".join(w.text for w in question.words[:at])) if at is not None else 0
    return bool(SPEECH.search(text, asked) or _REPORTED.search(text, asked))


# Who reported or disclosed it is who the claim is credited to (哪家媒体报的, 谁最先曝光的).
_REPORTED = re.compile(r"报道|报导|报的|报出|曝光|披露|放出")


def person_asked(question: Question, tagged: Callable[[str], Iterable[tuple[str, str]]]) -> str | None:
    """The noun for the person whose name the question asks (那名协警叫什么名字 -> 协警), when it names them by a
    role; ``tagged``: a (word, part of speech) tokenizer."""
    asked = _NAME_ASKED.search(question.normalized)
    if asked is None:
        return None
    words = [(w, t) for w, t in tagged(question.normalized[: asked.start()]) if w.strip()]
    while words and words[-1][0] in _NOT_WHOM:
        words.pop()
    if not words:
        return None
    word, tag = words[-1]
    if len(word) == 1 and len(words) > 1 and len(words[-2][0]) == 1:    # a word the dictionary lacks, cut (协/警)
        word = words[-2][0] + word
    return word if len(word) >= 2 and tag[:1] in ("n", "j", "b", "v") and word.endswith(PERSON_ENDINGS) else None
