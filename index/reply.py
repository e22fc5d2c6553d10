"""Stage 5b, the reply: an answer as a reader sees it (the answer line, 第N段, each source and its tier).

``Answer`` is what the pipeline (index.answer) found for one message: the
paragraphs shown with their claims, the answer line, whether sources disagree,
or what the reports do not say.  ``Answer.message`` is its plain-text reply (the
terminal chat, ``--json``); the Telegram layer renders the same parts as HTML
(bot.render).  Nothing here searches or decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .compose import AnswerItem
from .dates import annotate
from .lines import ShortAnswer
from .sources import DEFAULT_LABELS, Claim

MAX_QUESTION_CHARS = 300  # longer messages are not questions (pasted articles, junk)
_TITLE_MAX_CHARS = 12     # a report's title in 《…》第N段 when several reports are loaded
_MISSING_MAX_CHARS = 16   # a missing "word" of 300 junk characters is not named in full
CONFLICT_HEAD = "信源说法不一"
CONFLICT_TAIL = "官方说法可靠性最高，其余说法未获官方证实。"


def help_text(examples: Sequence[str] = ()) -> str:
    """What the bot does and how to ask; the examples come from the reports' knowledge files."""
    lines = ["我可以回答关于这些报道的问题，每个回答都会注明出自第几段、信源是谁、可靠程度如何"
             "（官方 / 记者实地 / 具名第三方 / 匿名信源 / 传闻）。"]
    if examples:
        lines.append("试试问：" + " ".join(examples[:3]))
    lines.append("说“更多”看下一批结果。")
    return "\n".join(lines)


