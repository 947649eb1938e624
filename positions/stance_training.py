"""`positions train-stance`: fine-tune the stance cross-encoder on labelled positions.

Two kinds of labelled rows are read: stance sentences (data/stance_sentences/*.jsonl, the holder named by aliases
and role) and evaluation labels of a negotiation (data/eval/<name>/dev.jsonl with its config). Both become
(StanceQuery, stance) examples. Training is seeded and runs on CPU in minutes.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Callable, Sequence

from .config import Negotiation, TrainingSettings
from .models import STANCES
from .stance_model import StanceNetwork, StanceQuery, position_query, stance_row_query


def examples_from_stance_rows(rows: Sequence[dict]) -> list[tuple[StanceQuery, str]]:
    """Stance-sentence rows (see stance_eval.load_stance_rows) as training examples."""
    return [(stance_row_query(row), row["stance"]) for row in rows]


def examples_from_labels(labels: Sequence[dict], negotiation: Negotiation) -> list[tuple[StanceQuery, str]]:
    """Positions of an evaluation label file (rows with holder, topic and stance) as training examples."""
    parties = {p.id: p for p in negotiation.parties}
    topics = {t.id: t for t in negotiation.topics}
    examples = []
    for row in labels:
        if row.get("holder") in parties and row.get("topic") in topics and row.get("stance") in STANCES:
            examples.append((position_query(parties[row["holder"]], topics[row["topic"]], row["sentence"]),
                             row["stance"]))
    return examples


def train_network(examples: Sequence[tuple[StanceQuery, str]], base_path: str,
                  settings: TrainingSettings = TrainingSettings(),
                  progress: Callable[[str], None] = print) -> StanceNetwork:
    """Fine-tune the top encoder layers and the head; returns the network in eval mode."""
    import torch

    torch.manual_seed(settings.seed)
    shuffler = random.Random(settings.seed)
    network = StanceNetwork(base_path)
    for parameter in _frozen_parameters(network, settings.frozen_layers):
        parameter.requires_grad = False
    trainable = [p for p in network.modules().parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=settings.learning_rate, weight_decay=0.01)
    steps = settings.epochs * -(-len(examples) // settings.batch_size)
    warmup = max(1, int(settings.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: step / warmup if step < warmup else max(0.0, (steps - step) / max(1, steps - warmup)))
    dropout = torch.nn.Dropout(settings.dropout)
    label_index = {stance: i for i, stance in enumerate(STANCES)}
    order, started = list(range(len(examples))), time.monotonic()
    network.modules().train()
    for epoch in range(settings.epochs):
        shuffler.shuffle(order)
        total = 0.0
        for start in range(0, len(order), settings.batch_size):
            batch = [examples[i] for i in order[start:start + settings.batch_size]]
            target = torch.tensor([label_index[stance] for _, stance in batch])
            loss = torch.nn.functional.cross_entropy(
                network.logits(network.tokens([query for query, _ in batch]), dropout), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
        progress(f"epoch {epoch + 1}/{settings.epochs}: loss {total / len(order):.3f} "
                 f"({time.monotonic() - started:.0f} s)")
    network.modules().eval()
    return network


def _frozen_parameters(network: StanceNetwork, layers: int):
    encoder = network.encoder
    frozen = list(encoder.pooler.parameters()) if getattr(encoder, "pooler", None) is not None else []  # unused
    if layers <= 0:
        return frozen
    frozen += list(encoder.embeddings.parameters())
    for layer in encoder.encoder.layer[:layers]:
        frozen += list(layer.parameters())
    return frozen


def save_network(network: StanceNetwork, path: str | Path, metadata: dict) -> Path:
    """Only the tensors training changed (fp16) in a safetensors file, the metadata beside it as .json."""
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    changed = {name for name, p in network.modules().named_parameters() if p.requires_grad}
    state = {name: tensor.detach().half().contiguous() for name, tensor in network.modules().state_dict().items()
             if name in changed}
    save_file(state, str(path))
    path.with_suffix(".json").write_text(
        json.dumps({**metadata, "stances": list(STANCES), "tensors": len(state)}, indent=2) + "\n", encoding="utf-8")
    return path
