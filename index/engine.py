"""The report index: analyse a question, find the paragraphs that answer it.

``ReportIndex.search`` is plain BM25 (index.bm25) over the analysed terms.
``ReportIndex.analyze`` also sorts the question's words into

* focus words: topic words the reports mention; an answer must speak to them;
* cue words: words that only say what kind of answer is wanted (在哪, 什么时候);
* missing words: topic words the reports never mention (so the answer can say
  so instead of guessing);
* unmatched words: unknown words that name no topic (verbs, adjectives);

and fixes homophone typos (气车 → 汽车) against the reports' own vocabulary.

Everything a question needs is precomputed when the index is built: the set of
the reports' character n-grams (``mentions`` is a set lookup, never a scan of
the text) and, per paragraph, the terms of each claim and of each clause, so
the work per question follows the question and the BM25 postings, not the size
of the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bm25 import BM25Index
from .corpus import Corpus, Document, Paragraph
from .normalize import normalize
from .rules import Rules, load_rules
from .tokenize import Analyzer, Word

# A word this frequent in jieba's dictionary is a real word, not a typo.
_COMMON_WORD = 50
# Longest character n-gram kept; longer strings are known when all their n-grams are.
MAX_GRAM = 4
# Clauses: the unit within which a question's focus words must meet.  A
# semicolon separates statements about different things (一期…；二期…); so does
# a contrastive conjunction after a comma (…获得发改委的批准，但仍需获得工信部的批准).
_CLAUSE_END = re.compile(r"[。！？!?；;]|[，,](?=但|不过|然而|可是)")
# Topic words that still do not name a thing: times (明年), numerals, measure words.
_WEAK_TOPIC_TAGS = ("t", "m", "q")
# Distinguishing words (jieba's "b": 一期, 二期, 首款) single out one of several things.
_QUALIFIER_TAGS = ("b",)
# Nouns this common in jieba's dictionary (人, 公司, 时间, 问题) name no particular thing.
GENERIC_FREQ = 20000
_INTERROGATIVE = re.compile(r"哪|什么|啥|几|多少|多大|何|谁|怎")
# A model designation: latin letters or a name followed by digits (小米14, m7, p7).
_MODEL = re.compile(r"[a-z\u4e00-\u9fff]+\d+[a-z]*|[a-z]+几[级代档款]?")
# A word the reports lack blocks an answer outright when it names something in
# particular: a person, place, organisation or other proper noun (jieba's nr, ns,
# nt, nz), a model (小米14, iphone15) or any other word with a digit in it.  A
# latin word without digits (stamping, laptop, jac) is Query.latin: English for
# a thing, or a name; it blocks only an answer nothing else pins down.  Other
# missing words are "soft": the answerer weighs them against what the rest of
# the question matches (围墙 asked, 石墙 written).
_SPECIFIC_TAGS = ("nr", "ns", "nt", "nz", "eng")
_SPECIFIC_SHAPE = re.compile(r"[0-9a-z]")
# A character in at most this share of paragraphs is distinctive (墙, 口; not 人, 车).
RARE_CHAR_SHARE = 0.3
# An ordinal of a thing (第2款车, 第3代); 第1 of anything is its first (首款).
_ORDINAL = re.compile(r"第(\d+)(款|代|辆|期|家|座|栋|批|个)")
_CHINESE_DIGITS = "零一二三四五六七八九"
_LATIN_WORD = re.compile(r"[a-z]{2}")
_PURE_LATIN = re.compile(r"[a-z]+")
_UNIT_AFTER_NUMBER = re.compile(r"^\d+(\.\d+)?(年|月|日|号|万|亿|千|百|辆|元|人|家|个|款|期|%|~|-|岁|座"
                                r"|公里|米|平方|倍|天|次|成)")


@dataclass(frozen=True)
class Hit:
    document: Document
    paragraph: Paragraph
    score: float


@dataclass(frozen=True)
class Focus:
    """A topic word of the question that the reports mention, with its search terms."""
    text: str
    terms: tuple[str, ...]   # search terms: the word's own and those of its parts (年产能: 产能)
    core: tuple[str, ...]    # what a sentence must hold to speak of it: the word's own term
    term: str           # canonical form, for messages
    tag: str            # jieba's POS tag
    generic: bool       # so common a word (人, 时间, 看) that it names nothing in particular
    role: str           # "thing" (a noun or name an answer must mention), "qualifier" (一期, 二期:
                        # must be said of the same thing, in the same clause) or "other"
    tier: str = ""      # 传闻, 被传, 官方: a word naming a reliability tier; covered by that tier's claims

    @property
    def strong(self) -> bool:
        return self.role != "other"


@dataclass
class Query:
    text: str
    normalized: str
    words: list[Word]
    terms: list[str]
    missing: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)   # unknown words that are not topics (verbs…)
    focus: list[Focus] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)         # terms of words that only signal the intent
    soft: list[str] = field(default_factory=list)         # missing words that name nothing in particular
    hard: list[str] = field(default_factory=list)         # missing words that do (names, models, 小米14)
    # Latin words without digits the reports lack (stamping, laptop, jac): a name or a
    # word of English; they block an answer only when nothing else pins a paragraph down.
    latin: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.missing


@dataclass(frozen=True)
class Clause:
    claim: int                 # index of the claim within its paragraph
    text: str                  # normalised
    terms: frozenset[str]
    tier: str = ""             # the tier of the claim it belongs to


class ReportIndex:
    def __init__(self, corpus: Corpus, rules: Rules | None = None) -> None:
        self.corpus = corpus
        self.rules = rules or load_rules(corpus.rules_dir)
        self.analyzer = Analyzer(self.rules)
        self.paragraphs: list[Paragraph] = corpus.paragraphs
        self._documents = {d.doc_id: d for d in corpus.documents}
        self.texts = [normalize(p.text) for p in self.paragraphs]
        self.bm25 = BM25Index([self.analyzer.terms(p.text) for p in self.paragraphs])
        # What the reports mention, headings included (search scores paragraphs only).
        self.headings = [normalize(p.section or "") for p in self.paragraphs]
        headings = {h for h in self.headings if h}
        self._grams: set[str] = set()
        for text in (*self.texts, *headings):
            for n in range(1, MAX_GRAM + 1):
                self._grams.update(text[i:i + n] for i in range(len(text) - n + 1))
        self.claim_terms: list[list[frozenset[str]]] = []
        self.claim_texts: list[list[str]] = []
        self.clauses: list[list[Clause]] = []
        # Per paragraph, what holds for all its clauses: the section heading and who speaks.
        self.contexts: list[Clause] = []
        for paragraph in self.paragraphs:
            labels = self.rules.sources.tier_labels
            around = normalize(" ".join([paragraph.section or "", *(c.source for c in paragraph.claims),
                                         *(labels.get(c.tier, "") for c in paragraph.claims)]))
            self.contexts.append(Clause(-1, around, frozenset(self.analyzer.terms(around))))
            texts = [normalize(c.text) for c in paragraph.claims]
            self.claim_texts.append(texts)
            # A claim also carries its tier's label, so 官方怎么说 finds official statements.
            labels = self.rules.sources.tier_labels
            self.claim_terms.append([frozenset([*self.analyzer.terms(t), *self.analyzer.terms(labels.get(c.tier, ""))])
                                     for t, c in zip(texts, paragraph.claims, strict=True)])
            self.clauses.append([Clause(i, part, frozenset(self.analyzer.terms(part)), paragraph.claims[i].tier)
                                 for i, text in enumerate(texts)
                                 for part in _CLAUSE_END.split(text) if part.strip()])
        # Per paragraph, the words jieba cuts it into: a soft missing word is close
        # to a paragraph that has a word starting or ending like it (围墙 ~ 石墙).
        self.word_ends: list[tuple[frozenset[str], frozenset[str], frozenset[str]]] = []
        self.char_df: dict[str, int] = {}
        self._end_postings: dict[tuple[int, str], list[int]] = {}
        for number, text in enumerate(self.texts):
            cut = [w for w in self.analyzer._jieba.cut(text) if self.analyzer.canonical(w)]
            ends = (frozenset(w[0] for w in cut), frozenset(w[-1] for w in cut))
            self.word_ends.append((*ends, frozenset("".join(cut))))
            for position, chars in enumerate(ends):
                for char in chars:
                    self._end_postings.setdefault((position, char), []).append(number)
            for char in set(text):
                self.char_df[char] = self.char_df.get(char, 0) + 1
        self._rare_chars = max(1, int(RARE_CHAR_SHARE * len(self.texts)))
        self._by_pinyin: dict[str, str] = {}
        vocabulary = self._vocabulary()
        for word in vocabulary:
            self._by_pinyin.setdefault(self.analyzer.pinyin(word), word)
        # Names of three or more characters, for typos pinyin cannot see: pypinyin
        # reads the 錤 of 郭明錤 ji, but people say (and type) qi: 郭明琪, 郭明其.
        self._names = [normalize(w) for w, _, tag in self.rules.userdict
                       if tag and tag.startswith("nr") and len(w) >= 3 and self.mentions(normalize(w))]
        # Words naming a reliability tier (传闻, 被传, 官方): the tier labels and the
        # cue phrases of sources.toml, matched whole.
        sources = self.rules.sources
        self._tier_words = [(tier, re.compile(normalize(label))) for tier, label in sources.tier_labels.items()]
        self._tier_words += [(tier, p) for tier, patterns in sources.phrases.items() for p in patterns]
        self._cue_patterns = [p for intent in self.rules.intents.values() for p in intent.question]
        # Parts of the tier labels (实地 of 记者实地, 匿名 of 匿名信源) ask for the tier every
        # answer shows: words about the bot's own job, like the meta words of stopwords.txt.
        self._label_text = " ".join(normalize(label) for label in sources.tier_labels.values())

    def _vocabulary(self) -> list[str]:
        words: set[str] = set()
        for text in self.texts:
            words.update(w for w in self.analyzer._jieba.cut(text) if len(w) > 1)
        # Synonyms sound-match too: 工信布 -> 工信部 (-> 工业和信息化部).
        words.update(w for w, canonical in self.analyzer.synonyms.items() if canonical in self.bm25)
        words.update(self.analyzer.synonyms.values())
        return sorted(w for w in words if self.knows(w) and not self.analyzer.is_number(w))

    @property
    def documents(self) -> list[Document]:
        return self.corpus.documents

    def document(self, doc_id: str) -> Document | None:
        return self._documents.get(doc_id)

    def paragraph(self, number: int, doc_id: str | None = None) -> Paragraph | None:
        doc = self._documents.get(doc_id) if doc_id else self.corpus.documents[0]
        if doc and 1 <= number <= len(doc.paragraphs):
            return doc.paragraphs[number - 1]
        return None

    # -- vocabulary -------------------------------------------------------
    def tier_of(self, word: str) -> str:
        """The tier a word names (传闻 -> rumor, 被传 -> rumor), or ""."""
        return next((tier for tier, pattern in self._tier_words if pattern.fullmatch(word)), "")

    def is_hard_missing(self, word: str, tag: str) -> bool:
        """Whether a word the reports lack names something in particular (see _SPECIFIC_TAGS)."""
        return bool(_SPECIFIC_SHAPE.search(word)) or tag.startswith(_SPECIFIC_TAGS)

    def near(self, word: str, index: int) -> int:
        """How close paragraph ``index`` comes to a word the reports lack: the report
        may say the same thing in other words (围墙 ~ 石墙, 出入口 ~ 进出口, 试车 ~ 试生产).

        2: the word's first or last character, a distinctive one (in few
        paragraphs), also starts or ends a word of the paragraph; 1: some
        character of the word occurs in a word of the paragraph (园区 ~ 科技园);
        0: none does."""
        firsts, lasts, chars = self.word_ends[index]
        level = 0
        for char, ends in ((word[0], firsts), (word[-1], lasts)):
            if char in ends and self.analyzer.canonical(char) and self.char_df.get(char, 0) <= self._rare_chars:
                level = 2
        if not level and any(c in chars and self.analyzer.canonical(c) for c in word):
            level = 1
        return level

    def closeness(self, word: str, index: int) -> float:
        """near() refined by the share of the word's characters the paragraph's words hold
        (出入口: 进出口 holds two of three, 门口 one)."""
        chars = self.word_ends[index][2]
        share = sum(c in chars for c in word) / len(word)
        return self.near(word, index) + 0.5 * share

    def near_paragraphs(self, word: str) -> set[int]:
        """The paragraphs ``near(word, i) == 2`` (a posting lookup per character)."""
        out: set[int] = set()
        for char, position in ((word[0], 0), (word[-1], 1)):
            if self.analyzer.canonical(char) and self.char_df.get(char, 0) <= self._rare_chars:
                out.update(self._end_postings.get((position, char), ()))
        return out

    def mentions(self, text: str) -> bool:
        """Whether this (normalised) string occurs in the reports; a set lookup, not a scan."""
        if not text:
            return False
        if len(text) <= MAX_GRAM:
            return text in self._grams
        # Longer strings: every n-gram must occur (almost always means the string does).
        return all(text[i:i + MAX_GRAM] in self._grams for i in range(len(text) - MAX_GRAM + 1))

    def knows(self, word: str) -> bool:
        """Whether the reports mention this (normalised) word or its canonical term."""
        term = self.analyzer.canonical(word)
        if term in self.bm25 or self.mentions(word) or (term and self.mentions(term)):
            return True
        # 电动车: known if report words (电动) and report terms (车 → 汽车) cover it.
        covered = [self._knows_char(c) for c in word]
        found = any(self.analyzer.canonical(c) for c, known in zip(word, covered, strict=True) if known)
        for n in range(2, MAX_GRAM + 1):
            for i in range(len(word) - n + 1):
                piece = word[i:i + n]
                if self.analyzer.canonical(piece) in self.bm25 or self.mentions(piece):
                    covered[i:i + n] = [True] * n
                    found = True
        if len(word) > 1 and all(covered) and found:
            return True
        # 进进出出 -> 进出: reduplication adds no meaning.
        single = "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])
        return single != word and len(single) > 1 and self.knows(single)

    def _knows_char(self, char: str) -> bool:
        term = self.analyzer.canonical(char)
        return not term or term in self.bm25

    def _composed(self, word: str) -> bool:
        """厂里, 能带, 进厂: a short word made only of stop words and report words."""
        # (A latin word is no compound of letters: suv, gt.)
        return len(word) <= 3 and not _LATIN_WORD.search(word) and all(self._knows_char(c) for c in word)

    def _unknown_topics(self, word: Word) -> list[str]:
        """The parts of an unknown word that name a topic the reports lack."""
        if self.analyzer.is_number(word.text) or self._composed(word.text):
            return []
        if word.is_topic and self.analyzer.frequency(word.text):
            return [word.text]      # a dictionary word: 特斯拉, 门牌号
        if len(word.text) >= 3 and not word.tag.startswith("v"):
            # 多大年纪, 今天天气: judge the dictionary words inside a long unknown word
            # (not inside a verb: 围起来 is no 围起).
            parts = [word.text[i:i + n] for n in (2, 3) for i in range(len(word.text) - n + 1)
                     if self.analyzer.frequency(word.text[i:i + n]) and word.text[i:i + n] != word.text]
            if parts:
                return [p for p in parts if self.analyzer.canonical(p) and not self.knows(p)
                        and Word(p, p, self.analyzer.tag(p)).is_topic and not self._composed(p)]
        return [word.text] if word.is_topic else []

    def _pieces(self, word: str) -> list[str]:
        """车企高管 -> 车企, 高管: the report terms inside a word the reports never use whole."""
        if self.analyzer.canonical(word) in self.bm25 or len(word) < 3:
            return []
        out = []
        for n in range(min(len(word) - 1, MAX_GRAM), 1, -1):
            for i in range(len(word) - n + 1):
                term = self.analyzer.canonical(word[i:i + n])
                if term in self.bm25 and not any(word[i:i + n] in longer for longer in out):
                    out.append(term)
        return out

    def _role(self, word: Word) -> str:
        if word.tag.startswith(_QUALIFIER_TAGS):
            return "qualifier"
        if (word.is_topic and not word.tag.startswith(_WEAK_TOPIC_TAGS)
                and self.analyzer.frequency(word.text) < GENERIC_FREQ):
            return "thing"
        return "other"

    def _is_cue(self, word: str) -> bool:
        """在哪, 哪里, 哪儿: a question word that only says what kind of answer is wanted."""
        if not _INTERROGATIVE.search(word):
            return False
        rest = word
        for pattern in self._cue_patterns:
            rest = pattern.sub("", rest)
        return rest != word and all(not self.analyzer.canonical(c) for c in rest)

    def _models(self, normalized: str) -> list[str]:
        """Model designations (小米14, iphone15) the reports never mention."""
        out = []
        for match in _MODEL.finditer(normalized):
            model = match.group(0)
            digits = re.search(r"\d|几", model)
            assert digits is not None
            if _UNIT_AFTER_NUMBER.match(normalized[match.start() + digits.start():]):
                continue
            name, number = model[:digits.start()], model[digits.start():]
            if name.endswith("第"):
                continue        # an ordinal (第1), not a model
            latin = re.search(r"[a-z]+$", name)
            if latin:
                name = latin.group(0)
            else:
                # The name right before the number, without stop words: 的小米14 -> 小米14.
                while name and not self.analyzer.canonical(name[0]):
                    name = name[1:]
                name = name[-2:] if not any(not self.analyzer.canonical(c) for c in name[-2:]) else name[-1:]
            # (A designation the synonyms map to a term of the reports, su7 -> 小米汽车, is no unknown model.)
            if not name or self.mentions(name + number) or (name + number) in self.analyzer.synonyms:
                continue
            if latin or (self.analyzer.canonical(name) and Word(name, name, self.analyzer.tag(name)).is_topic):
                out.append(name + number)       # 支持800v is no model: 支持 is a verb
        return out

    def _ordinals(self, normalized: str) -> list[str]:
        """第2款, 第3代: one of several things, when the reports never speak of that one
        (they speak of the first as 首款; of 二期 without 第)."""
        out = []
        for match in _ORDINAL.finditer(normalized):
            number, unit = int(match.group(1)), match.group(2)
            if number < 2:
                continue
            forms = [match.group(0), f"{number}{unit}", _CHINESE_DIGITS[number] + unit if number < 10 else ""]
            if not any(form and self.mentions(form) for form in forms):
                out.append(match.group(0))
        return out

    # -- typos -----------------------------------------------------------
    def _correct(self, normalized: str, words: list[Word]) -> tuple[str, dict[str, str]]:
        """Replace homophone typos of report words (收价 → 售价, 小米气车) in the question.

        A candidate is 2-4 characters that overlap a word the reports lack, hold
        no stop word, are not themselves a common word, and sound exactly like
        a word of the reports."""
        fixes: dict[str, str] = {}
        unknown = [False] * len(normalized)
        stop = [False] * len(normalized)
        known: list[tuple[int, int]] = []     # spans of words the reports use
        offset = 0
        for word in words:
            start = normalized.find(word.text, offset)
            if start < 0:
                continue
            offset = start + len(word.text)
            if not word.term:
                stop[start:offset] = [True] * len(word.text)
            elif not self.knows(word.text) and not self.analyzer.is_number(word.text):
                unknown[start:offset] = [True] * len(word.text)
            elif len(word.text) > 1 and word.term in self.bm25:
                known.append((start, offset))
        for size in (4, 3, 2):
            for left in range(len(normalized) - size + 1):
                right = left + size
                window = normalized[left:right]
                # (A window cutting a report word in two is no typo of it: 郭明錤预测 is not 郭明 + 基于.)
                cuts = any(a < left < b or a < right < b for a, b in known)
                if (not any(unknown[left:right]) or any(stop[left:right]) or cuts or self.mentions(window)
                        or self.analyzer.frequency(window) >= _COMMON_WORD):
                    continue
                candidate = self._by_pinyin.get(self.analyzer.pinyin(window))
                if candidate and candidate != window:
                    fixes[window] = candidate
                    unknown[left:right] = [False] * size
        for name in self._names:
            # One character of a name off, same surname, rhyming (郭明琪 for 郭明錤).
            for left in range(len(normalized) - len(name) + 1):
                window = normalized[left:left + len(name)]
                wrong = [(a, b) for a, b in zip(window, name, strict=True) if a != b]
                if (len(wrong) == 1 and window[0] == name[0] and not self.mentions(window)
                        and self.analyzer.final(wrong[0][0]) == self.analyzer.final(wrong[0][1])):
                    fixes[window] = name
        for wrong, right in sorted(fixes.items(), key=lambda kv: -len(kv[0])):
            normalized = normalized.replace(wrong, right)
        return normalized, fixes

    # -- questions --------------------------------------------------------
    def _unglue(self, words: list[Word]) -> list[Word]:
        """门能 -> 门 + 能, 说造好 -> 说 + 造好: jieba sometimes glues a stop word to a
        report word, making a "word" the reports never use."""
        out: list[Word] = []
        for word in words:
            text = word.text
            if len(text) >= 2 and word.term and not self.mentions(text) and word.term not in self.bm25:
                for stop, rest, leading in ((text[0], text[1:], True), (text[-1], text[:-1], False)):
                    if self.analyzer.canonical(stop) or not self.analyzer.canonical(rest):
                        continue
                    if self.analyzer.canonical(rest) in self.bm25 or (len(rest) > 1 and self.knows(rest)):
                        pieces = [Word(stop, "", self.analyzer.tag(stop))]
                        rest_words = (self.analyzer.words(rest) if len(rest) > 1
                                      else [Word(rest, self.analyzer.canonical(rest), self.analyzer.tag(rest))])
                        out.extend([*pieces, *rest_words] if leading else [*rest_words, *pieces])
                        break
                else:
                    out.append(word)
                continue
            out.append(word)
        return out

    def analyze(self, question: str) -> Query:
        normalized = normalize(question)
        words = self._unglue(self.analyzer.words(normalized))
        normalized, fixes = self._correct(normalized, words)
        if fixes:
            words = self._unglue(self.analyzer.words(normalized))
        query = Query(question, normalized, words, [], corrections=fixes)
        query.missing.extend(self._models(normalized))
        query.missing.extend(self._ordinals(normalized))
        query.hard.extend(query.missing)
        alternatives = normalized.split("还是")
        for position, word in enumerate(words):
            if not word.term:
                continue
            if any(word.text in m for m in query.missing):
                continue
            tier = self.tier_of(word.text)
            if tier and not self.knows(word.text):
                # 传闻, 被传: the question asks what rumours say; their claims carry the label.
                label = self.analyzer.canonical(normalize(self.rules.sources.tier_labels.get(tier, "")))
                query.terms.extend([label] if label else [])
                query.focus.append(Focus(word.text, (), (), word.term, word.tag, False, "thing", tier))
                continue
            if self.knows(word.text):
                expanded = self.analyzer.expand_terms(word) + self._pieces(word.text)
                query.terms.extend(expanded)
                if self._is_cue(word.text):
                    query.cues.extend(expanded)
                elif not self.analyzer.is_number(word.text):
                    searchable = tuple(t for t in dict.fromkeys(expanded) if t in self.bm25)
                    if searchable or self.mentions(word.text):
                        generic = self.analyzer.frequency(word.text) >= GENERIC_FREQ
                        core = (word.term,) if word.term in self.bm25 else tuple(self._pieces(word.text))
                        query.focus.append(Focus(word.text, searchable, core, word.term, word.tag, generic,
                                                 self._role(word), tier))
                continue
            if len(word.text) > 1 and word.text in self._label_text:
                continue
            topics = self._unknown_topics(word)
            following = next((w for w in words[position + 1:] if w.term), None)
            for topic in topics:
                if topic in query.missing:
                    continue
                query.missing.append(topic)
                tag = word.tag if topic == word.text else self.analyzer.tag(topic)
                # 电池供应商: a missing word right before a topic the report has narrows it down.
                # (Not a lone character: 先 of 先register is a fragment jieba could not place.)
                modifies = (topic == word.text and len(topic) > 1 and following is not None and following.is_topic
                            and words[position + 1] is following and self.knows(following.text))
                if _PURE_LATIN.fullmatch(topic):
                    # (iphone15, p7: a model with digits is hard, found by _models.)
                    query.latin.append(topic)
                else:
                    (query.hard if self.is_hard_missing(topic, tag) or modifies else query.soft).append(topic)
            if (not topics and not self.analyzer.is_number(word.text) and not self._composed(word.text)
                    # 几栋 (a count) and 外面 (a direction) are asked of what the rest names.
                    and not word.tag.startswith(("m", "f"))):
                query.unmatched.append(word.text)
            query.terms.extend(t for t in self.analyzer.expand_terms(word) if t in self.bm25)
            if self._composed(word.text):
                query.terms.extend(t for t in (self.analyzer.canonical(c) for c in word.text) if t)
        if len(alternatives) > 1 and query.focus:
            # 是轿车还是suv: a choice is answerable when the report names one of the options.
            query.missing = [m for m in query.missing
                             if not any(m in part for part in alternatives)
                             or all(any(m in part for m in query.missing) for part in alternatives)]
            query.hard = [m for m in query.hard if m in query.missing]
            query.soft = [m for m in query.soft if m in query.missing]
            query.latin = [m for m in query.latin if m in query.missing]
        return query

    def search(self, question: str | Query, k: int = 3) -> list[Hit]:
        query = question if isinstance(question, Query) else self.analyze(question)
        hits = []
        for doc_index, score in self.bm25.top(query.terms, k):
            paragraph = self.paragraphs[doc_index]
            hits.append(Hit(self._documents[paragraph.doc_id], paragraph, score))
        return hits


def build_index(corpus: Corpus, rules: Rules | None = None) -> ReportIndex:
    return ReportIndex(corpus, rules)
