"""Composing answers: the paragraphs that answer, the sentences that say it, who says it.

``Answerer.respond(state, text)`` is the whole conversation logic as a pure
function of (session state, message) -> (answer, new state); the Telegram layer
and the terminal chat only store the state.  The state is a small JSON-able
dict: the last question, context terms carried into a follow-up, and how many
results were already shown (for 更多).

Ranking: BM25 proposes candidate paragraphs; each is re-scored by its best
claim (sentence), whether that sentence gives the kind of answer wanted
(a date for 什么时候, a number for 多少), and whether one clause of it holds
the question's focus words together.  Abstention: a word the report lacks
blocks an answer outright when it names something in particular (a name, a
brand, a model with digits, or a word narrowing a topic: 电池供应商); a latin
word without digits (laptop, byd) only when the question's own specific words
pin no paragraph; any other missing word only when the rest of the question is
weak or nothing in the best paragraph resembles it (_soft_ok: 围墙 asked, 石墙
written is answered).  The things the question names must be said together
(the report mentions 二期 and 产能, but never the capacity of 二期); a question
about several things (和, 差多少, two clauses) is answered part by part when
each part is met in some paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .dates import annotate
from .engine import Clause, Focus, Query, ReportIndex
from .normalize import normalize
from .sources import DEFAULT_LABELS, Claim

PAGE = 3                 # paragraphs per answer
CANDIDATES = 12          # BM25 hits re-ranked per question
COMMON_SHARE = 0.3       # a term in more than this share of paragraphs is not specific
MAX_QUESTION_CHARS = 300  # longer messages are not questions (pasted articles, junk)
# Re-ranking weights (tuned on tests/data/eval_questions.jsonl, checked on holdout_*.jsonl).
W_SENTENCE, W_INTENT, W_LITERAL, W_CLAUSE, W_FIRST = 0.5, 0.7, 0.3, 0.6, 0.4
TOPIC_SHARE = 0.5        # a term in more than this share of paragraphs is the report's subject, no topic
# Nouns (jieba: n…, j abbreviations): the things a question is about.
_NOUN_TAGS = ("n", "j")
# Suffixes making an agent noun of a verb: 负责人 (who is in charge), 投资者.
_AGENT_SUFFIXES = "人者"
# How a message names what the report does not say, per required intent (intents.toml).
_KIND_NAMES = {"quantity": "{subject}的具体数字", "size": "{subject}的面积或规模", "day": "{subject}的具体日期",
               "date": "{subject}的时间", "year": "{subject}的年份", "duration": "{subject}所需的时间",
               "spent": "{subject}{about}的金额",
               "members": "{subject}具体是哪些", "content": "{subject}{about}的具体内容",
               "agent": "{subject}是谁{about}的", "affiliation": "{subject}所在的单位", "benefit": "{subject}的好处",
               "former": "{subject}以前的工作单位", "granted": "{subject}获批的时间",
               "founded": "{subject}成立的年份", "seconds": "{subject}的具体秒数", "address": "{subject}的具体地址",
               "colour": "{subject}的颜色", "export": "出口海外的情况"}
# Names of organisations, people and other proper nouns (jieba's tags).
_NAME_TAGS = ("nr", "nt", "nz")
# What the report lacks when asked for the bot's own taste or judgement ([opinion] in intents.toml).
OPINION = "我的个人看法"
# A paragraph with a clause that gives a required kind of answer about the subject gains this much.
W_GIVES = 0.3
# A paragraph close to a soft missing word (石墙 for 围墙) gains this much.
W_NEAR = 0.3
# A question pins a paragraph down when the best one holds all its specific things
# and one of them is this rare (郭明錤, 二期, 出货量: in at most this many paragraphs).
PIN_DF = 4
# A yes/no or either/or question (…可以对外说吗, 是一个还是好几个) whose best paragraph holds
# at least this many of its specific things, and all of them, is answered by that paragraph
# in its own words: no clause need give the kind of answer a question word in it suggests
# (公布的 -> content, 几个 -> a figure).  One specific thing (小鹏P7's price, 二期's capacity)
# is no such evidence, and a question asking for a value (多少, 哪天) is still checked;
# so is the rule that the things be said together.  (Skipping that rule, or this check
# for every question, answered up to 10% more unanswerable questions of the blind sets.)
SAID_TOGETHER = 2
_YES_NO = re.compile(r"吗|还是")
# A missing noun at least this common in jieba's dictionary (结果, 特点, 名单, 机构)
# frames a pinned question; a rarer one (激光雷达, 轴距, 门牌) is a topic of its own.
FRAME_FREQ = 1500
# A missing noun right next to the question word (雷军的老婆是谁, 有几种颜色) is the thing
# asked about, a topic unless it is this common (结果如何, 什么特点).
HEAD_FREQ = 8000
_HEAD = re.compile(r"^(是|叫|有)?(谁|什么|啥|哪|多少|几|怎么样|如何)|(什么|啥|哪些|哪个|哪种|多少|几种|几个|几款)$")
_ASKING = re.compile(r"哪|什么|啥|几|多少|谁|怎")
_YEAR = re.compile(r"\d{4}")
# A question about several things: comparing them, joining two, or asking in two clauses.
# (分别, 各自 say "each" of a list only: 四款车分别是哪几款 asks of one thing.)
_COMPARE = re.compile(r"对比|比较|相比|比起|差多少|差距|差了|差几|够不够|够吗|达得到|达不到|区别|不一样|一样吗"
                      r"|有何不同|vs")
_JOIN = re.compile(r"和|与|跟|及|以及|还是|或者|、|同")
_CLAUSE_BREAK = re.compile(r"[，,；;。？?！!]")
# jieba tags of words that describe or act (来来往往, 初具规模, 证实, 开了个) rather than name a thing.
_FRAME_TAGS = ("v", "a", "d", "i", "l", "s", "f", "t", "m", "q", "r", "p", "c", "u", "y", "z")
# "Who/what is X": the answer is where the report introduces X.
_DEFINITION = re.compile(r"(是谁|是什么人|是干什么的|是做什么的|是哪家|什么来头|是什么$|是啥$)")

_GREETING = re.compile(r"^(你好|您好|hi|hello|hey|在吗|在不在|哈喽|嗨|早|早上好|晚上好|谢谢|多谢|感谢|thanks|"
                       r"thankyou|help|帮助|怎么用|你是谁|你能做什么|/?start|/?help)[!！。.~～?？\s]*$")
_MORE = re.compile(r"^(更多|更多结果|还有吗|还有呢|还有没有|还有别的吗|继续|下一个|下一条|下一页|再来|more|next)"
                   r"[!！。.~～?？\s]*$")
_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|那个|然后)|呢[?？!！。\s]*$|他|她|它")
_FOLLOW_UP_MAX_CHARS = 14
_LOWER_TIERS = ("named", "anonymous", "rumor")
_TITLE_MAX_CHARS = 12     # a report's title in 《…》第N段 when several reports are loaded
_MISSING_MAX_CHARS = 16   # a missing "word" of 300 junk characters is not named in full



def help_text(examples: Sequence[str] = ()) -> str:
    """What the bot does and how to ask; the examples come from seeds/rules/examples.txt."""
    lines = ["我可以回答关于这篇报道的问题，每个回答都会注明出自第几段、信源是谁、可靠程度如何"
             "（官方 / 记者实地 / 具名第三方 / 匿名信源 / 传闻）。"]
    if examples:
        lines.append("试试问：" + " ".join(examples[:3]))
    lines.append("说“更多”看下一批结果。")
    return "\n".join(lines)


HELP_TEXT = help_text()


@dataclass
class AnswerItem:
    document_id: str
    document_title: str
    published: str
    paragraph: int
    text: str
    claims: list[Claim]
    score: float

    @property
    def primary(self) -> Claim:
        return self.claims[0]

    @property
    def quote(self) -> str:
        return "".join(c.text for c in self.claims)

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.document_id, "paragraph": self.paragraph, "text": self.text, "quote": self.quote,
                "source": self.primary.source, "tier": self.primary.tier, "score": round(self.score, 4)}


@dataclass
class Answer:
    question: str
    kind: str                                  # answer | not_found | help | no_more | too_long
    items: list[AnswerItem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    conflict: dict[str, list[tuple[AnswerItem, Claim]]] = field(default_factory=dict)
    tier_labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    corrections: dict[str, str] = field(default_factory=dict)
    multi_document: bool = False
    best_claims: dict[int, Claim] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)   # example questions for the help text

    @property
    def answered(self) -> bool:
        return self.kind == "answer"

    def best_claim(self, item: AnswerItem) -> Claim:
        return self.best_claims.get(id(item), item.primary)

    def item_json(self, item: AnswerItem) -> dict[str, Any]:
        best = self.best_claim(item)
        return {**item.to_json(), "source": best.source, "tier": best.tier}

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answered": self.answered,
                "answers": [self.item_json(i) for i in self.items], "message": self.message}

    def where(self, item: AnswerItem) -> str:
        """第N段, with the report's (shortened) title when several reports are loaded."""
        if not self.multi_document:
            return f"第{item.paragraph}段"
        title = item.document_title
        title = title if len(title) <= _TITLE_MAX_CHARS else title[:_TITLE_MAX_CHARS] + "…"
        return f"《{title}》第{item.paragraph}段"

    def label(self, claim: Claim) -> str:
        return self.tier_labels.get(claim.tier, claim.tier)

    @property
    def message(self) -> str:
        """The reply as plain text (the terminal chat, --json; Telegram renders its own HTML)."""
        if self.kind == "help":
            return help_text(self.examples)
        if self.kind == "too_long":
            return (f"这条消息太长了，我只回答关于报道的简短问题（{MAX_QUESTION_CHARS}字以内）。"
                    "请把问题缩短后再问。")
        if self.kind == "no_more":
            return "没有更多相关段落了。可以换个问法，或问点别的。"
        if self.kind == "not_found":
            return not_found_text(self.missing)
        lines = []
        for number, item in enumerate(self.items, 1):
            best = self.best_claim(item)
            lines.append(f"{number}. {self.where(item)}｜{self.label(best)}：{best.source}")
            for claim in item.claims:
                text = annotate(claim.text, item.published)
                if claim is best or (claim.tier, claim.source) == (best.tier, best.source):
                    lines.append(f"   {text}")
                else:
                    lines.append(f"   〔{self.label(claim)}：{claim.source}〕{text}")
        if self.conflict:
            lines.append(conflict_text(self))
        return "\n".join(lines)


