"""Trợ lý ảo: answers typed questions from the FAQ, or says plainly that it does not know.

Method: BM25 (Okapi, k1 = 1.6, b = 0.75) over folded word unigrams and bigrams, with the fields
weighted (question ×5, keywords ×3, answer ×1; the English question and answer are indexed too;
k1 and the weights chosen on the tuning set of tests/test_chatbot.py), after four normalisation
steps on the question:

1. Folding (services.text.fold): lower case, no diacritics, đ → d. Citizens often type without
   diacritics, and folding the FAQ the same way makes "quen mat khau" equal "Quên mật khẩu".
2. Telex leftovers: typed with the keyboard's Vietnamese input off, "mật khẩu" arrives as
   "maatj khaaur". No Vietnamese syllable ends in s, f, r, x, j or has "aa", "ee", "oo", "dd",
   "w", so an unknown word is read again without them.
3. Abbreviations and synonyms: chat shorthand ("mk", "sdt", "ko", "dc", "tk") and everyday words
   the FAQ does not use ("khôi phục" for "lấy lại", "nghỉ hưu" for "lương hưu") add the FAQ's words
   to the question.
4. Typos: a word that is not in the FAQ's vocabulary is replaced by the closest one (Damerau–
   Levenshtein distance 1, or 2 for words of 7+ letters), preferring one that forms a known
   two-word phrase with its neighbour ("mat khua" → "mat khau"), then the most frequent one; glued
   words are split ("matkhau" → "mat khau").

Why this and not character trigrams or embeddings: Vietnamese words are syllables of 1–7 letters
and the meaning sits in two-syllable compounds ("mật khẩu", "thất nghiệp", "thai sản"); trigrams of
such short words match nearly everything (and fold collisions make it worse), while bigrams of
whole syllables carry the compounds and BM25's IDF weighs down the words every question has
("làm", "thế", "nào"). Correction against the FAQ's own small, closed vocabulary fixes typos more
precisely than fuzzy n-gram overlap. It needs no model, no network and no shared state: the FAQ
rows are read on each question, and the index is rebuilt whenever their fingerprint (a digest of
every indexed field) differs from that of an index kept in the process, so an officer's edit
counts at once on every worker.

Knowing when it does not know: the best entry must cover at least half of the question's
information — the IDF-weighted share of the question's words (words unknown to the FAQ weigh the
most) found in that entry — and score above a floor. Otherwise the answer says so and offers the
hotline and the feedback form, with the closest entries as suggestions at most.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from webapp.services.text import fold

K1, B = 1.6, 0.75
FIELD_WEIGHTS = {
    "question_vi": 5,  # the folded question used to be added to the keywords (×2)
    "keywords": 3,
    "answer_vi": 1,
    "question_en": 2,
    "answer_en": 1,
}
BIGRAM_WEIGHT = 1.5  # a phrase found is worth more than its two words found apart
MIN_COVERAGE = 0.5
MIN_SCORE = 2.0
RELATED_SHARE = 0.6  # other entries shown as sources when they score this share of the best
MAX_SOURCES = 3
QUESTION_MAX_LENGTH = 500
# Each word of the question is looked up, and an unknown one compared with the FAQ's vocabulary:
# a question is read up to this many words, so its cost has a ceiling whatever is sent.
QUESTION_MAX_WORDS = 80

# Words that say nothing about the topic: pronouns, particles, question words. They count neither
# alone nor for coverage; "thẻ" (card) folds to "the" like "thế", so "the" stays a word.
STOPWORDS = frozenset(
    """toi minh em anh chi ban oi a ah nhe nha nhi xin vui long cho hoi giup voi thi la ma va
    hay hoac cua o tai de nao sao gi vay ha u nay do ve nhu lam phai can muon duoc co khong
    bi roi da dang se cac nhung mot i ai khi bao nhieu gom""".split()
)
# Particles and pronouns are dropped from phrases too; other stopwords still make phrases
# ("otp la gi", "khong nhan duoc"), whose IDF then says how telling they are.
PARTICLES = frozenset(
    "toi minh em anh chi ban oi a ah nhe nha nhi xin vui long giup vay ha u i".split()
)

ABBREVIATIONS = {
    "mk": "mat khau",
    "mkhau": "mat khau",
    "pass": "mat khau",
    "pw": "mat khau",
    "sdt": "so dien thoai",
    "dt": "dien thoai",
    "dthoai": "dien thoai",
    "tk": "tai khoan",
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "hok": "khong",
    "hong": "khong",
    "dc": "duoc",
    "dk": "dang ky",
    "j": "gi",
    "bh": "bao hiem",
    "cmt": "cmnd",
    "ntn": "nhu the nao",
    "app": "ung dung",
    "kcb": "kham chua benh",
    "cskcb": "kham chua benh",
    "bv": "benh vien",
    "sms": "tin nhan",
    "ki": "ky",
    "1": "mot",
    "2": "hai",
    "3": "ba",
    "5": "nam",
}
# Everyday phrasing → the FAQ's words (added to the question, never replacing it).
SYNONYMS = {
    "khoi phuc": "lay lai",
    "lay lai mat khau": "quen mat khau",
    "cap lai": "lay lai",
    "reset": "lay lai",
    "khong nho": "quen",
    "bao hiem xa hoi": "bhxh",
    "bao hiem y te": "bhyt",
    "bao hiem that nghiep": "bhtn",
    # the schemes' English names (the FAQ's English text uses their Vietnamese initials)
    "social insurance": "bhxh",
    "health insurance": "bhyt",
    "unemployment insurance": "bhtn",
    "text message": "tin nhan",
    "can cuoc cong dan": "cccd can cuoc",
    "chung minh nhan dan": "cmnd",
    "so dinh danh": "cccd",
    "sim": "so dien thoai",
    "nha mang": "so dien thoai",
    "nghi huu": "luong huu",
    "ve huu": "luong huu",
    "huu tri": "luong huu",
    "sinh con": "thai san",
    "mang thai": "thai san",
    "de con": "thai san",
    "mat viec": "that nghiep",
    "thoi viec": "that nghiep",
    "nghi viec": "that nghiep",
    "om": "om dau",
    "nghi om": "om dau",
    "khong ve": "khong nhan duoc",
    "chua ve": "khong nhan duoc",
    "chua nhan": "khong nhan duoc",
    "mat mang": "khong co mang",
    "offline": "khong co mang",
    "ngoai tuyen": "khong co mang",
    "mua dien thoai": "dien thoai moi",
    "may moi": "dien thoai moi",
    "thiet bi khac": "thiet bi moi",
    "the bao hiem": "the bhyt",
    "gan het han": "sap het han",
    "het han the": "the sap het han",
    "benh vien": "kham chua benh",
    "dang ky kham": "noi dang ky kham chua benh ban dau",
    "ban dau": "noi dang ky kham chua benh ban dau",
    "chua biet": "tra cuu tim",
    "khong biet": "tra cuu tim",
    "tim ma": "tra cuu ma so",
    "lua dao": "lua dao gia danh",
    "goi dien": "gia danh",
    "nhan vien": "can bo",
    "bo me": "nguoi than",
    "vo chong": "nguoi than",
    "con cai": "nguoi than",
    "ngan hang": "tai khoan ngan hang chi tra",
    "tien luong": "muc dong",
    "bi khoa": "khoa",
    "dang nhap khong duoc": "khoa",
    "rut": "mot lan",
    "tu choi": "bi tu choi",
    "mat khau manh": "mat khau an toan",
    "dinh ky": "bao lau",
    "tat thong bao": "bat thong bao",
    "thoat": "dang xuat",
    "so kham": "so kham chua benh",
    "chi duong": "ban do vi tri",
    "ket qua phan anh": "tra loi phan anh",
    # how long, when, where, who, as people ask it
    "may phut": "bao lau",
    "bao nhieu phut": "bao lau",
    "bao gio": "khi nao bao lau",
    "muc nao": "o dau xem",
    "ai da xem": "nhat ky truy cap du lieu",
    "ai da mo": "nhat ky truy cap du lieu",
    "ai xem": "nhat ky truy cap du lieu",
    # family and people close to the citizen
    "ba me": "nguoi than",
    "cha me": "nguoi than",
    "ong ba": "nguoi than",
    "nguoi nha": "nguoi than",
    "gia dinh": "nguoi than",
    # everyday verbs and things the FAQ names otherwise
    "doi so": "doi so dien thoai",
    "chuyen sang": "doi",
    "chuyen noi": "doi noi",
    "chup anh": "anh giay to",
    "tieng anh": "ngon ngu",
    "tieng viet": "ngon ngu",
    "co phai that": "kiem tra that",
    "that khong": "kiem tra that",
    "gia mao": "kiem tra that",
    # English everyday words for the FAQ's terms
    "medical visits": "so kham chua benh",
    "medical history": "so kham chua benh",
    "lost my phone": "dien thoai moi",
    "company": "don vi",
    "employer": "don vi",
    "someone else": "nguoi than",
    "family member": "nguoi than",
    "pension": "luong huu",
}
_TELEX_TONE = re.compile(r"(?<=[a-z])[sfrxj]$")
_TELEX_LETTERS = (("dd", "d"), ("aa", "a"), ("ee", "e"), ("oo", "o"), ("uow", "uo"), ("w", ""))
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Folded words of a text: "Quên mật khẩu?" → ["quen", "mat", "khau"]."""
    return _WORD.findall(fold(text))


