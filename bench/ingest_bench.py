"""Sections 1 and 2: ingest against the pure encoder, re-ingest, and the encoder's GFLOP/s against a matmul."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .common import Clock, load_average, median
from .corpus import generate

FLOP_PER_TOKEN = 21e6  # MiniLM-L6 (22M parameters): ~2 x parameters per token, plus attention


@dataclass
class IngestData:
    """What later sections reuse: the sentences, their vectors and dates, and a filled store."""

    texts: list[str] = field(default_factory=list)
    vectors: np.ndarray | None = None
    dates: list[str] = field(default_factory=list)
    store_path: str = ""
    corpus: dict[str, Path] = field(default_factory=dict)
    pipeline_s: float = float("nan")
    pipeline_precomputed_s: float = float("nan")


class PrecomputedEmbedder:
    """Embedder that returns stored vectors for known texts (the peer gets the same precomputed embeddings)."""

    def __init__(self, texts, vectors, fallback):
        self._by_text = {t: v for t, v in zip(texts, vectors)}
        self._fallback = fallback
        self.name, self.dim = fallback.name, vectors.shape[1]

    def embed(self, texts):
        texts = list(texts)
        missing = [t for t in texts if t not in self._by_text]
        if missing:
            for t, v in zip(missing, self._fallback.embed(missing)):
                self._by_text[t] = v
        return np.asarray([self._by_text[t] for t in texts], dtype=np.float32).reshape(len(texts), self.dim)


def _ingest_all(corpus: dict[str, Path], db: Path, settings, embedder) -> tuple[int, object]:
    from positions.config import load_negotiation
    from positions.pipeline import ingest, load_analyser
    from positions.store import Store

    store = Store(db).init()
    sentences = 0
    for negotiation, folder in corpus.items():
        analyser = load_analyser(load_negotiation(negotiation), settings, embedder)
        report = ingest([str(folder)], store, analyser)
        if report.failed:
            raise RuntimeError(f"ingest failures: {report.failed[:3]}")
        sentences += report.sentences
    return sentences, store


def _corpus_sentences(corpus: dict[str, Path], settings) -> tuple[list[str], list[str]]:
    """The sentence texts of the corpus in ingest order, and each one's publication date (ISO)."""
    from positions.readers import iter_documents
    from positions.sentences import split_sentences

    texts, dates = [], []
    for folder in corpus.values():
        for _, doc in iter_documents([str(folder)], settings.reader):
            if isinstance(doc, Exception):
                raise RuntimeError(f"generated corpus unreadable: {doc}")
            for sentence in split_sentences(doc.text, settings.sentences):
                texts.append(sentence.text)
                dates.append(doc.published.isoformat() if doc.published else "")
    return texts, dates


