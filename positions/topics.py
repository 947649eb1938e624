"""Which term(s) of the deal a sentence is about: similarity to topic prototypes plus keywords."""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .config import Topic, TopicSettings
from .embeddings import Embedder, normalise_rows
from .lexicon import SETTING_VERBS
from .models import TopicMatch


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern | None:
    """One case-insensitive pattern for a topic's keywords; hyphen/space variants, plurals and verb forms match,
    and the small words inside a phrase may be left out ("halt to the fighting" matches "halted the fighting")."""
    parts = []
    for keyword in keywords:
        words = [w for w in re.split(r"[-\s]+", keyword.strip()) if w]
        if not words:
            continue
        *head, last = words
        body = "".join(_head_word(w, first=n == 0) for n, w in enumerate(head)) + _inflected(last)
        parts.append(body)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


_SMALL_WORDS = frozenset("a an the to of".split())


def _head_word(word: str, first: bool) -> str:
    """A word before a phrase's last one, with its separator: inflected, or optional when a small word."""
    if not first and word.lower() in _SMALL_WORDS:
        return "(?:" + re.escape(word) + r"[-\s]+)?"
    return _inflected(word) + r"[-\s]?"


_NAMES_THE_TALKS = re.compile(r"[-\s]+(?:deal|deals|agreement|agreements|talks|negotiations|negotiators|accord)\b",
                              re.IGNORECASE)


# "the proposal", "their offer", "the union's demands": the deal as a whole, not one of its terms
_NAMES_THE_DEAL = re.compile(r"\b(?:deal|proposal|offer|plan|agreement|draft|framework|package|counterproposal|"
                             r"counteroffer|demands|terms|response|reply|answer)s?\b", re.IGNORECASE)


def _inflected(word: str) -> str:
    """A keyword word with its plural and, for lower-case words, verb endings: "backtracked" also matches
    "backtrack" and "backtracking", "enforce" matches "enforcing"; names and acronyms match as written."""
    if not word.isalpha() or not word.islower() or len(word) < 3:
        return re.escape(word) + r"(?:s|es)?"
    if word.endswith("ed") and len(word) > 5:
        word = word[:-2]
    stem = word[:-1] if word.endswith("e") else word
    return "(?:" + re.escape(word) + r"(?:s|es|d|ed)?|" + re.escape(stem) + "ing)"


# The negotiation process, not a term of the deal: who meets whom, who mediates or takes part, how the talks are
# going, legal steps about the bargaining, and events on the ground. Negotiation-independent; a statement closer to these than to every
# topic, naming no term, states no position ("looked forward to constructive talks", "would not take part").
PROCESS_PROTOTYPES = (
    "The two sides will meet again next week to continue the talks.",
    "The delegation arrived for a new round of negotiations with the mediators.",
    "The company said it looked forward to constructive talks with the other side.",
    "A spokesman said the president would not take part in the negotiations.",
    "The group filed legal charges accusing the other side of refusing to bargain in good faith.",
    "Officials said they had not asked for outside help and did not want anyone else at the table.",
    "The spokesman declined to comment on the state of the negotiations.",
    "The talks were described as productive, and the negotiators will report back to their leaders.",
    "The official denied reports about the talks, calling them inaccurate.",
    # what happened on the ground, not what a side holds: attacks, casualty counts, personnel changes
    "Airstrikes killed dozens of people overnight, according to the health ministry.",
    "The military said its forces had struck targets and fired rockets across the border.",
    "More than a thousand people have been killed since the fighting began.",
    "The defense minister was dismissed and replaced by a longtime loyalist.",
)


# A clause that only sets a condition or a time for what is said: "if the group frees captives", "once they are
# freed", "as long as they are held". A term named there is not what the holder states a position on.
_SUBORDINATORS = frozenset("if once as when whenever after before while".split())
# Where and when a party spoke, not what it said: "said in a meeting with ...", "said on Monday at ...".
_SETTING_PREPOSITIONS = frozenset("in at on during from after before with outside inside near".split())
_ADDRESSEE_VERBS = frozenset("tell inform brief address".split())  # "told a meeting of ..." names the audience


def in_background(doc, token_index: int, anchor: int | None, speech_verbs: frozenset[str] = frozenset()) -> bool:
    """Whether a word of the parsed sentence sits outside what the holder states (the holder's verb: `anchor`):
    in a conditional or time clause ("would consider a pause if the group freed captives"), or, under a speech verb,
    in the setting of the speech rather than its content ("said in a meeting with the families of ...",
    "told a meeting of ...", "speaking at a news conference ...")."""
    if anchor is None:
        return False
    token = doc[token_index]
    for _ in range(24):
        if token.i == anchor:
            return False
        head = token.head
        if head.i == token.i:
            return False  # the anchor is not above the word: no judgement
        if token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in token.children):
            return True
        if head.i == anchor and head.lemma_.lower() in speech_verbs and _is_setting(token, head, speech_verbs):
            return True
        token = head
    return False