def _terms(tokens: Sequence[str]) -> list[str]:
    """Unigrams of the topic words and bigrams of neighbouring words (particles dropped)."""
    unigrams = [t for t in tokens if t not in STOPWORDS]
    kept = [t for t in tokens if t not in PARTICLES]
    bigrams = [f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)]
    return unigrams + bigrams


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions),
    stopping early above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Document:
    entry_id: int
    lengths: float
    tf: dict[str, float]


@dataclass
class Index:
    """BM25 index of FAQ entries: build it with `Index.build(entries)`, query with `ask`."""

    documents: list[Document]
    df: Counter
    average_length: float
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    phrases: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(cls, entries: Iterable) -> Index:
        """`entries` are FaqEntry rows (or anything with the same attributes)."""
        documents, df = [], Counter()
        for entry in entries:
            tf: Counter = Counter()
            for attribute, weight in FIELD_WEIGHTS.items():
                for term in _terms(words(getattr(entry, attribute, None) or "")):
                    tf[term] += weight * (BIGRAM_WEIGHT if " " in term else 1)
            documents.append(Document(entry.id, sum(tf.values()), dict(tf)))
            df.update(tf.keys())
        average = sum(d.lengths for d in documents) / len(documents) if documents else 1.0
        vocabulary = frozenset(t for t in df if " " not in t) | frozenset(
            t for term in df if " " in term for t in term.split()
        )
        phrases = frozenset(t for t in df if " " in t)
        return cls(documents, df, average, vocabulary, phrases)

    def idf(self, term: str) -> float:
        n, df = len(self.documents), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    # --- the question ---------------------------------------------------------------------

    def _known(self, token: str) -> bool:
        return token in self.vocabulary or token in STOPWORDS or token in ABBREVIATIONS

    def _telex(self, token: str) -> str:
        plain = _TELEX_TONE.sub("", token) if len(token) > 2 else token
        for typed, letter in _TELEX_LETTERS:
            plain = plain.replace(typed, letter)
        return plain

    def _split(self, token: str) -> list[str] | None:
        """Glued words ("quenmatkhau") cut into the fewest FAQ words, each neighbouring pair of
        which is a known phrase."""
        best: dict[int, list[str]] = {0: []}
        for end in range(2, len(token) + 1):
            for start in range(max(0, end - 7), end - 1):
                head = best.get(start)
                piece = token[start:end]
                if head is None or piece not in self.vocabulary:
                    continue
                if head and f"{head[-1]} {piece}" not in self.phrases:
                    continue
                if end not in best or len(head) + 1 < len(best[end]):
                    best[end] = [*head, piece]
        pieces = best.get(len(token))
        return pieces if pieces and len(pieces) > 1 else None

    def _correct(self, token: str, before: str | None, after: str | None) -> list[str]:
        """An unknown word as the FAQ would spell it (see the module's docstring); unchanged
        when no spelling fits its neighbours."""
        if token.isdigit():
            return [token]
        telex = self._telex(token)
        if telex != token and self._known(telex):
            return [telex]
        if len(token) >= 5 and (pieces := self._split(token)):
            return pieces
        if len(token) < 4:
            return [token]
        limit = 1 if len(token) <= 6 else 2
        best: tuple | None = None
        for word in self.vocabulary:
            if not (before and f"{before} {word}" in self.phrases) and not (
                after and f"{word} {after}" in self.phrases
            ):
                continue  # a correction must make a phrase the FAQ has
            distance = _osa_distance(token, word, limit)
            if distance <= limit:
                rank = (distance, -self.df.get(word, 0), word)
                best = rank if best is None or rank < best else best
        return [best[-1]] if best else [token]

    def normalize(self, question: str) -> tuple[list[str], list[str]]:
        """The question's words as the FAQ spells them, and the FAQ's words for the everyday
        phrases found in it (they help find an entry but were not typed)."""
        raw = words(question[:QUESTION_MAX_LENGTH])[:QUESTION_MAX_WORDS]
        expanded: list[str] = []
        for token in raw:
            expanded.extend(ABBREVIATIONS.get(token, token).split())
        corrected: list[str] = []
        for i, token in enumerate(expanded):
            if self._known(token):
                corrected.append(token)
                continue
            before = corrected[-1] if corrected else None
            after = expanded[i + 1] if i + 1 < len(expanded) else None
            corrected.extend(self._correct(token, before, after))
        texts = (f" {' '.join(expanded)} ", f" {' '.join(corrected)} ")
        meanings = [m for phrase, m in SYNONYMS.items() if any(f" {phrase} " in t for t in texts)]
        return corrected, meanings

    # --- scoring ----------------------------------------------------------------------------

    def _bm25(self, terms: Sequence[str], document: Document) -> float:
        score = 0.0
        norm = K1 * (1 - B + B * document.lengths / self.average_length)
        for term in terms:
            tf = document.tf.get(term)
            if tf:
                score += self.idf(term) * tf * (K1 + 1) / (tf + norm)
        return score

    def coverage(self, tokens: Sequence[str], document: Document, meanings: Sequence[str]) -> float:
        """The IDF-weighted share of the question's topic words found in the entry (a word of an
        everyday phrase counts as found when the FAQ's words for it are); words the FAQ never
        uses weigh as much as the rarest word."""
        topic = [t for t in dict.fromkeys(tokens) if t not in STOPWORDS]
        if not topic:
            return 0.0
        explained: set[str] = set()
        for phrase, meaning in SYNONYMS.items():
            if meaning in meanings and any(m in document.tf for m in meaning.split()):
                explained.update(phrase.split())
        rarest = math.log(1 + (len(self.documents) + 0.5) / 0.5)
        total = found = 0.0
        for token in topic:
            weight = self.idf(token) if token in self.df else rarest
            total += weight
            if token in document.tf or token in explained:
                found += weight
        return found / total

    def ask(self, question: str) -> Reply:
        """The entries that answer `question`, best first, and whether the best one does."""
        asked, meanings = self.normalize(question)
        terms = _terms(asked) + [t for m in meanings for t in _terms(m.split())]
        scored = sorted(
            ((self._bm25(terms, d), d) for d in self.documents),
            key=lambda pair: (-pair[0], pair[1].entry_id),
        )
        scored = [(s, d) for s, d in scored if s > 0]
        if not scored:
            return Reply([], False, 0.0, 0.0)
        best_score, best = scored[0]
        covered = self.coverage(asked, best, meanings)
        confident = covered >= MIN_COVERAGE and best_score >= MIN_SCORE
        sources = [d.entry_id for s, d in scored[:MAX_SOURCES] if s >= RELATED_SHARE * best_score]
        return Reply(sources, confident, best_score, covered)