def run(quick: bool, work: Path, log) -> tuple[dict, IngestData]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch

    from positions.config import Settings
    from positions.embeddings import SentenceTransformerEmbedder
    from positions.pipeline import load_spacy

    target = 1200 if quick else 5300
    reps = 3
    corpus = generate(work / "corpus", target)
    settings = Settings()
    embedder = SentenceTransformerEmbedder(settings.embedding)
    model = embedder.model
    load_spacy(settings.pipeline.spacy_model)
    embedder.embed(["warm-up sentence for the encoder"])

    # the sentences the pipeline embeds, in its order (documents as read, then split as the pipeline splits them)
    texts, dates = _corpus_sentences(corpus, settings)
    data = IngestData(texts=texts, dates=dates, corpus=corpus)
    # warm-up: a small ingest (a few documents of each negotiation) loads spaCy's and the topics' lazy parts
    warm_corpus = {}
    for negotiation, folder in corpus.items():
        sub = work / "warmup-corpus" / Path(negotiation).name
        sub.mkdir(parents=True, exist_ok=True)
        for md in sorted(folder.glob("*.md"))[:4]:
            (sub / md.name).write_text(md.read_text(encoding="utf-8"), encoding="utf-8")
        warm_corpus[negotiation] = sub
    with Clock() as warm:
        _ingest_all(warm_corpus, work / "warmup.db", settings, embedder)[1].close()
    log(f"  corpus: {len(corpus)} negotiations, {len(texts)} sentences (warm-up ingest {warm.wall:.1f} s)")

    batch, threads = settings.embedding.batch_size, embedder.workers

    def pure_encoder():
        """SentenceTransformer.encode as its users call it: torch's own threads, as many as the pipeline uses."""
        before = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            return model.encode(texts, batch_size=batch, convert_to_numpy=True, normalize_embeddings=True,
                                show_progress_bar=False)
        finally:
            torch.set_num_threads(before)

    encoder, ours, pipeline, reingest, cpu_enc, cpu_pipe, pairs, own_pairs = [], [], [], [], [], [], [], []
    for rep in range(reps):  # interleaved, so that a busy spell of the machine hits both sides of a ratio
        with Clock() as enc:
            vectors = pure_encoder()
        with Clock() as own:
            embedder.embed(texts)
        with Clock() as pipe:
            sentences, store = _ingest_all(corpus, work / f"ingest-{rep}.db", settings, embedder)
        with Clock() as again:
            _, store = _ingest_all(corpus, work / f"ingest-{rep}.db", settings, embedder)
        counts = store.counts()
        store.close()
        assert counts["sentences"] == sentences, "re-ingest changed the store"
        assert sentences == len(texts), f"the pipeline stored {sentences} sentences, the corpus splits into {len(texts)}"
        if rep == 0:
            data.store_path = str(work / f"ingest-{rep}.db")
        encoder.append(len(texts) / enc.wall)
        ours.append(len(texts) / own.wall)
        pipeline.append(sentences / pipe.wall)
        reingest.append(pipe.wall / again.wall)
        cpu_enc.append(enc.cpu)
        cpu_pipe.append(pipe.cpu)
        pairs.append(pipeline[-1] / encoder[-1])
        own_pairs.append(pipeline[-1] / ours[-1])
        log(f"  rep {rep + 1}: encoder {encoder[-1]:.1f}/s, our embedder {ours[-1]:.1f}/s, pipeline "
            f"{pipeline[-1]:.1f}/s (ratio {pairs[-1]:.2f}), re-ingest {again.wall * 1000:.0f} ms, "
            f"load {load_average()[0]:.1f}")
    data.vectors = np.asarray(vectors, dtype=np.float32)
    data.pipeline_s = len(texts) / median(pipeline)

    # the same ingest with the vectors given (what BERTopic is handed): ours without the encoder
    pre = PrecomputedEmbedder(texts, data.vectors, embedder)
    precomputed = []
    for rep in range(reps):
        with Clock() as c:
            _ingest_all(corpus, work / f"pre-{rep}.db", settings, pre)[1].close()
        precomputed.append(c.wall)
    data.pipeline_precomputed_s = median(precomputed)

    # section 2: the encoder's useful GFLOP/s (real tokens, no padding) against a plain fp32 matmul
    tokenizer = model.tokenizer
    max_len = model.max_seq_length
    tokens = sum(len(ids) for ids in tokenizer(texts, truncation=True, max_length=max_len)["input_ids"])
    encoder_gflops = median(encoder) * (tokens / len(texts)) * FLOP_PER_TOKEN / 1e9
    matmul = _matmul_gflops(torch, threads)
    result = {
        "sentences": len(texts),
        "negotiations": len(corpus),
        "documents": int(sum(len(list(p.glob("*.md"))) for p in corpus.values())),
        "repeats": reps,
        "batch_size": batch,
        "torch_threads": threads,
        "encoder_sentences_per_s": median(encoder),
        "pipeline_sentences_per_s": median(pipeline),
        "ratio_pipeline_to_encoder": median(pairs),
        "ratio_of_medians": median(pipeline) / median(encoder),
        "our_embedder_sentences_per_s": median(ours),
        "ratio_pipeline_to_our_embedder": median(own_pairs),
        "cpu_s_encoder": median(cpu_enc),
        "cpu_s_pipeline": median(cpu_pipe),
        "ratio_cpu_encoder_to_pipeline": median(cpu_enc) / median(cpu_pipe),
        "reingest_speedup": median(reingest),
        "pipeline_precomputed_embeddings_s": data.pipeline_precomputed_s,
        "per_rep": {"encoder": encoder, "our_embedder": ours, "pipeline": pipeline, "ratio": pairs, "reingest_speedup": reingest},
        "encoder": {
            "tokens": tokens,
            "tokens_per_sentence": tokens / len(texts),
            "flop_per_token": FLOP_PER_TOKEN,
            "encoder_gflops": encoder_gflops,
            "our_embedder_gflops": median(ours) * (tokens / len(texts)) * FLOP_PER_TOKEN / 1e9,
            "matmul_gflops": matmul,
            "ratio_encoder_to_matmul": encoder_gflops / matmul["torch_fp32"],
        },
    }
    return result, data


def _matmul_gflops(torch, threads: int) -> dict:
    """fp32 GEMM throughput (torch with the encoder's threads, and numpy), median of repeats."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return _matmuls(torch)
    finally:
        torch.set_num_threads(before)


def _matmuls(torch) -> dict:
    out = {}
    n = 2048
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        a @ b
    runs = []
    for _ in range(7):
        with Clock() as c:
            a @ b
        runs.append(2 * n**3 / c.wall / 1e9)
    out["torch_fp32"] = median(runs)
    x, y = a.numpy(), b.numpy()
    x @ y
    runs = []
    for _ in range(5):
        with Clock() as c:
            x @ y
        runs.append(2 * n**3 / c.wall / 1e9)
    out["numpy_fp32"] = median(runs)
    # the shapes the encoder multiplies: (batch x tokens) x 384 by 384 x 1536
    m = 64 * 40
    a, b = torch.randn(m, 384), torch.randn(384, 1536)
    a @ b
    runs = []
    for _ in range(20):
        with Clock() as c:
            a @ b
        runs.append(2 * m * 384 * 1536 / c.wall / 1e9)
    out["torch_fp32_encoder_shape"] = median(runs)
    return out


def tempdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="positions-bench-"))