def not_found_text(missing: list[str]) -> str:
    if missing:
        shown = [m if len(m) <= _MISSING_MAX_CHARS else m[:_MISSING_MAX_CHARS] + "…" for m in missing]
        named = "".join(f"“{m}”" for m in dict.fromkeys(shown[:3]))
        return f"报道中没有提到{named}，我不想猜。可以换个问法，或问报道里写到的内容。"
    return "报道中没有找到能回答这个问题的内容，我不想猜。可以换个问法试试。"


def _phrase(present: list[Focus], absent: list[Focus]) -> str:
    """二期的产能: what the report does mention, and what it does not say about it."""
    lacking = "、".join(dict.fromkeys(f.term or f.text for f in absent))
    # 二期的产能, but 二期建好 (a verb takes no 的).
    joint = "" if all(f.role == "other" for f in absent) else "的"
    return "、".join(f.text for f in present) + joint + lacking if present else lacking


CONFLICT_HEAD = "信源可靠性不同"
CONFLICT_TAIL = "官方说法可靠性最高，其余说法未获官方证实。"


def conflict_groups(answer: Answer) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The conflict note's content, most reliable tier first: (tier label, [(source, [第N段, …])]).
    A source quoted in several paragraphs is listed once with all of them."""
    groups = []
    for tier, entries in answer.conflict.items():
        by_source: dict[str, list[str]] = {}
        for item, claim in entries:
            where = by_source.setdefault(claim.source, [])
            if answer.where(item) not in where:
                where.append(answer.where(item))
        groups.append((answer.tier_labels.get(tier, tier), list(by_source.items())))
    return groups


def conflict_text(answer: Answer) -> str:
    parts = [f"{label}：" + "、".join(f"{source}（{'、'.join(where)}）" for source, where in sources)
             for label, sources in conflict_groups(answer)]
    return f"⚠ {CONFLICT_HEAD}——" + "；".join(parts) + "。" + CONFLICT_TAIL


@dataclass
class _Candidate:
    index: int
    bm25: float
    claims: list[tuple[Claim, float, float]]   # claim, match weight, how well it fits the intent
    literal: float
    clause: float                              # share of the focus one clause holds
    score: float = 0.0


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _claim_key(entry: tuple[Claim, float, float]) -> float:
    return entry[1] * (1.0 + 0.3 * entry[2])


class Answerer:
    """Answers questions over one index; cheap to build (the index holds the precomputed parts)."""

    def __init__(self, index: ReportIndex) -> None:
        self.index = index
        self._intents = index.rules.intents
        analyzer = index.analyzer
        self._related = {normalize(k): [analyzer.canonical(normalize(t)) or t for t in v]
                         for k, v in index.rules.related.items()}
        self._tier_labels = index.rules.sources.tier_labels
        self._examples = list(index.rules.examples)
        self.analyzer = analyzer
        self._tier_label_words = frozenset(normalize(v) for v in self._tier_labels.values())
        self._speech_verbs = frozenset(normalize(v) for v in index.rules.sources.verbs)

    # -- analysis ---------------------------------------------------------
    def _specific(self, term: str) -> bool:
        n = len(self.index.paragraphs)
        return term in self.index.bm25 and self.index.bm25.doc_freq[term] <= max(1, COMMON_SHARE * n)

    def _specific_focus(self, focus: Focus) -> bool:
        """A focus word most paragraphs do not mention (小米汽车 is everywhere in its own report)."""
        return not focus.terms or any(self._specific(t) for t in focus.terms)

    def _elliptic(self, query: Query) -> bool:
        """在哪开的, 生产了多少辆: a question that names no thing continues the last one;
        工厂在哪里 names its own topic (a noun), however common, and starts afresh."""
        return not query.missing and not any(
            f.strong and (self._specific_focus(f) or (f.tag.startswith("n") and not f.generic))
            for f in query.focus)

    def _wanted(self, query: Query) -> list[str]:
        return [name for name, intent in self._intents.items()
                if any(p.search(query.normalized) for p in intent.question)]

    def _idf(self, term: str) -> float:
        return max(self.index.bm25.idf.get(term, 0.0), 0.05)

    def _focus_weight(self, focus: Focus) -> float:
        return max((self._idf(t) for t in focus.terms), default=1.0)

    def _covers(self, focus: Focus, clause: Clause) -> bool:
        if focus.tier:
            label = self._tier_labels.get(focus.tier, "")
            if clause.tier == focus.tier or (clause.claim < 0 and bool(label) and label in clause.text):
                return True
        if focus.text in clause.text or any(t in clause.terms for t in focus.core):
            return True
        # 负责人 ~ 负责…业务的胡峥楠: an agent noun (X人, X者) and the verb X it is made of.
        if len(focus.text) >= 3 and focus.text[-1] in _AGENT_SUFFIXES and focus.text[:-1] in clause.terms:
            return True
        # 办公楼 ~ 办公大楼: the word with one character inserted.
        return len(focus.text) >= 3 and any(len(t) == len(focus.text) + 1 and _subsequence(focus.text, t)
                                            for t in clause.terms)

    def rank(self, query: Query, context: list[str] | None = None) -> list[_Candidate]:
        # Cue words (在哪 -> 位于) mostly say what kind of answer is wanted; the
        # intent scores that, so they weigh less in the sentence match.
        cues = set(query.cues)
        primary = list(query.terms)
        related = [r for t in dict.fromkeys(primary) for r in self._related.get(t, []) if r not in primary]
        terms = primary * (2 if context else 1) + [t for t in (context or []) if t not in primary] + related
        hits = self.index.bm25.top(list(dict.fromkeys(terms)), CANDIDATES)
        if not hits:
            return []
        if query.soft:
            # 出入口: the paragraph saying 进出口 may score low on the rest of the question.
            near = set().union(*(self.index.near_paragraphs(m) for m in query.soft))
            ids, totals = self.index.bm25.scores(list(dict.fromkeys(terms)))
            top = hits[0][1] or 1.0
            pool = [(i, t) for i, t in zip(ids.tolist(), totals.tolist(), strict=True) if i in near]
            pool.sort(key=lambda h: (-(h[1] / top + W_NEAR * 2), h[0]))
            seen = {i for i, _ in hits}
            hits += [h for h in pool[:CANDIDATES] if h[0] not in seen]
        # Cue terms help fetch candidates (位于 for 在哪) but do not rank them: the intent does.
        content = [t for t in dict.fromkeys(terms) if t not in cues]
        if content and len(content) < len(set(terms)):
            ids, totals = self.index.bm25.scores(content)
            by_id = dict(zip(ids.tolist(), totals.tolist(), strict=True))
            hits = [(i, by_id.get(i, 0.0)) for i, _ in hits]
            hits.sort(key=lambda h: (-h[1], h[0]))
        wanted = self._wanted(query)
        weights = {t: self._idf(t) * (0.5 if t in cues else 1.0) for t in primary}
        weights.update({t: 0.5 * self._idf(t) for t in [*related, *(context or [])] if t not in weights})
        surface = [w for w in query.words if w.term and len(w.text) > 1]
        surface_total = sum(self._idf(w.term) for w in surface) or 1.0
        focus = [(f, self._focus_weight(f)) for f in query.focus]
        focus_total = sum(w for _, w in focus) or 1.0
        top_bm25 = hits[0][1] or 1.0
        candidates = []
        for doc_index, bm25 in hits:
            paragraph = self.index.paragraphs[doc_index]
            claims = []
            for claim, claim_terms, text in zip(paragraph.claims, self.index.claim_terms[doc_index],
                                                self.index.claim_texts[doc_index], strict=True):
                weight = sum(w for t, w in weights.items() if t in claim_terms)
                # Share of the wanted kinds this sentence gives (多大: a figure and an area).
                fits = (sum(any(p.search(text) for p in self._intents[name].answer) for name in wanted)
                        / len(wanted) if wanted else 0.0)
                claims.append((claim, weight, fits))
            text = self.index.texts[doc_index]
            # A word only the section heading holds (排队 in 供应商排队拜访) counts half.
            heading = self.index.headings[doc_index]
            literal = sum(self._idf(w.term) * (1.0 if w.text in text else 0.5 if w.text in heading else 0.0)
                          for w in surface)
            literal += sum(W_NEAR / W_LITERAL * surface_total * self.index.closeness(m, doc_index) for m in query.soft)
            clause = max((sum(w for f, w in focus if self._covers(f, c)) for c in self.index.clauses[doc_index]),
                         default=0.0)
            candidates.append(_Candidate(doc_index, bm25 / top_bm25, claims, literal / surface_total,
                                         clause / focus_total if focus else 0.0))
        top_sentence = max((w for c in candidates for _, w, _ in c.claims), default=0.0) or 1.0
        if _DEFINITION.search(query.normalized) and len(query.focus) == 1:
            # 张海是谁: a name is introduced where it is first mentioned.
            first = min((c for c in candidates if c.clause > 0), key=lambda c: c.index, default=None)
            if first is not None:
                first.literal += W_FIRST / W_LITERAL
        for c in candidates:
            best = max(c.claims, key=_claim_key)
            fits = best[2] if best[1] > 0 else 0.0
            if best[1] > 0:
                # The sentence after the best one may carry on its topic and give the
                # answer without repeating the question's words (门口有近20人… “我们大多数人都是…”).
                after = c.claims.index(best) + 1
                if after < len(c.claims) and c.claims[after][1] == 0:
                    fits = max(fits, c.claims[after][2])
            c.score = (c.bm25 + W_SENTENCE * best[1] / top_sentence
                       + W_INTENT * fits + W_LITERAL * c.literal
                       + W_CLAUSE * c.clause)
        candidates.sort(key=lambda c: (-c.score, c.index))
        return candidates

    def _unsupported(self, query: Query, candidates: list[_Candidate], said: bool = False) -> list[str]:
        """What the question names that the candidate paragraphs never say together.

        Every thing the question names (a specific noun or name) must occur in
        one paragraph (with its heading and speakers); a qualifier (一期, 二期)
        must occur in one clause with the question's other specific words, so
        the figure for 一期 is never given as that of 二期.  Returns [] when
        supported; otherwise a phrase for the message, e.g. ["二期的产能"].
        ``said``: the best paragraph holds the question's specific things
        (_said_together); a yes/no question needs no clause giving a required kind of answer."""
        framed = self._framed(query)
        specific = [f for f in query.focus if self._specific_focus(f) and not f.generic and f.text not in framed]
        needed = [f for f in specific if f.strong]
        qualifiers = [f for f in needed if f.role == "qualifier"]
        several = self._several(query, needed)
        apart = False       # the things never meet in one paragraph; the question asks part by part
        if len(needed) >= 2:
            best: list[Focus] = []
            together: list[list[Focus]] = []     # per candidate, the things it holds
            for candidate in candidates:
                context = self.index.contexts[candidate.index]
                covered = [f for f in needed if any(self._covers(f, c) or self._covers(f, context)
                                                    for c in self.index.clauses[candidate.index])]
                if len(covered) == len(needed) or self._pinned(covered, [f for f in needed if f not in covered]):
                    break
                together.append(covered)
                best = max(best, covered, key=len)
            else:
                # No paragraph holds them all; the best ones answer part by part when each
                # thing meets another thing of the question somewhere (郭明錤 with 出货量, 雷军
                # with 目标; 胡峥楠 with 曝光, 曝光 with 图片), or, asked side by side (和, 还是,
                # two clauses), is one of the sides (北汽蓝谷和海马汽车怎么回应).  A thing met
                # with nothing else is said of the subject only by guessing: 小鹏P7's price (the
                # report gives one for another car), 镇江工厂和福田工厂的产能 (产能 of neither).
                # (官方, 传闻 qualify a claim: of one subject, the claim must hold all its things.)
                alone = [f for f in needed if not any(f in covered and len(covered) >= 2 for covered in together)]
                sides = self._parts(query, needed) if several else set()
                if any(f.text not in sides for f in alone) or (not several and any(f.tier for f in needed)):
                    return [_phrase(best, [f for f in needed if f not in best])]
                apart = True
        years = _YEAR.findall(query.normalized)
        # A year must be said of the things of the question: of all of them (郭明錤预测2025年:
        # his forecast is for 2024), or, asked of several, of one of them (雷军2024年的目标和郭明錤的预测).
        if years and needed and not any(
                all(y in self.index.texts[c.index] for y in years)
                and (any if several else all)(
                    any(self._covers(f, x) for x in [*self.index.clauses[c.index], self.index.contexts[c.index]])
                    for f in needed) for c in candidates):
            # 郭明錤预测2025年能卖多少: a year is a detail as specific as a name; the report
            # gives 郭明錤's forecast for 2024 only.
            return ["".join(f.text for f in needed[:1]) + "关于" + "、".join(y + "年" for y in years) + "的说法"]
        required = [self._intents[name] for name in self._wanted(query) if self._intents[name].required]
        if said and _YES_NO.search(query.normalized):
            required = []     # 闭门大会上公布的信息可以对外说吗: 公布的 asks no content
        things = [f for f in needed if f.role == "thing" and f.tag != "vn"]
        # Asked part by part (一期占地多大，二期什么时候完工), each kind of answer may come from its own clause.
        parts = [[intent] for intent in required] if several else [required]
        if required and things and not all(any(
                any(self._covers(f, clause) for f in things)
                and all(any(p.search(clause.text) for p in intent.answer) for intent in part)
                for c in candidates for clause in self.index.clauses[c.index]) for part in parts):
            # 工厂有多少员工: the report names the staff, but no clause about them gives a figure.
            return [self._lacking(things, [], required)]
        groups, abouts = self._subjects(query, required)
        subjects = [f for group in groups for f in group]
        if len(groups) == 1:
            # Asked in two clauses (一期占地多大，二期什么时候完工), each clause's things are
            # answered together; things no paragraph holds together, each on its own.
            by_clause = [[f for f in groups[0] if f.text in piece] for piece in _CLAUSE_BREAK.split(query.normalized)]
            by_clause = [g for g in by_clause if g]
            groups = by_clause if len(by_clause) >= 2 else [[f] for f in groups[0]] if apart else groups
        if required and (subjects or abouts) and not all(any(self._gives_any(groups, part, c.index, abouts)
                                                             for c in candidates) for part in parts):
            # 工信部哪天批准的: the report names that approval only as still pending;
            # 闭门大会上公布了什么: only that the participants must not reveal it.
            return [self._lacking(subjects, abouts, required)]
        if required and not (subjects or abouts) and not all(any(self._gives([], part, c.index)
                                                                 for c in candidates) for part in parts):
            # 工厂具体门牌号是多少: of a thing in most paragraphs (工厂), still some clause must
            # give that kind of answer (a street number); none does.
            return [self._lacking([f for f in query.focus if f.strong][:1], [], required)]
        if "response" in self._wanted(query):
            # 华晨汽车怎么回应: the report lists 华晨汽车 but never lets it speak.
            names = [f for f in query.focus if f.role == "thing" and f.tag.startswith((*_NAME_TAGS, "j"))]
            # The party is the first name or noun (奇瑞有没有说跟小米合作: 奇瑞 must speak, not 小米).
            parties = [f for f in query.focus if f.role == "thing" and not f.tier]
            parties = [f for f in parties if f.tag.startswith(_NOUN_TAGS)][:1] or parties
            if names and not any(self._speaks(f, candidates) for f in parties):
                return ["、".join(f.text for f in names) + "的回应"]
        if qualifiers and len(specific) >= 2 and len(qualifiers) < len(specific):
            # (一期和二期: qualifiers of no other thing are the things asked about.)
            best = []
            others = [f for f in specific if f not in qualifiers]
            said = set()        # things said of some qualifier, clause by clause
            for candidate in candidates:
                context = self.index.contexts[candidate.index]
                for clause in self.index.clauses[candidate.index]:
                    covered = [f for f in specific if self._covers(f, clause) or self._covers(f, context)]
                    if len(covered) == len(specific):
                        return []
                    if all(q in covered for q in qualifiers):
                        best = max(best, covered, key=len)
                    if any(q in covered for q in qualifiers):
                        said.update(f.text for f in covered)
            if self._several(query, specific) and all(f.text in said for f in others):
                # 一期和二期分别什么时候完工: each part is said of one of them.
                return []
            best = best or qualifiers
            return [_phrase(best, [f for f in specific if f not in best])]
        return []

    def _parts(self, query: Query, things: list[Focus]) -> set[str]:
        """The things a question asks about side by side: the two a conjunction joins
        (郭明錤的出货量和雷军的目标: 出货量, 雷军) and the one thing of each of its
        clauses (一期占地多大，二期什么时候完工); not a thing said of both (镇江工厂和福田工厂的产能: 产能)."""
        text = query.normalized
        names = {f.text for f in things}
        # (Next to the conjunction, any thing of the question, not a time like 年: in
        # 小鹏P7和小米汽车的售价 the sides are P7 and 小米汽车, in every paragraph, so 售价
        # is said of both.)
        spans = sorted({(at, at + len(f.text), f.text) for f in query.focus if f.strong or f.text in names
                        for at in [text.find(f.text)] if at >= 0})
        inside = {i for a, b, _ in spans for i in range(a, b)}
        out: set[str] = set()
        for match in _JOIN.finditer(text):
            if match.start() in inside:
                continue        # 工业和信息化部 is one thing
            before = [s for s in spans if s[1] <= match.start()]
            after = [s for s in spans if s[0] >= match.end()]
            if before and after and before[-1][2] in names and after[0][2] in names:
                out.update((before[-1][2], after[0][2]))
        spans = [s for s in spans if s[2] in names]
        clauses = [[t for _, _, t in spans if t in part] for part in _CLAUSE_BREAK.split(text)]
        clauses = [c for c in clauses if c]
        if len(clauses) >= 2:
            out.update(c[0] for c in clauses if len(c) == 1)
        return out

    def _several(self, query: Query, things: list[Focus]) -> bool:
        """Whether the question asks about several of its things, part by part: it compares
        them (差多少, 够不够), joins two of them (郭明錤的预测和雷军的目标), or asks in two
        clauses (一期占地多大，二期什么时候完工); not one subject with its attributes (小鹏P7的售价)."""
        if len(things) < 2:
            return False
        return bool(_COMPARE.search(query.normalized)) or len(self._parts(query, things)) >= 2 or sum(
            any(f.text in part for f in things) for part in _CLAUSE_BREAK.split(query.normalized)) >= 2

    def _pinned(self, covered: list[Focus], uncovered: list[Focus]) -> bool:
        """门口有没有大货车跟工程车: two or more rare things of the question (货车, 工程车,
        each in one paragraph) pin a paragraph down; a commoner word it lacks (门口)
        only says where the asker imagines them, and does not block the answer."""
        if len(covered) < 2 or not uncovered:
            return False
        rarest = max(self._df(f) for f in covered)
        return all(self._df(f) > rarest for f in uncovered)

    def _df(self, focus: Focus) -> int:
        """In how many paragraphs a focus word occurs (its rarest search term)."""
        n = len(self.index.paragraphs)
        return min((self.index.bm25.doc_freq.get(t, n) for t in focus.terms), default=n)

    def _subjects(self, query: Query, required: list) -> tuple[list[list[Focus]], list[str]]:
        """What a clause answering the question must speak of: its names and nouns
        (and 一期, 二期) all together; failing those, any one of the events it names
        (上市, 动工).  Also the words the intents' ``about`` groups captured."""
        framed = self._framed(query)
        specific = [f for f in query.focus if self._specific_focus(f) and not f.generic and not self._tier_word(f)
                    and f.text not in framed]
        nouns = [f for f in specific if f.strong and not self._event(f)]
        groups = [nouns] if nouns else [[f] for f in specific if f.strong]
        # A verb the reports never use (谁预测的: they say 预估, 认为) paraphrases theirs; it is not required.
        return groups, [w for intent in required for w in self._about(query, intent) if self.index.knows(w)]

    def _framed(self, query: Query) -> set[str]:
        """Words that start after the word a required intent's ``about`` group captured,
        within its match (多少钱 of 投了多少钱): they phrase the question, not its topic."""
        spans = [(m.end("about"), m.end()) for name in self._wanted(query) if self._intents[name].required
                 for p in self._intents[name].question
                 for m in [p.search(query.normalized)] if m and m.groupdict().get("about")]
        out = set()
        for focus in query.focus:
            at = query.normalized.find(focus.text)
            if any(start <= at < end for start, end in spans):
                out.add(focus.text)
        return out

    def _tier_word(self, focus: Focus) -> bool:
        """官方, 传闻: a word that names a reliability tier, not a thing (谍照 is both: a thing)."""
        return bool(focus.tier) and (not focus.terms or focus.text in self._tier_label_words)

    def _gives_any(self, groups: list[list[Focus]], intents: list, index: int, abouts: list[str]) -> bool:
        return any(self._gives(group, intents, index, abouts) for group in groups or [[]])

    def _event(self, focus: Focus) -> bool:
        """上市, 动工, 能买 (a synonym of 上市): a word naming an event (jieba's vn)."""
        return "vn" in (focus.tag, self.analyzer.tag(focus.term))

    def _about(self, query: Query, intent: Any) -> list[str]:
        """The word a question pattern's group ``about`` captured (公布 of 公布了什么, 拍 of
        谁拍的, 公司 of 哪家公司): the answering clause must hold it too."""
        out = []
        for pattern in intent.question:
            match = pattern.search(query.normalized)
            if match and match.groupdict().get("about"):
                word = match.group("about")
                word = self.analyzer.synonyms.get(word, word)     # 讲 -> 说, a speech verb
                out.append(self.analyzer.canonical(word) or word)
        return out

    def _holds(self, word: str, clause: Clause) -> bool:
        """Whether a clause holds a word as a word of its own or the start of one
        (发 in 发文, but 拍 is not in 实拍图); a speech verb (说, 透露) is held by
        every claim, each has a speaker."""
        if word in self._speech_verbs:
            return True
        if len(word) > 1:
            return word in clause.terms or word in clause.text
        return any(t.startswith(word) for t in clause.terms)

    def _speaks(self, focus: Focus, candidates: list[_Candidate]) -> bool:
        """Whether the report lets this party speak: it is the source of a claim, or
        a clause about it says it was asked or answered (核实, 回应)."""
        intent = self._intents.get("response")
        for candidate in candidates:
            paragraph = self.index.paragraphs[candidate.index]
            for claim in paragraph.claims:
                source = normalize(claim.source)
                if focus.text in source or any(t in source for t in focus.core):
                    return True
            if intent is not None and any(self._covers(focus, clause) and any(p.search(clause.text)
                                                                              for p in intent.answer)
                                          for clause in self.index.clauses[candidate.index]):
                return True
        return False

    def _gives(self, subjects: list[Focus], intents: list, index: int, abouts: list[str] = ()) -> bool:
        """Whether one clause of paragraph ``index`` speaks of all the question's
        subjects and gives every required kind of answer, without withholding it
        (不能对外透露, 仍需…批准, 并未得到确认: the report says it is not known)."""
        context = self.index.contexts[index]
        for clause in self.index.clauses[index]:
            if self._withheld(clause.text):
                continue
            if not all(self._covers(f, clause) or self._covers(f, context) for f in subjects):
                continue
            if not all(self._holds(w, clause) for w in abouts):
                continue
            if all(any(p.search(clause.text) for p in intent.answer) for intent in intents):
                return True
        return False

    def _withheld(self, text: str) -> bool:
        intent = self._intents.get("withheld")
        return intent is not None and any(p.search(text) for p in intent.answer)

    @staticmethod
    def _lacking(subjects: list[Focus], abouts: list[str], intents: list) -> str:
        """What the report does not say, for the message: 镇江工厂的具体名单, 谍照是谁拍的."""
        subject = "、".join(dict.fromkeys(f.text for f in subjects))
        about = "、".join(abouts)
        names = [_KIND_NAMES.get(i.name, "{subject}的具体信息") for i in intents]
        phrases = [n.format(subject=subject, about=about).lstrip("的") for n in names]
        # A phrase naming neither subject nor verb (具体数字) adds nothing to one that does (投的金额).
        named = [p for p, n in zip(phrases, names, strict=True) if (subject and "{subject}" in n)
                 or (about and "{about}" in n)]
        return "、".join(dict.fromkeys(named or phrases))

    def _pinning(self, query: Query) -> list[Focus]:
        """The question's specific things: nouns, names, 一期/二期 in few paragraphs."""
        # (多少钱 -> 售价 asks; it pins nothing.)
        return [f for f in query.focus if f.strong and not f.generic and not self._tier_word(f)
                and f.terms and self._specific_focus(f) and not _ASKING.search(f.text)]

    def _said_together(self, query: Query, candidates: list[_Candidate]) -> bool:
        """Whether the best paragraph holds all the question's specific things, at least
        SAID_TOGETHER of them (闭门大会 and 对外说, 资质 and 供应商): it is the one asked about."""
        specific = list({f.text: f for f in self._pinning(query)}.values())
        if len(specific) < SAID_TOGETHER:
            return False
        best = candidates[0].index
        clauses = [*self.index.clauses[best], self.index.contexts[best]]
        return all(any(self._covers(f, c) for c in clauses) for f in specific)

    def _pins(self, query: Query, candidates: list[_Candidate]) -> bool:
        """Whether the question's specific things (nouns, names, 一期/二期 in few
        paragraphs) all occur in the best paragraph and one of them is rare enough
        (PIN_DF) to single it out: 文中郭明錤预测的出货量 pins 第18段."""
        specific = self._pinning(query)
        if not specific:
            return False
        best = candidates[0].index
        clauses = [*self.index.clauses[best], self.index.contexts[best]]
        if not all(any(self._covers(f, c) for c in clauses) for f in specific):
            return False
        # A year of the question the paragraph does not give (2025年) is a detail it lacks.
        if any(year not in self.index.texts[best] for year in _YEAR.findall(query.normalized)):
            return False
        return min(self._df(f) for f in specific) <= PIN_DF

    def _frame_word(self, word: str, question: str) -> bool:
        """A missing word that says how the question is put, not what it is about: a verb,
        adjective, idiom or place word (证实, 来来往往, 门口), or a noun so common it names
        no thing in particular (结果, 特点, 名单).  Rare nouns (激光雷达, 门牌) are topics."""
        if len(word) < 2:
            return False        # a lone character is a fragment of something jieba did not know
        tag = self.analyzer.tag(word)
        if tag == "vn" or tag.startswith(_FRAME_TAGS):
            return True
        if not tag.startswith("n") or tag.startswith(_NAME_TAGS):
            return False
        frequency = self.analyzer.frequency(word)
        at = question.find(word)
        head = at >= 0 and bool(_HEAD.search(question[at + len(word):at + len(word) + 4])
                                or _HEAD.search(question[max(0, at - 4):at]))
        return frequency >= (HEAD_FREQ if head else FRAME_FREQ)

    def _soft_ok(self, query: Query, candidates: list[_Candidate], soft: list[str]) -> bool:
        """Whether to answer although the report lacks some (soft) words of the question.

        The paragraph that would be shown first must name a thing of the
        question (a noun) and come close to every missing word (index.near:
        围墙 ~ 石墙).  A specific thing (in few paragraphs: 郭明錤, 闭门大会)
        suffices with any closeness; a common one (工厂, in half of them) only
        when the missing word is close by a distinctive character.  A thing in
        nearly every paragraph (小米汽车) never suffices: 小米汽车的电池."""
        best = candidates[0].index
        clauses = [*self.index.clauses[best], self.index.contexts[best]]
        named = [f for f in query.focus if f.strong and not f.generic and self._noun(f)
                 and any(self._covers(f, c) for c in clauses)]
        if not named:
            return False
        closeness = min(self.index.near(m, best) for m in soft)
        if closeness >= 2:
            return any(self._specific_focus(f) or self._common(f) for f in named)
        # Some character in common (园区 ~ 科技园) counts only when it is said of a
        # specific thing of the question, in the same clause (名字 ~ 姓名 does not).
        specific = [f for f in named if self._specific_focus(f)]
        def said_of_specific(word: str) -> bool:
            return any(any(self.analyzer.canonical(ch) and ch in c.text for ch in word)
                       and any(self._covers(f, c) for f in specific) for c in self.index.clauses[best])

        return closeness == 1 and all(self.index.near(m, best) >= 2 or said_of_specific(m) for m in soft)

    def _noun(self, focus: Focus) -> bool:
        """闭门会 (a synonym jieba tags x) is a noun when its canonical word 闭门大会 is."""
        return bool(focus.tier) or any(t.startswith(_NOUN_TAGS) for t in (focus.tag, self.analyzer.tag(focus.term)))

    def _common(self, focus: Focus) -> bool:
        """A thing in at most half of the paragraphs (工厂), not in nearly all (小米汽车)."""
        n = len(self.index.paragraphs)
        return any(t in self.index.bm25 and self.index.bm25.doc_freq[t] <= max(1, TOPIC_SHARE * n)
                   for t in focus.terms)

    def _item(self, candidate: _Candidate) -> tuple[AnswerItem, Claim]:
        paragraph = self.index.paragraphs[candidate.index]
        document = self.index.document(paragraph.doc_id)
        assert document is not None
        scored = candidate.claims
        best_weight = max(w for _, w, _ in scored)
        best = max(scored, key=_claim_key)[0]
        chosen = [c for c, w, fits in scored if w > 0 and (w >= 0.5 * best_weight or fits)][:3]
        if best not in chosen:
            chosen = [best, *chosen][:3]
        chosen.sort(key=paragraph.claims.index)
        item = AnswerItem(document.doc_id, document.title, document.published, paragraph.number, paragraph.text,
                          chosen, candidate.score)
        return item, best

    # -- answering --------------------------------------------------------
    def answer(self, question: str, offset: int = 0, context: list[str] | None = None) -> Answer:
        answer = Answer(question, "answer", tier_labels=dict(self._tier_labels), examples=self._examples,
                        multi_document=len(self.index.documents) > 1)
        if len(question) > MAX_QUESTION_CHARS:
            answer.kind = "too_long"
            return answer
        query = self.index.analyze(question)
        answer.corrections = query.corrections
        if _GREETING.match(query.normalized) or (not query.focus and not query.cues and not query.missing
                                                 and not query.unmatched and not context):
            answer.kind = "help"       # nothing to look up: empty, emoji, punctuation, a bare number
            return answer
        if query.hard:
            answer.kind, answer.missing = "not_found", list(dict.fromkeys(query.hard))
            return answer
        if "opinion" in self._wanted(query):
            answer.kind, answer.missing = "not_found", [OPINION]
            return answer
        specific = [f for f in query.focus if self._specific_focus(f)]
        if query.latin and not specific:
            answer.kind, answer.missing = "not_found", list(dict.fromkeys(query.latin))
            return answer
        if query.unmatched and not specific and not context:
            answer.kind, answer.missing = "not_found", list(dict.fromkeys([*query.soft, *query.unmatched]))
            return answer
        candidates = self.rank(query, context)
        if not candidates:
            answer.kind = "not_found"
            answer.missing = [w.text for w in query.words if w.term][:3]
            return answer
        # An English word (stamping, laptop) or a name the report lacks (jac) is asked about
        # only when the question's own specific words do not single out a paragraph:
        # 冲压和welding车间建好了吗 is about 冲压车间, JAC的工厂在哪 about JAC.
        if query.latin and not self._pins(query, candidates):
            answer.kind, answer.missing = "not_found", list(dict.fromkeys(query.latin))
            return answer
        # A missing word that only frames the question (结果, 证实, 来来往往) does not block
        # an answer its specific words pin down; one that names a thing of its own does.
        soft = query.soft
        if soft and self._pins(query, candidates):
            soft = [m for m in soft if not self._frame_word(m, query.normalized)]
        if soft and not self._soft_ok(query, candidates, soft):
            answer.kind, answer.missing = "not_found", list(dict.fromkeys(soft))
            return answer
        unsupported = self._unsupported(query, candidates, self._said_together(query, candidates))
        if unsupported:
            answer.kind, answer.missing = "not_found", unsupported
            return answer
        required = [self._intents[name] for name in self._wanted(query) if self._intents[name].required]
        if required:
            # A paragraph with a clause that gives the wanted kind of answer about
            # the question's subject (the benefit of cooperating) ranks higher.
            groups, abouts = self._subjects(query, required)
            for candidate in candidates:
                if (groups or abouts) and self._gives_any(groups, required, candidate.index, abouts):
                    candidate.score += W_GIVES
            candidates.sort(key=lambda c: (-c.score, c.index))
        page = candidates[offset:offset + PAGE]
        if not page:
            answer.kind = "no_more"
            return answer
        for candidate in page:
            item, best = self._item(candidate)
            answer.items.append(item)
            answer.best_claims[id(item)] = best
        answer.conflict = self._conflict(answer)
        return answer

    def _conflict(self, answer: Answer) -> dict[str, list[tuple[AnswerItem, Claim]]]:
        by_tier: dict[str, list[tuple[AnswerItem, Claim]]] = {}
        for item in answer.items:
            for claim in item.claims:
                by_tier.setdefault(claim.tier, []).append((item, claim))
        if "official" in by_tier and any(t in by_tier for t in _LOWER_TIERS):
            order = ["official", *_LOWER_TIERS]
            return {t: by_tier[t] for t in order if t in by_tier}
        return {}

    def respond(self, state: dict[str, Any] | None, text: str) -> tuple[Answer, dict[str, Any]]:
        """One turn of a conversation: (session state, message) -> (answer, new state)."""
        state = dict(state or {})
        text = text if isinstance(text, str) else ""
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(text[:MAX_QUESTION_CHARS], "too_long", examples=self._examples), state
        normalized = normalize(text)
        if _MORE.match(normalized):
            if not state.get("q"):
                return Answer(text, "help", examples=self._examples), state
            offset = int(state.get("offset", 0)) + PAGE
            answer = self.answer(state["q"], offset, state.get("ctx") or None)
            answer.question = text
            if answer.answered:
                state["offset"] = offset
            return answer, state
        context: list[str] | None = None
        if state.get("q") and len(normalized) <= _FOLLOW_UP_MAX_CHARS and (
                _FOLLOW_UP.search(normalized) or self._elliptic(self.index.analyze(text))):
            previous = self.index.analyze(state["q"])
            context = [t for t in dict.fromkeys([*(state.get("ctx") or []), *previous.terms])
                       if self._specific(t)]
        answer = self.answer(text, 0, context)
        if answer.answered:
            state = {"q": text, "ctx": context or [], "offset": 0}
        return answer, state
