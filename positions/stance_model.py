"""Stance read by a fine-tuned cross-encoder: (party, role, term) and the sentence in, one of the seven stances out.

The encoder is all-MiniLM-L6-v2 (the embedding model, from its offline package) with its top layers fine-tuned and a
linear head, trained on labelled positions (`positions train-stance`). Only the changed weights are shipped
(positions/resources/stance_model.safetensors); the frozen lower layers come from the base package.
"""
from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .config import Party, StanceSettings, Topic
from .errors import ConfigError
from .models import STANCES

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "resources" / "stance_model.safetensors"
MAX_TOKENS = 128


@dataclass(frozen=True)
class StanceQuery:
    """One position to read: who holds it (name and role), on which term, in which sentence."""
    party: str
    role: str
    topic: str
    sentence: str


@dataclass(frozen=True)
class StanceCall:
    stance: str
    probability: float
    probabilities: tuple[float, ...] = ()  # one per models.STANCES; empty when the classifier gives only its pick


def voted_call(call: StanceCall, rules_stance: str | None, rules_weight: float) -> StanceCall:
    """The model's pick after the dependency rules' reading is added to its probabilities as a vote of
    `rules_weight` (a confident model keeps its stance, a hesitant one defers to the rules' stance word), with how
    sure it is: its share of the model's probabilities plus the vote."""
    if not call.probabilities:
        return call
    scores = np.asarray(call.probabilities, dtype=float)
    if rules_stance in STANCES and rules_weight > 0:
        scores[STANCES.index(rules_stance)] += rules_weight
    shares = scores / scores.sum()
    best = int(shares.argmax())
    return StanceCall(STANCES[best], float(shares[best]), tuple(float(v) for v in shares))


class StanceClassifier(Protocol):
    def classify(self, queries: Sequence[StanceQuery]) -> list[StanceCall]: ...


def position_query(party: Party, topic: Topic, sentence: str) -> StanceQuery:
    """A configured party's position on a configured topic (config.Party, config.Topic), as the pipeline and the
    training on evaluation labels both ask it: the same input at training and at reading time."""
    return StanceQuery(party.name, party.role, topic.name, sentence)


def stance_row_query(row: dict) -> StanceQuery:
    """A stance-sentence row (see stance_eval.load_stance_rows): the holder named by aliases, the topic free text."""
    return StanceQuery(row.get("holder") or row["holder_aliases"][0], row["holder_role"],
                       row.get("topic") or "the agreement", row["sentence"])


def pair_text(query: StanceQuery) -> tuple[str, str]:
    """The cross-encoder's two segments: who and on what, then the sentence itself."""
    return f"{query.party} ({query.role.replace('_', ' ')}) on {query.topic}", query.sentence


class StanceNetwork:
    """Encoder + mean pooling + linear head over the stances (torch imported on construction only)."""

    def __init__(self, base_path: str):
        import torch
        import transformers
        from transformers import AutoModel, AutoTokenizer

        transformers.utils.logging.disable_progress_bar()
        self.tokenizer = AutoTokenizer.from_pretrained(base_path)
        self.encoder = AutoModel.from_pretrained(base_path)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(STANCES))

    def modules(self):
        import torch

        return torch.nn.ModuleDict({"encoder": self.encoder, "head": self.head})

    def tokens(self, queries: Sequence[StanceQuery]):
        firsts, seconds = zip(*(pair_text(q) for q in queries))
        return self.tokenizer(list(firsts), list(seconds), padding=True, truncation=True, max_length=MAX_TOKENS,
                              return_tensors="pt")

    def logits(self, features, dropout=None):
        hidden = self.encoder(**features).last_hidden_state
        mask = features["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(dropout(pooled) if dropout is not None else pooled)


class LearnedStanceClassifier:
    """The shipped (or a retrained) stance model, loaded on first use."""

    def __init__(self, weights: str | Path = DEFAULT_WEIGHTS, base_model: str = StanceSettings.base_model,
                 batch_size: int = StanceSettings.batch_size, workers: int = 0):
        self.weights = Path(weights)
        if not self.weights.is_file():
            raise ConfigError(f"stance model weights not found: {self.weights} (train them with "
                              "`python -m positions train-stance`, or set stance.method=rules)")
        self.base_model = base_model
        self.batch_size = batch_size
        self.workers = workers or os.cpu_count() or 1
        self._network: StanceNetwork | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def network(self) -> StanceNetwork:
        with self._lock:
            if self._network is None:
                import torch

                torch.set_num_threads(1)  # parallel over batches instead (see classify)
                self._network = load_network(self.weights, self.base_model)
            return self._network

    def classify(self, queries: Sequence[StanceQuery]) -> list[StanceCall]:
        """Length-sorted batches (little padding), tokenised here and run by one single-threaded torch worker per
        core (as the embedder does: no OpenMP barriers between cores shared with spaCy and the encoder)."""
        queries = list(queries)
        if not queries:
            return []
        network = self.network
        order = np.argsort([-len(q.sentence) for q in queries], kind="stable")
        batches = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        features = [network.tokens([queries[i] for i in rows]) for rows in batches]  # the tokenizer is not thread-safe
        if len(batches) == 1 or self.workers == 1:
            probabilities = [self._forward(f) for f in features]
        else:
            probabilities = list(self._executor().map(self._forward, features))
        calls: list[StanceCall | None] = [None] * len(queries)
        for rows, batch in zip(batches, probabilities):
            for row, p in zip(rows, batch):
                best = int(p.argmax())
                calls[row] = StanceCall(STANCES[best], round(float(p[best]), 4), tuple(round(float(x), 4) for x in p))
        return calls

    def _forward(self, features) -> np.ndarray:
        import torch

        with torch.inference_mode():
            return torch.softmax(self.network.logits(features), -1).numpy()

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="stance")
            return self._pool


def load_network(weights: Path, base_model: str) -> StanceNetwork:
    """The base encoder with the fine-tuned tensors of `weights` laid over it."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from safetensors.torch import load_file

    from .embeddings import resolve_model_path

    metadata = read_metadata(weights)
    if tuple(metadata.get("stances", STANCES)) != tuple(STANCES):
        raise ConfigError(f"{weights}: trained for stances {metadata.get('stances')}, not {list(STANCES)}")
    try:
        tuned = load_file(str(weights))
    except Exception as exc:  # safetensors raises its own error types for a damaged or foreign file
        raise ConfigError(f"{weights}: not a stance model weights file ({exc})") from None
    network = StanceNetwork(resolve_model_path(base_model))
    state = {name: tensor.float() for name, tensor in tuned.items()}
    unknown = set(state) - set(network.modules().state_dict())
    if unknown:
        raise ConfigError(f"{weights}: tensors {sorted(unknown)[:3]} do not fit the base model {base_model}")
    network.modules().load_state_dict(state, strict=False)
    network.modules().eval()
    return network


def read_metadata(weights: Path) -> dict:
    """What the weights were trained on and how (written beside them by `train-stance`)."""
    path = Path(weights).with_suffix(".json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def make_stance_classifier(settings: StanceSettings, fake: bool = False) -> StanceClassifier | None:
    """The learned classifier, or None (the dependency rules decide) with stance.method=rules or a fake embedder."""
    if fake or settings.method == "rules" or os.environ.get("POSITIONS_FAKE_EMBEDDER") == "1":
        return None
    if settings.method != "model":
        raise ConfigError(f"stance.method {settings.method!r}; valid: model, rules")
    return LearnedStanceClassifier(settings.weights or DEFAULT_WEIGHTS, settings.base_model, settings.batch_size)