@dataclass(frozen=True)
class Reply:
    """The entries that answer (best first), and whether the best one can be given as the
    answer (`confident`); otherwise they are suggestions at most."""

    entry_ids: list[int]
    confident: bool
    score: float
    coverage: float


# Indexes built, by the fingerprint of the rows they were built from (see `index_for`).
_INDEXES: OrderedDict[bytes, Index] = OrderedDict()
_INDEXES_KEPT = 4
_INDEXES_LOCK = threading.Lock()


def fingerprint(entries: Sequence) -> bytes:
    """A digest of every indexed field of every entry, in order: any edit changes it."""
    digest = hashlib.blake2b(digest_size=16)
    for entry in entries:
        digest.update(str(entry.id).encode())
        for attribute in FIELD_WEIGHTS:
            digest.update(b"\x00" + (getattr(entry, attribute, None) or "").encode())
        digest.update(b"\x01")
    return digest.digest()


def index_for(entries: Sequence) -> Index:
    """The index of these entries. Building one costs tens of milliseconds; it is kept by the
    fingerprint of the rows just read, so an edited, added or hidden entry gives a new
    fingerprint and a new index at once: the cache can be reused, never stale."""
    key = fingerprint(entries)
    with _INDEXES_LOCK:
        index = _INDEXES.get(key)
        if index is not None:
            _INDEXES.move_to_end(key)
            return index
    index = Index.build(entries)
    with _INDEXES_LOCK:
        _INDEXES[key] = index
        while len(_INDEXES) > _INDEXES_KEPT:
            _INDEXES.popitem(last=False)
    return index


def answer(question: str, entries: Sequence) -> tuple[Reply, dict[int, object]]:
    """Ask the FAQ `entries` (the rows just read) a question; returns the reply and the entries
    by id."""
    entries = list(entries)
    return index_for(entries).ask(question), {e.id: e for e in entries}
