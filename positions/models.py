"""The nouns of positions as frozen dataclasses."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

STANCES = ("demand", "propose", "accept", "reject", "support", "oppose", "report")
ATTRIBUTIONS = (
    "direct_quote",  # "...," X said / X said: "..."
    "said_subject",  # X said / rejected / demanded ... (subject of a speech or stance verb)
    "according_to",  # ..., according to X
    "anonymous_official",  # an Israeli official who spoke on condition of anonymity
    "possessive",  # X's opposition to ..., the X statement
    "carried_over",  # he said / the group said -> last named holder in the paragraph
    "subject",  # X (plain subject of the clause, no speech verb)
    "relative_clause",  # ..., a demand X has refused (a second party's position in another party's sentence)
    "joint_subject",  # X and Y agreed ... (a second party sharing the holder's subject)
)
DATE_PRECISIONS = ("day", "week", "month", "year", "published")


@dataclass(frozen=True)
class Document:
    """One article. `text` is normalised: paragraphs separated by a blank line."""

    text: str
    title: str | None = None
    source: str | None = None
    published: dt.date | None = None
    origin: str | None = None  # file path or URL it was read from
    warnings: tuple[str, ...] = ()

    @property
    def doc_id(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Identity of a document: hash of its whitespace-normalised text."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Sentence:
    """A sentence with its character offsets in Document.text."""

    text: str
    start: int
    end: int
    index: int  # position in the document, 0-based
    paragraph: int  # paragraph number, 0-based
    is_headline: bool = False


@dataclass(frozen=True)
class Quantity:
    """A number tied to a noun: 700 prisoners, 6 weeks, 1000000 civilians."""

    value: float
    unit: str  # counted noun, lower case, plural ("prisoners", "weeks", "percent", "dollars")
    text: str  # the surface text, e.g. "six-week"
    qualifier: str | None = None  # "more than", "about", "up to", "at least", "range_low", "range_high"
    start: int = 0  # offsets inside the sentence
    end: int = 0

    def as_dict(self) -> dict:
        value = int(self.value) if float(self.value).is_integer() else self.value
        return {"value": value, "unit": self.unit, "text": self.text, "qualifier": self.qualifier}


@dataclass(frozen=True)
class StatedDate:
    """When a position was stated, and how precisely we know it."""

    date: dt.date | None
    precision: str  # one of DATE_PRECISIONS
    text: str | None = None  # the expression it was resolved from


@dataclass(frozen=True)
class Holder:
    """The party holding the position in a sentence, and how it was found."""

    party: str | None
    attribution: str | None = None  # one of ATTRIBUTIONS
    speaker: str | None = None  # surface text of the speaker ("Mr. Blinken")
    relayed_by: str | None = None  # mediator party that relayed it
    confidence: float = 0.0


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    score: float


@dataclass(frozen=True)
class Position:
    """One row: a sentence's position on one topic (or a sentence with no position)."""

    sentence_index: int
    party: str | None
    topic: str | None
    stance: str | None
    numbers: tuple[Quantity, ...] = ()
    date: dt.date | None = None
    date_precision: str = "published"
    attribution: str | None = None
    speaker: str | None = None
    relayed_by: str | None = None
    confidence: float = 0.0
    topic_score: float = 0.0
    # how sure the stance is: the stance model's share for it (after the rules' vote), 1.0 where the rules settle it,
    # None where no model read it (stance.method=rules, a second party's relative clause)
    stance_probability: float | None = None


@dataclass(frozen=True)
class SearchHit:
    sentence_id: int
    score: float


@dataclass(frozen=True)
class AnalysedDocument:
    """A document with its sentences, positions and one embedding row per sentence."""

    document: Document
    sentences: tuple[Sentence, ...]
    positions: tuple[Position, ...]
    embeddings: object = field(repr=False, default=None)  # np.ndarray (n_sentences, dim) float32