@dataclass
class Answer:
    question: str
    kind: str                                  # answer | not_found | help | no_more | too_long
    items: list[AnswerItem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    short_answer: list[ShortAnswer] = field(default_factory=list)   # the answer line (one per source in a conflict)
    conflict: bool = False                     # sources shown give different values or claims about what was asked
    tier_labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    corrections: dict[str, str] = field(default_factory=dict)
    multi_document: bool = False
    examples: list[str] = field(default_factory=list)   # example questions for the help text
    probability: float | None = None           # the decision's p(answer), when one was made
    caveat: bool = False                       # the reports do not say it in so many words: closest shown
    ranked: list[tuple[str, int]] = field(default_factory=list)   # the page's paragraphs before any was left out

    @property
    def answered(self) -> bool:
        return self.kind == "answer"

    def best_claim(self, answer_item: AnswerItem) -> Claim:
        return answer_item.primary

    def item_json(self, answer_item: AnswerItem) -> dict[str, Any]:
        return answer_item.to_json()

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answered": self.answered, "caveat": self.caveat,
                "short_answer": [line.to_json() for line in self.short_answer], "conflict": self.conflict,
                "answers": [self.item_json(i) for i in self.items], "message": self.message}

    def _item_of(self, line: ShortAnswer) -> AnswerItem | None:
        return next((i for i in self.items if (i.document_id, i.paragraph) == (line.doc, line.paragraph)), None)

    def where_line(self, line: ShortAnswer) -> str:
        """第N段 of an answer line (with the report's title when several reports are loaded)."""
        answer_item = self._item_of(line)
        return self.where(answer_item) if answer_item else f"第{line.paragraph}段"

    def line_text(self, line: ShortAnswer) -> str:
        """The line's words, relative dates resolved against the report's date (明年2月〔即2024年2月〕)."""
        answer_item = self._item_of(line)
        return annotate(line.said, answer_item.published) if answer_item else line.said

    @property
    def lead_line(self) -> str:
        """The line a reply leads with: 答：…, or after the caveat 可参考：… (the report does not say it in so
        many words, and this is the nearest it comes)."""
        if not self.answer_line:
            return ""
        return "可参考：" + self.answer_line.removeprefix("答：") if self.caveat else self.answer_line

    @property
    def answer_line(self) -> str:
        """答：… with each value's source and tier, most reliable first (empty when there is no line)."""
        if not self.short_answer:
            return ""
        parts = []
        for line in self.short_answer:
            when = f"{line.published[:7]}：" if line.published else ""
            later = "，已被后来的官方说法取代" if line.superseded else ""
            parts.append(f"{when}{self.line_text(line)}（{self.tier_labels.get(line.tier, line.tier)}：{line.source}，"
                         f"{self.where_line(line)}{later}）")
        return "答：" + "；".join(parts)

    def where(self, answer_item: AnswerItem) -> str:
        """第N段, with the report's (shortened) title when several reports are loaded."""
        if not self.multi_document:
            return f"第{answer_item.paragraph}段"
        title = answer_item.document_title
        title = title if len(title) <= _TITLE_MAX_CHARS else title[:_TITLE_MAX_CHARS] + "…"
        return f"《{title}》第{answer_item.paragraph}段"

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
        lines = [self.corrections_text] if self.corrections else []
        lines += [self.caveat_text] if self.caveat_text else []
        lines += [self.lead_line] if self.lead_line else []
        for number, answer_item in enumerate(self.items, 1):
            best = answer_item.primary
            lines.append(f"{number}. {self.where(answer_item)}｜{self.label(best)}：{best.source}")
            for claim in answer_item.claims:
                text = annotate(claim.text, answer_item.published)
                if (claim.tier, claim.source) == (best.tier, best.source):
                    lines.append(f"   {text}")
                else:
                    lines.append(f"   〔{self.label(claim)}：{claim.source}〕{text}")
        if self.conflict:
            lines.append(conflict_text(self))
        return "\n".join(lines)


    @property
    def corrections_text(self) -> str:
        """（已按 “严收”→“验收” 理解）: the typos read as the reports' words."""
        fixed = "，".join(f"“{wrong}”→“{right}”" for wrong, right in self.corrections.items())
        return f"（已按 {fixed} 理解）" if fixed else ""

    @property
    def caveat_text(self) -> str:
        """报道没有直接说“…”，最接近的是第N段： (empty unless the answer carries a caveat)."""
        if not self.caveat or not self.items:
            return ""
        named = "".join(f"“{m}”" for m in _shown(self.missing)[:2])
        return f"报道没有直接说{named or '这一点'}，最接近的是{self.where(self.items[0])}："


def _shown(missing: list[str]) -> list[str]:
    shown = [m if len(m) <= _MISSING_MAX_CHARS else m[:_MISSING_MAX_CHARS] + "…" for m in missing]
    return list(dict.fromkeys(shown))


def not_found_text(missing: list[str]) -> str:
    if missing:
        named = "".join(f"“{m}”" for m in _shown(missing)[:3])
        return f"报道中没有找到关于{named}的说法，我不想猜。可以换个问法，或问报道里写到的内容。"
    return "报道中没有找到能回答这个问题的内容，我不想猜。可以换个问法试试。"


def conflict_groups(answer: Answer) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The conflict note's content, most reliable tier first: (tier label, [(source, [第N段, …])]); empty
    unless the sources shown really disagree about what was asked."""
    if not answer.conflict:
        return []
    groups: dict[str, dict[str, list[str]]] = {}
    for line in answer.short_answer:
        label = answer.tier_labels.get(line.tier, line.tier)
        where = groups.setdefault(label, {}).setdefault(line.source, [])
        if answer.where_line(line) not in where:
            where.append(answer.where_line(line))
    return [(label, list(sources.items())) for label, sources in groups.items()]


def conflict_text(answer: Answer) -> str:
    parts = [f"{label}：" + "、".join(f"{source}（{'、'.join(where)}）" for source, where in sources)
             for label, sources in conflict_groups(answer)]
    return f"⚠ {CONFLICT_HEAD}——" + "；".join(parts) + "。" + CONFLICT_TAIL
