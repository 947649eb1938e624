"""Where ingest time goes beyond the encoder: cProfile of one ingest (the main thread: reading, analysis, store),
with the encoder's own time (the embed-ahead thread) measured apart.

    python -m bench.profile_ingest CORPUS_DIR NEGOTIATION_DIR [TOP]

Prints wall time, the encoder's wall time inside it, the main thread's cumulative time per pipeline stage and
the TOP (default 25) functions by own time.
"""
from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

STAGES = ("iter_documents", "ingest_documents", "analyse", "embed_documents", "split_sentences", "scores",
          "contextual_vectors", "find", "pipe", "_positions", "document_prior", "keyword_hits", "assign_statement",
          "extract_quantities", "resolve_stated_date", "find_holder", "mention_tokens", "classify_stance",
          "_store_batch", "add_document", "result")


def main() -> None:
    corpus, negotiation_dir = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    from positions.config import Settings, load_negotiation
    from positions.embeddings import SentenceTransformerEmbedder
    from positions.pipeline import ingest, load_analyser, load_spacy
    from positions.store import Store

    settings = Settings()
    embedder = SentenceTransformerEmbedder(settings.embedding)
    embedder.embed(["warm-up sentence for the encoder"])
    load_spacy(settings.pipeline.spacy_model)
    encoding = []
    embed = embedder.embed

    def timed_embed(texts):
        started = time.perf_counter()
        try:
            return embed(texts)
        finally:
            encoding.append((len(texts), time.perf_counter() - started))

    embedder.embed = timed_embed
    store = Store(Path(tempfile.mkdtemp(prefix="positions-profile-")) / "profile.db").init()
    analyser = load_analyser(load_negotiation(negotiation_dir), settings, embedder)
    profile = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    profile.enable()
    report = ingest([corpus], store, analyser)
    profile.disable()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    texts, enc_s = sum(n for n, _ in encoding), sum(s for _, s in encoding)
    print(f"ingest: {report.sentences} sentences, {report.added} documents, wall {wall:.1f} s, process CPU {cpu:.1f} s, "
          f"{report.sentences / wall:.1f} sentences/s")
    print(f"encoder (embed-ahead thread + topic prototypes): {texts} texts, {enc_s:.1f} s wall "
          f"({enc_s / wall:.0%} of the ingest's wall; it overlaps the main thread)")
    stats = pstats.Stats(profile)
    total = sum(v[3] for k, v in stats.stats.items() if k[2] == "ingest") or wall
    print(f"\nmain thread, cumulative seconds per stage (share of the ingest's {total:.1f} s):")
    for name in STAGES:
        hits = [(k, v) for k, v in stats.stats.items() if k[2] == name and "positions" in k[0] or
                (k[2] == name and name in ("pipe", "result", "find"))]
        for (file, line, func), (cc, nc, tt, ct, _) in sorted(hits, key=lambda kv: -kv[1][3])[:2]:
            if ct >= 0.01 * total:
                print(f"  {ct:7.2f} s  {ct / total:5.1%}  {nc:8d} calls  {func}  ({Path(file).name}:{line})")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    print("\nmain thread, top functions by own time:")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-6000:])


if __name__ == "__main__":
    main()
