"""A larger corpus made by recombining the sample articles under data/negotiations/*/corpus.

Each generated article keeps its negotiation (so parties and topics still make sense) and is built from
paragraphs of 1-4 sentences drawn at random from that negotiation's articles: realistic sentence lengths,
but every article's text (and so its content hash) is new.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from positions.config import Settings
from positions.readers import iter_documents
from positions.sentences import split_sentences

REPO = Path(__file__).resolve().parents[1]
NEGOTIATIONS = REPO / "data" / "negotiations"


@dataclass
class Source:
    folder: Path  # the negotiation folder (parties.yaml, topics.yaml)
    paragraphs: list[list[str]]  # sentences of each source paragraph
    dates: list[dt.date]

    @property
    def sentences(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def load_sources() -> list[Source]:
    settings = Settings()
    sources = []
    for folder in sorted(p for p in NEGOTIATIONS.iterdir() if (p / "corpus").is_dir()):
        paragraphs: list[list[str]] = []
        dates = []
        for _, doc in iter_documents([str(folder / "corpus")], settings.reader):
            if isinstance(doc, Exception):
                continue
            if doc.published:
                dates.append(doc.published)
            by_paragraph: dict[int, list[str]] = {}
            for sentence in split_sentences(doc.text, settings.sentences):
                if not sentence.is_headline:
                    by_paragraph.setdefault(sentence.paragraph, []).append(sentence.text)
            paragraphs.extend(by_paragraph.values())
        sources.append(Source(folder, paragraphs, sorted(dates)))
    return sources


def generate(out_dir: Path, sentences: int, seed: int = 7) -> dict[str, Path]:
    """Write about `sentences` sentences of new articles as Markdown under out_dir/<negotiation>/.

    Negotiations get a share proportional to their sample corpus. Returns {negotiation folder: corpus dir}."""
    rng = random.Random(seed)
    sources = load_sources()
    total = sum(s.sentences for s in sources)
    written: dict[str, Path] = {}
    for source in sources:
        target = max(50, round(sentences * source.sentences / total))
        corpus = out_dir / source.folder.name
        corpus.mkdir(parents=True, exist_ok=True)
        pool = [s for p in source.paragraphs for s in p]
        first, last = source.dates[0], source.dates[-1]
        span = max(1, (last - first).days)
        made, number = 0, 0
        while made < target:
            # 4-9 paragraphs; each mixes sentences of one source paragraph (kept in order) with a few strays
            body = []
            for _ in range(rng.randint(4, 9)):
                base = rng.choice(source.paragraphs)
                start = rng.randrange(len(base))
                chosen = base[start:start + rng.randint(1, 3)]
                if rng.random() < 0.5:
                    chosen = chosen + [rng.choice(pool)]
                body.append(" ".join(chosen))
                made += len(chosen)
            title = rng.choice(pool)[:90].rstrip(" ,.;:")
            published = first + dt.timedelta(days=rng.randrange(span + 1))
            text = (f"---\ntitle: {json.dumps(title)}\ndate: {published.isoformat()}\nsource: bench wire {number % 7}\n---\n"
                    + "\n\n".join(body) + "\n")
            (corpus / f"{number:05d}.md").write_text(text, encoding="utf-8")
            number += 1
        written[str(source.folder)] = corpus
    return written
