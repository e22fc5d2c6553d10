"""Stage 4, compose: the paragraphs shown, the sentences quoted from each, who says them.

For each paragraph shown, every claim (a sentence with its source and tier,
index.sources) is scored by the question bigrams it holds, weighted by their
BM25 idf, plus a bonus when it gives the kind of answer asked for (a date for
什么时候).  The best claim is the one the answer cites first; claims scoring at
least half as well, and those giving the kind of answer asked, are quoted with it (three at most, in
reading order).

The reliability note lists the tiers when the shown claims mix an official
statement with lower tiers (named, anonymous, rumour).
"""

from __future__ import annotations

from dataclasses import dataclass

from .analyze import Question
from .engine import ParagraphTerms, ReportIndex
from .retrieve import Candidate
from .sources import Claim

KIND_BONUS = 0.3          # share of the best bigram score a sentence of the kind asked for gains
QUOTE_SHARE = 0.5         # a claim scoring this share of the best is quoted with it
MAX_QUOTED = 3
LOWER_TIERS = ("named", "anonymous", "rumor")


@dataclass
class AnswerItem:
    document_id: str
    document_title: str
    published: str
    paragraph: int
    text: str
    claims: list[Claim]
    score: float
    best: Claim | None = None      # the claim the answer cites first

    @property
    def primary(self) -> Claim:
        return self.best or self.claims[0]

    @property
    def quote(self) -> str:
        return "".join(c.text for c in self.claims)

    def to_json(self) -> dict[str, object]:
        return {"doc": self.document_id, "paragraph": self.paragraph, "text": self.text, "quote": self.quote,
                "source": self.primary.source, "tier": self.primary.tier, "score": round(self.score, 4)}


def _claim_scores(question: Question, sentences: list[ParagraphTerms], index: ReportIndex) -> list[tuple[float, bool]]:
    """Per claim (its terms, index.sentence_terms): its score, and whether it gives a kind of answer asked for."""
    idf = index.retriever.bigrams.idf
    wanted = set(question.bigrams)
    intents = index.rules.intents
    scores = []
    for sentence in sentences:
        held = sentence.bigrams & wanted
        score = sum(max(idf.get(g, 0.0), 0.0) for g in held)
        gives = bool(held) and any(p.search(sentence.text) for k in question.kinds for p in intents[k].answer)
        scores.append((score + KIND_BONUS * max(score, 1.0) if gives else score, gives))
    return scores


def item(question: Question, candidate: Candidate, index: ReportIndex) -> AnswerItem:
    paragraph = index.paragraphs[candidate.position]
    document = index.document(paragraph.doc_id)
    assert document is not None
    claims = paragraph.claims or [Claim(paragraph.text, index.rules.sources.default_source, "reporter")]
    scored = _claim_scores(question, index.sentence_terms(candidate.position), index)
    scores = [score for score, _ in scored]
    best = max(range(len(claims)), key=lambda i: (scores[i], -i))
    # Quoted with the best: claims about as good, and any that give the kind of answer asked about the same
    # thing (雷军's "2024年上半年量产" beside the insider's "明年2月上市").
    quoted = [i for i, (score, gives) in enumerate(scored)
              if score > 0 and (gives or score >= QUOTE_SHARE * scores[best])]
    quoted = sorted(set(sorted(quoted, key=lambda i: -scores[i])[:MAX_QUOTED]) | {best})
    if len(quoted) > MAX_QUOTED:
        quoted = sorted(sorted(quoted, key=lambda i: -scores[i])[:MAX_QUOTED])
    return AnswerItem(document.doc_id, document.title, document.published, paragraph.number, paragraph.text,
                      [claims[i] for i in quoted], candidate.score, claims[best])


def reliability_note(items: list[AnswerItem]) -> dict[str, list[tuple[AnswerItem, Claim]]]:
    """Official claims and lower-tier claims among those shown, by tier (most reliable first); {} if not mixed."""
    by_tier: dict[str, list[tuple[AnswerItem, Claim]]] = {}
    for answer_item in items:
        for claim in answer_item.claims:
            by_tier.setdefault(claim.tier, []).append((answer_item, claim))
    if "official" in by_tier and any(t in by_tier for t in LOWER_TIERS):
        return {t: by_tier[t] for t in ("official", *LOWER_TIERS) if t in by_tier}
    return {}