_ENABLING_VERBS = frozenset("allow let enable permit".split())


def is_means(doc, token_index: int) -> bool:
    """Whether a word is in the subject of an enabling verb ("the truce would allow trucks of aid to enter"): that
    term is the means, the statement is about what it allows."""
    token = doc[token_index]
    for _ in range(8):
        if token.dep_ in ("nsubj", "nsubjpass"):
            return token.head.lemma_.lower() in _ENABLING_VERBS
        if token.head.i == token.i or token.dep_ not in ("compound", "amod", "pobj", "prep", "det", "nmod", "appos"):
            return False
        token = token.head
    return False


def _is_setting(token, verb, speech_verbs: frozenset[str]) -> bool:
    """A dependent of a speech verb that tells where, when or to whom it was said."""
    if token.dep_ == "prep":
        return token.lower_ in _SETTING_PREPOSITIONS
    if token.dep_ == "npadvmod":
        return True
    if token.dep_ in ("dobj", "dative"):
        return verb.lemma_.lower() in _ADDRESSEE_VERBS
    if token.dep_ == "advcl":  # "speaking at a news conference", not "adding that ..." nor "though he ..."
        return token.lemma_.lower() in SETTING_VERBS
    return False


def prototype_texts(topic: Topic) -> list[str]:
    """Texts whose embeddings stand for a topic: its description, its examples and its keywords."""
    texts = [f"{topic.name}: {topic.description}", *topic.examples]
    if topic.keywords:
        texts.append(f"{topic.name}: " + ", ".join(topic.keywords))
    return texts


def contextual_vectors(vectors: np.ndarray, paragraphs: Sequence[int], weight: float) -> np.ndarray:
    """Each sentence vector plus `weight` x its neighbours in the same paragraph, re-normalised."""
    if len(vectors) == 0 or weight <= 0:
        return vectors
    out = vectors.copy()
    paragraphs = np.asarray(paragraphs)
    same_prev = np.zeros(len(vectors), bool)
    same_prev[1:] = paragraphs[1:] == paragraphs[:-1]
    out[1:][same_prev[1:]] += weight * vectors[:-1][same_prev[1:]]
    same_next = np.zeros(len(vectors), bool)
    same_next[:-1] = same_prev[1:]
    out[:-1][same_next[:-1]] += weight * vectors[1:][same_next[:-1]]
    return normalise_rows(out)


