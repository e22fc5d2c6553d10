"""Composing answers: the paragraphs that answer, the sentences that say it, who says it.

``Answerer.respond(state, text)`` is the whole conversation logic as a pure
function of (session state, message) -> (answer, new state); the Telegram layer
and the terminal chat only store the state.  The state is a small JSON-able
dict: the last question, context terms carried into a follow-up, and how many
results were already shown (for 更多).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .dates import annotate
from .engine import Query, ReportIndex
from .normalize import normalize
from .sources import DEFAULT_LABELS, Claim

PAGE = 3                 # paragraphs per answer
CANDIDATES = 12          # BM25 hits re-ranked per question
COMMON_SHARE = 0.3       # a term in more than this share of paragraphs is not specific
# Re-ranking weights (tuned on tests/data/eval_questions.jsonl, checked on holdout_*.jsonl).
W_SENTENCE, W_INTENT, W_LITERAL = 0.6, 0.5, 0.3

_GREETING = re.compile(r"^(你好|您好|hi|hello|hey|在吗|在不在|哈喽|嗨|早|早上好|晚上好|谢谢|多谢|感谢|thanks|"
                       r"thankyou|help|帮助|怎么用|你是谁|你能做什么|/?start|/?help)[!！。.~～?？\s]*$")
_MORE = re.compile(r"^(更多|更多结果|还有吗|还有呢|还有没有|还有别的吗|继续|下一个|下一条|下一页|再来|more|next)"
                   r"[!！。.~～?？\s]*$")
_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|那个|然后)|呢[?？!！。\s]*$")
_FOLLOW_UP_MAX_CHARS = 14
_WHY_ANSWER = DEFAULT_LABELS
_LOWER_TIERS = ("named", "anonymous", "rumor")

HELP_TEXT = ("我可以回答关于这篇报道的问题，每个回答都会注明出自第几段、信源是谁、可靠程度如何"
             "（官方 / 记者实地 / 具名第三方 / 匿名信源 / 传闻）。\n"
             "试试问：小米汽车什么时候上市？ 工厂年产能多少？ 售价多少钱？\n"
             "说“更多”看下一批结果。")


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
        best = max(self.claims, key=lambda c: getattr(c, "_rank", 0))
        return {"doc": self.document_id, "paragraph": self.paragraph, "text": self.text, "quote": self.quote,
                "source": best.source, "tier": best.tier, "score": round(self.score, 4)}


@dataclass
class Answer:
    question: str
    kind: str                                  # answer | not_found | help | no_more | too_long
    items: list[AnswerItem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    conflict: dict[str, list[tuple[AnswerItem, Claim]]] = field(default_factory=dict)
    tier_labels: dict[str, str] = field(default_factory=lambda: dict(_WHY_ANSWER))
    corrections: dict[str, str] = field(default_factory=dict)
    multi_document: bool = False
    best_claims: dict[int, Claim] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return self.kind == "answer"

    def best_claim(self, item: AnswerItem) -> Claim:
        return self.best_claims.get(id(item), item.primary)

    def item_json(self, item: AnswerItem) -> dict[str, Any]:
        best = self.best_claim(item)
        return {"doc": item.document_id, "paragraph": item.paragraph, "text": item.text, "quote": item.quote,
                "source": best.source, "tier": best.tier, "score": round(item.score, 4)}

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answered": self.answered,
                "answers": [self.item_json(i) for i in self.items], "message": self.message}

    def where(self, item: AnswerItem) -> str:
        prefix = f"《{item.document_title}》" if self.multi_document else ""
        return f"{prefix}第{item.paragraph}段"

    def label(self, claim: Claim) -> str:
        return self.tier_labels.get(claim.tier, claim.tier)

    @property
    def message(self) -> str:
        """The reply as plain text (the terminal chat, --json; Telegram renders its own HTML)."""
        if self.kind == "help":
            return HELP_TEXT
        if self.kind == "too_long":
            return "这条消息太长了，我只回答关于报道的简短问题（300字以内）。请把问题缩短后再问。"
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
        named = "".join(f"“{m}”" for m in missing[:3])
        return f"报道中没有提到{named}，我不想猜。可以换个问法，或问报道里写到的内容。"
    return "报道中没有找到能回答这个问题的内容，我不想猜。可以换个问法试试。"


def conflict_text(answer: Answer) -> str:
    parts = []
    for tier, entries in answer.conflict.items():
        who = "、".join(dict.fromkeys(f"{claim.source}（{answer.where(item)}）" for item, claim in entries))
        parts.append(f"{answer.tier_labels.get(tier, tier)}：{who}")
    return ("⚠ 不同信源说法不一——" + "；".join(parts)
            + "。其中官方说法可靠性最高，其余说法未获官方证实。")


@dataclass
class _Candidate:
    index: int
    bm25: float
    claims: list[tuple[Claim, float, bool]]    # claim, match weight, fits the intent
    literal: float
    score: float = 0.0


class Answerer:
    def __init__(self, index: ReportIndex) -> None:
        self.index = index
        analyzer = index.analyzer
        self._claim_terms = [[set(analyzer.terms(c.text)) for c in p.claims] for p in index.paragraphs]
        self._claim_text = [[normalize(c.text) for c in p.claims] for p in index.paragraphs]
        self._paragraph_text = [normalize(p.text) for p in index.paragraphs]
        self._intents = index.rules.intents
        self._related = {normalize(k): [analyzer.canonical(normalize(t)) or t for t in v]
                         for k, v in index.rules.related.items()}
        self._tier_labels = index.rules.sources.tier_labels

    # -- analysis ---------------------------------------------------------
    def _specific(self, term: str) -> bool:
        n = len(self.index.paragraphs)
        return term in self.index.bm25 and self.index.bm25.doc_freq[term] <= max(1, COMMON_SHARE * n)

    def _wanted(self, query: Query) -> list[str]:
        return [name for name, intent in self._intents.items()
                if any(p.search(query.normalized) for p in intent.question)]

    def _idf(self, term: str) -> float:
        return max(self.index.bm25.idf.get(term, 0.0), 0.05)

    def rank(self, query: Query, context: list[str] | None = None) -> list[_Candidate]:
        primary = list(query.terms)
        related = [r for t in dict.fromkeys(primary) for r in self._related.get(t, []) if r not in primary]
        terms = primary * (2 if context else 1) + [t for t in (context or []) if t not in primary] + related
        hits = self.index.bm25.top(terms, CANDIDATES)
        if not hits:
            return []
        wanted = self._wanted(query)
        weights = {t: self._idf(t) for t in primary}
        weights.update({t: 0.5 * self._idf(t) for t in [*related, *(context or [])] if t not in weights})
        surface = [w for w in query.words if w.term and len(w.text) > 1]
        surface_total = sum(self._idf(w.term) for w in surface) or 1.0
        top_bm25 = hits[0][1] or 1.0
        candidates = []
        for doc_index, bm25 in hits:
            claims = []
            for claim, claim_terms, text in zip(self.index.paragraphs[doc_index].claims,
                                                self._claim_terms[doc_index], self._claim_text[doc_index],
                                                strict=True):
                weight = sum(w for t, w in weights.items() if t in claim_terms)
                fits = any(p.search(text) for name in wanted for p in self._intents[name].answer)
                claims.append((claim, weight, fits))
            literal = sum(self._idf(w.term) for w in surface if w.text in self._paragraph_text[doc_index])
            candidates.append(_Candidate(doc_index, bm25 / top_bm25, claims, literal / surface_total))
        top_sentence = max((w for c in candidates for _, w, _ in c.claims), default=0.0) or 1.0
        for c in candidates:
            best = max(c.claims, key=lambda x: (x[1] + (0.3 * x[1] if x[2] else 0)))
            c.score = (c.bm25 + W_SENTENCE * best[1] / top_sentence
                       + W_INTENT * (1.0 if best[2] and best[1] > 0 else 0.0) + W_LITERAL * c.literal)
        candidates.sort(key=lambda c: (-c.score, c.index))
        return candidates

    def _item(self, candidate: _Candidate) -> tuple[AnswerItem, Claim]:
        paragraph = self.index.paragraphs[candidate.index]
        document = self.index.document(paragraph.doc_id)
        assert document is not None
        scored = candidate.claims
        best_weight = max(w for _, w, _ in scored)
        best = max(scored, key=lambda x: (x[1] + (0.3 * x[1] if x[2] else 0)))[0]
        chosen = [c for c, w, fits in scored if w > 0 and (w >= 0.5 * best_weight or fits)][:3]
        if best not in chosen:
            chosen = [best, *chosen][:3]
        chosen.sort(key=paragraph.claims.index)
        item = AnswerItem(document.doc_id, document.title, document.published, paragraph.number, paragraph.text,
                          chosen, candidate.score)
        return item, best

    # -- answering --------------------------------------------------------
    def answer(self, question: str, offset: int = 0, context: list[str] | None = None) -> Answer:
        query = self.index.analyze(question)
        answer = Answer(question, "answer", tier_labels=dict(self._tier_labels), corrections=query.corrections,
                        multi_document=len(self.index.documents) > 1)
        if _GREETING.match(query.normalized) or (not query.terms and not query.missing and not query.unmatched):
            answer.kind = "help"
            return answer
        if query.missing:
            answer.kind, answer.missing = "not_found", query.missing
            return answer
        if query.unmatched and not query.terms:
            answer.kind, answer.missing = "not_found", query.unmatched
            return answer
        candidates = self.rank(query, context)
        if not candidates:
            answer.kind = "not_found"
            answer.missing = [w.text for w in query.words if w.term][:3]
            return answer
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
        normalized = normalize(text or "")
        if _MORE.match(normalized):
            if not state.get("q"):
                return Answer(text, "help"), state
            offset = int(state.get("offset", 0)) + PAGE
            answer = self.answer(state["q"], offset, state.get("ctx") or None)
            answer.question = text
            if answer.answered:
                state["offset"] = offset
            return answer, state
        context: list[str] | None = None
        if state.get("q") and _FOLLOW_UP.search(normalized) and len(normalized) <= _FOLLOW_UP_MAX_CHARS:
            previous = self.index.analyze(state["q"])
            context = [t for t in dict.fromkeys([*(state.get("ctx") or []), *previous.terms])
                       if self._specific(t)]
        answer = self.answer(text, 0, context)
        if answer.answered:
            state = {"q": text, "ctx": context or [], "offset": 0}
        return answer, state
