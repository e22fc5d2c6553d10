"""Stage 1, analyse the question: what it is about, what kind of answer it wants.

A question becomes

* its content words: the words left when stop words (question frames,
  particles, politeness, chat filler: seeds/rules/stopwords.txt) are dropped,
  each weighted by how much it says in general Chinese: the rarer a word is in
  jieba's own dictionary (a general-language model of word frequencies), the
  more it pins down (weight = ln(total / (frequency + 1)), a word jieba does not
  know counts as rare);
* the two search queries, word terms and character bigrams (index.tokenize;
  the content's bigrams count twice);
* the kinds of answer it asks for (seeds/rules/intents.toml: time, quantity,
  person, place, reason …), which the decision and the quote use.

Nothing here knows the reports: the same question gets the same analysis over
any library.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .normalize import normalize
from .related import related_words
from .rules import Intent
from .tokenize import Tokenizer, Word, bigrams_of, general_weight, units


@dataclass(frozen=True)
class ContentWord:
    text: str          # normalised surface form
    term: str          # its word-search term (canonical synonym)
    weight: float      # how much it says in general Chinese (rarer: more)
    noun: bool = False # a noun or name (jieba tags n…, eng): the things a question is about
    variants: tuple[str, ...] = ()   # the general synonyms of its term (seeds/rules/synonyms.txt)
    named: tuple[str, ...] = ()      # the people the library names by this role (index.roles: 特首 → 梁振英)

    @cached_property
    def grams(self) -> tuple[str, ...]:
        """Its character bigrams (a word held in part is held by some of these)."""
        return tuple(bigrams_of(units(self.text)))

    @cached_property
    def related(self) -> tuple[str, ...]:
        """Words of the same meaning in general Chinese (index.related), and the people the library names by this
        role (index.roles)."""
        return (*related_words(self.text), *self.named)


@dataclass(frozen=True)
class Question:
    text: str
    normalized: str
    words: tuple[Word, ...]
    content: tuple[ContentWord, ...]
    word_terms: tuple[str, ...]         # query of the word BM25
    bigrams: tuple[str, ...]            # query of the bigram BM25
    kinds: tuple[str, ...]              # kinds of answer asked for, in intents.toml order
    corrections: tuple[tuple[str, str], ...] = ()   # typos read as the library's words (index.typos)
    related_bigrams: tuple[str, ...] = ()   # the bigram query's too: those of its words' synonyms (index.related)

    @property
    def is_empty(self) -> bool:
        return not self.content


# Only a word at least this rare in general Chinese brings its synonyms into the query: a common one (地方, 发生)
# has many loose ones (方面, 上面; 产生) that match paragraphs about something else.
RELATED_RARITY = 8.0


def asked_kinds(normalized: str, intents: dict[str, Intent]) -> tuple[str, ...]:
    return tuple(name for name, intent in intents.items() if any(p.search(normalized) for p in intent.question))


def analyze(text: str, tokenizer: Tokenizer, intents: dict[str, Intent],
            corrections: dict[str, str] | None = None, roles: dict[str, tuple[str, ...]] | None = None) -> Question:
    """The analysis of a question; ``corrections`` (typo -> word) are applied to its normalised text first;
    ``roles``: the people the library names by a role word (index.roles)."""
    normalized = normalize(text)
    for wrong, right in sorted((corrections or {}).items(), key=lambda pair: -len(pair[0])):
        normalized = normalized.replace(wrong, right)
    words = tuple(tokenizer.words(normalized))
    content: dict[str, ContentWord] = {}
    for word in words:
        if word.term and word.text not in content:
            named = tuple(n for n in (roles or {}).get(word.text, ()) if n not in normalized)
            content[word.text] = ContentWord(word.text, word.term, general_weight(word.text),
                                             word.tag.startswith(("n", "eng")), tokenizer.variants(word.term), named)
    word_terms = tuple(t for word in words if word.term for t in tokenizer.expand(word))
    # Content bigrams, then every bigram of the question: the frame (什么时候上市) still matches the way a
    # report words the answer, and the content counts twice.
    bigrams = (*tokenizer.question_bigrams(list(words)), *tokenizer.bigrams(normalized))
    # And once each, in both queries, the words of the same meaning in general Chinese (index.related) of its rarer
    # content words: a paraphrase (年纪 for 年龄) then scores too.  (Development news reports, ranking hit@1: 0.7836
    # with neither, 0.7867 with the word terms, 0.7933 with the bigrams too; the bundled sets lost one question.)
    synonyms = [normalize(r) for c in content.values() if len(c.text) >= 2 and c.weight >= RELATED_RARITY
                for r in related_words(c.text) if len(r) >= 2]
    synonyms += [n for c in content.values() for n in c.named]      # 前特首: the one the report calls 特首
    word_terms += tuple(dict.fromkeys(t for r in synonyms if (t := tokenizer.canonical(r)) and t not in word_terms))
    related_bigrams = tuple(dict.fromkeys(g for r in synonyms for g in tokenizer.bigrams(r) if g not in bigrams))
    return Question(text, normalized, words, tuple(content.values()), word_terms, bigrams,
                    asked_kinds(normalized, intents), tuple((corrections or {}).items()), related_bigrams)


def with_context(question: Question, previous: Question, tokenizer: Tokenizer) -> Question:
    """A follow-up (那售价呢？) searched together with what the question before it was about: the
    previous content words and their bigrams once, the follow-up's own as usual (so they weigh more)."""
    seen = {c.text for c in question.content}
    carried = tuple(c for c in previous.content if c.text not in seen)
    carried_bigrams = tuple(tokenizer.question_bigrams(list(previous.words)))
    return Question(question.text, question.normalized, question.words, question.content + carried,
                    question.word_terms + tuple(c.term for c in carried), question.bigrams + carried_bigrams,
                    question.kinds or previous.kinds, question.corrections, question.related_bigrams)