class TopicModel:
    """Scores sentences against the configured topics and picks at most a few per sentence."""

    def __init__(self, topics: Sequence[Topic], embedder: Embedder, settings: TopicSettings | None = None):
        self.topics = tuple(topics)
        self.settings = settings or TopicSettings()
        self._patterns = [keyword_pattern(t.keywords) for t in self.topics]
        self._pattern_of = {t.id: pattern for t, pattern in zip(self.topics, self._patterns)}
        texts, owners = [], []
        for number, topic in enumerate(self.topics):
            for text in prototype_texts(topic):
                texts.append(text)
                owners.append(number)
        # one batch: the topics' prototypes, then the built-in process prototypes
        embedded = embedder.embed(texts + list(PROCESS_PROTOTYPES)) if texts else np.zeros((0, 0), np.float32)
        self._prototypes, self._process = embedded[:len(texts)], embedded[len(texts):]
        self._owners = np.asarray(owners)

    def process_similarity(self, vectors: np.ndarray) -> np.ndarray:
        """(n_sentences,): best cosine between each sentence and the built-in process prototypes."""
        if len(vectors) == 0 or not len(self._process):
            return np.full(len(vectors), -1.0, np.float32)
        return (vectors @ self._process.T).max(axis=1)

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """(n_sentences, n_topics): best cosine between each sentence and each topic's prototypes."""
        if len(vectors) == 0 or not self.topics:
            return np.zeros((len(vectors), len(self.topics)), np.float32)
        sims = vectors @ self._prototypes.T
        out = np.full((len(vectors), len(self.topics)), -1.0, np.float32)
        for number in range(len(self.topics)):
            out[:, number] = sims[:, self._owners == number].max(axis=1)
        return out

    def keyword_spans(self, text: str, topic_id: str) -> list[tuple[int, int]]:
        """Character spans of the topic's keywords in the text."""
        pattern = self._pattern_of[topic_id]
        return [m.span() for m in pattern.finditer(text)] if pattern else []

    def names(self, topic_id: str, text: str) -> bool:
        """Whether the text names one of the topic's keywords."""
        pattern = self._pattern_of[topic_id]
        return bool(pattern and pattern.search(text))

    @staticmethod
    def names_the_deal(text: str) -> bool:
        """Whether the text speaks of the deal as a whole: "the proposal", "the offer", "their demands"."""
        return bool(_NAMES_THE_DEAL.search(text))

    def foreground_terms(self, doc, anchor: int | None, named: np.ndarray,
                         speech_verbs: frozenset[str] = frozenset()) -> np.ndarray:
        """`named` (terms_named of the sentence) without the terms whose keywords all sit in the background of the
        holder's statement (in_background): a condition, a time clause, where or to whom it was said."""
        out = np.asarray(named, dtype=bool).copy()
        if anchor is None:
            return out
        means: list[int] = []  # terms that are only the subject of an enabling verb
        for number, topic in enumerate(self.topics):
            if not out[number]:
                continue
            roots = []
            for start, end in self.keyword_spans(doc.text, topic.id):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    roots.append(span.root.i)
            if roots and all(in_background(doc, i, anchor, speech_verbs) for i in roots):
                out[number] = False
            elif roots and all(is_means(doc, i) for i in roots):
                means.append(number)
        if means and any(out[n] for n in range(len(out)) if n not in means):
            out[means] = False  # "the pause would allow more aid in": a statement on the aid
        return out

    def keyword_hits(self, text: str) -> np.ndarray:
        return np.array([bool(p and p.search(text)) for p in self._patterns], dtype=bool)

    def terms_named(self, text: str) -> np.ndarray:
        """Keyword hits that name a term, not the negotiation: "a hostage deal", "the trade talks" name the talks
        (a keyword right before deal, talks, agreement ... is not counted)."""
        return np.array([bool(p and any(not _NAMES_THE_TALKS.match(text, m.end()) for m in p.finditer(text)))
                         for p in self._patterns], dtype=bool)

    def keyword_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """(n_texts, n_topics): whether each text names one of each topic's keywords."""
        if not len(texts):
            return np.zeros((0, len(self.topics)), dtype=bool)
        return np.vstack([self.keyword_hits(t) for t in texts])

    def scores(self, vectors: np.ndarray, texts: Sequence[str], hits: np.ndarray | None = None) -> np.ndarray:
        """Similarities plus the keyword bonus; `hits`: keyword_matrix(texts) when the caller has it already."""
        sims = self.similarities(vectors)
        if len(texts):
            hits = self.keyword_matrix(texts) if hits is None else hits
            sims = sims + self.settings.keyword_bonus * hits
        return sims

    def assign(self, score_row: np.ndarray, keyword_row: np.ndarray | None = None) -> list[TopicMatch]:
        """Topics above the threshold: the best, plus others within the margin, at most max_topics_per_sentence.

        `keyword_row` (keyword hits in the sentence itself): a second topic must be named, not only be near."""
        if score_row.size == 0:
            return []
        order = np.argsort(-score_row, kind="stable")
        best = float(score_row[order[0]])
        if best < self.settings.similarity_threshold:
            return []
        chosen = []
        for number in order[: self.settings.max_topics_per_sentence]:
            score = float(score_row[number])
            if score < self.settings.similarity_threshold or best - score > self.settings.second_topic_margin:
                continue
            if chosen and keyword_row is not None and self.settings.second_topic_needs_keyword \
                    and self._patterns[number] is not None and not keyword_row[number]:
                continue
            chosen.append(TopicMatch(self.topics[number].id, score))
        return chosen

    def assign_statement(self, score_row: np.ndarray, keyword_row: np.ndarray | None = None,
                         prior: np.ndarray | None = None, about_deal: bool = False,
                         process: float | None = None) -> list[TopicMatch]:
        """For a sentence known to state a party's position: the topics above the threshold, else the best
        topic if it clears the lower statement threshold ("the group rejected the proposal").

        `prior` (the article's topic weights, see document_prior): added to the fallback's scores, so an
        unspecific statement goes to what the article is about. `about_deal` (names_the_deal): a statement
        on the deal as a whole that names no term goes to the headline term (the first topic configured).
        `process` (process_similarity): a statement naming no term that is closer to the negotiation process than
        to every topic states no position."""
        if process is not None and score_row.size and (keyword_row is None or not keyword_row.any()) \
                and process > float(score_row.max()) + self.settings.process_margin:
            return []
        chosen = self.assign(score_row, keyword_row)
        if chosen or score_row.size == 0:
            return chosen
        headline = np.zeros(len(score_row), np.float32)
        if about_deal and (keyword_row is None or not keyword_row.any()):
            headline[0] = self.settings.headline_weight
        eligible = (score_row >= self.settings.statement_threshold) | (headline > 0)
        if not eligible.any():
            return []
        weighted = score_row + headline
        if prior is not None:
            weighted = weighted + self.settings.document_prior_weight * prior
        best = int(np.argmax(np.where(eligible, weighted, -np.inf)))  # the prior breaks ties among eligible ones
        return [TopicMatch(self.topics[best].id, float(score_row[best]))]

    def document_prior(self, hits: np.ndarray) -> np.ndarray:
        """Per topic, the share of an article's sentences naming one of its keywords (`hits`: its
        keyword_matrix), scaled so the top is 1."""
        if not len(hits) or not self.topics:
            return np.zeros(len(self.topics), np.float32)
        counts = hits.sum(axis=0).astype(np.float32)
        return counts / counts.max() if counts.max() > 0 else counts
