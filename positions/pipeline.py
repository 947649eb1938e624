"""Documents -> analysed documents -> store. Runs the stages in order, embeds once, batches."""
from __future__ import annotations

import datetime as dt
import functools
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .config import Negotiation, Settings, load_negotiation
from .dates import resolve_stated_date
from .embeddings import Embedder, HashingEmbedder, make_embedder
from .errors import ConfigError, InputError
from .holders import (AliasIndex, clauses_in_passing, continues_quote, find_holder, joint_holders, mention_tokens,
                      quote_continuation, quote_marks, subject_party)
from .lexicon import GENERIC_SPEAKERS, PRONOUNS, SPEECH_VERBS
from .models import AnalysedDocument, Document, Holder, Position, Quantity, Sentence, TopicMatch
from .numbers import extract_quantities
from .parse_text import text_for_parser
from .readers import iter_documents
from .sentences import split_sentences
from .side_positions import side_positions
from .stance import classify_stance, ends_stoppage, settles_stance, stance_for_role, stance_near
from .stance_model import StanceClassifier, make_stance_classifier, position_query, voted_call
from .store import Store
from .topics import TopicModel, contextual_vectors

Progress = Callable[[int, int], None]
# a sentence naming no party may still have a holder: "he said", "the committee said", "under the proposal"
_GENERIC_SUBJECT = re.compile(r"\b(?:" + "|".join(sorted(
    PRONOUNS | GENERIC_SPEAKERS | {"according", "proposal", "offer", "plan", "counteroffer", "counterproposal",
                                   "others"}))
    + r")s?\b", re.IGNORECASE)


@functools.lru_cache(maxsize=2)
def load_spacy(model: str, entities: bool = False):
    """The spaCy pipeline with only what holder and stance need (no NER unless `entities`)."""
    import spacy

    return spacy.load(model) if entities else spacy.load(model, exclude=["ner"])


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (input, warning) of added documents
    sentences: int = 0
    document_ids: list[int] = field(default_factory=list)


class Analyser:
    """Runs sentence splitting, embedding, topics, holders, stance, numbers and dates on documents."""

    def __init__(self, negotiation: Negotiation, settings: Settings, embedder: Embedder, nlp,
                 stance_classifier: StanceClassifier | None = None):
        self.negotiation = negotiation
        self.settings = settings
        self.embedder = embedder
        self._nlp = nlp
        self.stance_classifier = stance_classifier  # None: the dependency rules' stance stands
        self.aliases = AliasIndex(negotiation.parties)
        self._topic_model: TopicModel | None = None

    @property
    def nlp(self):
        if callable(self._nlp) and not hasattr(self._nlp, "pipe"):
            self._nlp = self._nlp()
        return self._nlp

    @property
    def topic_model(self) -> TopicModel:
        """Built on first use: an unchanged re-ingest loads no model at all."""
        if self._topic_model is None:
            self._topic_model = TopicModel(self.negotiation.topics, self.embedder, self.settings.topics)
        return self._topic_model

    def embed_documents(self, documents: Sequence[Document]) -> tuple[list[list[Sentence]], np.ndarray]:
        """The encoder's share of `analyse`: sentences and their vectors, in one embed call."""
        split = [split_sentences(doc.text, self.settings.sentences) for doc in documents]
        texts = [s.text for sentences in split for s in sentences]
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, 1), np.float32)
        return split, vectors

    def analyse(self, documents: Sequence[Document],
                embedded: tuple[list[list[Sentence]], np.ndarray] | None = None) -> list[AnalysedDocument]:
        """`embedded`: what embed_documents(documents) returned, when it already ran (ingest runs it ahead)."""
        split, vectors = embedded if embedded is not None else self.embed_documents(documents)

        # topics: each sentence with a little context from its paragraph neighbours
        offsets = np.cumsum([0] + [len(s) for s in split])
        topic_rows: list[np.ndarray] = []
        priors: list[np.ndarray] = []  # per document: the topics it is about (for statements naming no term)
        process_rows: list[np.ndarray] = []  # per sentence: closeness to the negotiation process (no term)
        for number, sentences in enumerate(split):
            block = vectors[offsets[number]:offsets[number + 1]]
            context = contextual_vectors(block, [s.paragraph for s in sentences], self.settings.topics.context_weight)
            texts = [s.text for s in sentences]
            hits = self.topic_model.keyword_matrix(texts)
            topic_rows.append(self.topic_model.scores(context, texts, hits))
            priors.append(self.topic_model.document_prior(hits))
            process_rows.append(self.topic_model.process_similarity(context))

        # parse only sentences that have a topic and could name a holder
        mentions = [[self.aliases.find(s.text) for s in sentences] for sentences in split]
        to_parse = [(d, i) for d, sentences in enumerate(split) for i, s in enumerate(sentences)
                    if topic_rows[d][i].max(initial=-1.0) >= self.settings.topics.statement_threshold
                    and (mentions[d][i] or _GENERIC_SUBJECT.search(s.text) or continues_quote(s.text)
                         or self.aliases.names_member(s.text))]
        texts = (text_for_parser(split[d][i].text, split[d][i].is_headline,
                                 [(m.start, m.end) for m in mentions[d][i]]) for d, i in to_parse)
        parsed = dict(zip(to_parse, self.nlp.pipe(texts, batch_size=self.settings.pipeline.spacy_batch_size)))

        settled: list[set[int]] = [set() for _ in documents]  # per document, rows whose stance the rules settle
        positions = [self._positions(doc, split[d], topic_rows[d], priors[d], mentions[d], parsed, d, process_rows[d],
                                     settled[d])
                     for d, doc in enumerate(documents)]
        if self.stance_classifier is not None:
            positions = self._model_stances(split, positions, settled)
        return [AnalysedDocument(doc, tuple(split[d]), tuple(positions[d]), vectors[offsets[d]:offsets[d + 1]])
                for d, doc in enumerate(documents)]

    def _model_stances(self, split: list[list[Sentence]], positions: list[list[Position]],
                       settled: list[set[int]]) -> list[list[Position]]:
        """The stance model's reading of every position the sentence's holder states, in one batched call, with the
        rules' reading (the row's stance so far) as a vote. A second party's row from a relative clause keeps the
        rules' reading of that clause, and a row in `settled` (per document) keeps the rules' stance unless the rules
        have no vote (stance.rules_weight=0: the model alone). Each row read keeps how sure the reading is
        (stance_probability); a settled row counts as 1."""
        parties = {p.id: p for p in self.negotiation.parties}
        topics = {t.id: t for t in self.negotiation.topics}
        rules_vote = self.settings.stance.rules_weight > 0
        where = [(d, k) for d, rows in enumerate(positions) for k, row in enumerate(rows)
                 if row.party in parties and row.topic in topics and row.attribution != "relative_clause"
                 and not (rules_vote and k in settled[d])]
        queries = [position_query(parties[row.party], topics[row.topic], split[d][row.sentence_index].text)
                   for d, k in where for row in [positions[d][k]]]
        calls = self.stance_classifier.classify(queries)
        updated = [list(rows) for rows in positions]
        for (d, k), call in zip(where, calls):
            voted = voted_call(call, updated[d][k].stance, self.settings.stance.rules_weight)
            updated[d][k] = replace(updated[d][k], stance=voted.stance, stance_probability=round(voted.probability, 4))
        if rules_vote:
            for d, rows in enumerate(updated):
                for k in settled[d]:
                    rows[k] = replace(rows[k], stance_probability=1.0)
        return updated

    def _positions(self, doc: Document, sentences: list[Sentence], topic_rows, prior, mentions, parsed,
                   d, process_row=None, settled: set[int] | None = None) -> list[Position]:
        positions: list[Position] = []
        paragraph, context_party, document_party, context_speaker = -1, None, None, None
        quoted = None  # the holder of the quotation the previous sentence of the paragraph ended with (or none)
        for i, sentence in enumerate(sentences):
            if sentence.paragraph != paragraph:
                paragraph, context_party, context_speaker, quoted = sentence.paragraph, None, None, None
            quantities = extract_quantities(sentence.text)
            finding = None
            if (d, i) in parsed:
                finding = find_holder(parsed[(d, i)], mentions[i], self.aliases, context_party or document_party,
                                      context_speaker)
            elif mentions[i]:
                context_party = mentions[i][0].party  # cheap context from sentences not parsed
                context_speaker = None
            if quoted is not None and continues_quote(sentence.text):
                if quoted.party is None:
                    finding = None  # an analyst's quotation goes on: still the analyst's words, no party's
                elif (d, i) in parsed and not (finding and finding.holder.party and (
                        finding.holder.party == quoted.party or self.aliases.role(quoted.party) == "mediator")):
                    # the speaker's own words about another party ('"The White House needs to come to us."'),
                    # unless a mediator relays what a side said
                    finding = quote_continuation(parsed[(d, i)], quoted)
            holder = finding.holder if finding else None
            # "Sinn Féin, which won the most seats in May, said ...": May dates the party, not what it said
            passing = clauses_in_passing(parsed[(d, i)], finding.anchor if finding else None) \
                if (d, i) in parsed else ()
            stated = resolve_stated_date(sentence.text, doc.published, passing)
            base = dict(sentence_index=i, numbers=tuple(quantities), date=stated.date or doc.published,
                        date_precision=stated.precision)
            # a quotation with no party as its speaker is carried on as Holder(None)
            quoted = (holder if holder and holder.party else Holder(None)) if quote_marks(sentence.text) else None
            if (d, i) in parsed and not (holder and holder.party):
                named = subject_party(parsed[(d, i)], mentions[i])
                if named is not None:  # "Russia's envoy was more upbeat. He said ...": he is Russia's
                    context_party, context_speaker = named, None
            if holder and holder.party and holder.attribution != "carried_over":
                context_party = document_party = holder.party
                context_speaker = holder.relayed_by  # "Blinken said Hamas had ...": a later 'he' is Blinken
            score_row, named = topic_rows[i], self.topic_model.terms_named(sentence.text)
            if holder and holder.party and named.any():
                # a term named only in a condition or in the setting of the speech is no term of the statement
                foreground = self.topic_model.foreground_terms(parsed[(d, i)], finding.anchor, named, SPEECH_VERBS)
                if not self.settings.topics.background_keywords_count and (foreground != named).any():
                    score_row = score_row - self.settings.topics.keyword_bonus * (named & ~foreground)
                    named = foreground
            matches = self.topic_model.assign_statement(
                score_row, named, prior,
                self.topic_model.names_the_deal(sentence.text),
                None if process_row is None else float(process_row[i])) if holder and holder.party else []
            if not matches:
                positions.append(Position(party=None, topic=None, stance=None, **base))
                continue
            doc_tokens = parsed[(d, i)]
            token_party = mention_tokens(doc_tokens, mentions[i])
            others = frozenset(t for t, p in token_party.items() if p != holder.party)
            own = frozenset(t for t, p in token_party.items() if p == holder.party)
            reading = classify_stance(doc_tokens, finding.anchor, others, own)
            settled_by_rules = settles_stance(reading)
            stance = stance_for_role(reading, self.aliases.role(holder.party))
            own_rows, ended = [], set()
            for match in matches:
                if len(matches) > 1 and not settled_by_rules:
                    stance = stance_for_role(self._stance_on(doc_tokens, finding.anchor, match, reading),
                                             self.aliases.role(holder.party))
                if self._ends_stoppage(doc_tokens, match):
                    ended.add(len(own_rows))  # "urged an end to the strike": against it, whatever else is said
                numbers = _numbers_for_topic(quantities, match, matches, self.topic_model)
                confidence = round(holder.confidence * (0.5 + 0.5 * min(1.0, match.score)), 3)
                own_rows.append(Position(
                    party=holder.party, topic=match.topic, stance="oppose" if len(own_rows) in ended else stance,
                    attribution=holder.attribution,
                    speaker=holder.speaker, relayed_by=holder.relayed_by, confidence=confidence,
                    topic_score=round(match.score, 4), **{**base, "numbers": numbers}))
            first = len(positions)
            positions.extend(own_rows)
            for party in joint_holders(doc_tokens, finding.anchor, token_party, holder.party, self.aliases.two_sides()):
                positions.extend(replace(row, party=party, attribution="joint_subject") for row in own_rows)
            if settled is not None:
                settled.update(k for k in range(first, len(positions))
                               if settled_by_rules or (k - first) % len(own_rows) in ended)
            positions.extend(self._side_rows(doc_tokens, token_party, holder, matches, base))
        return positions

    def _side_rows(self, doc, token_party, holder, matches, base) -> list[Position]:
        """Rows for a second party's position in a relative clause ('..., a demand Israel has refused'), on the
        sentence's terms, without its numbers (they belong to the holder's statement)."""
        rows = []
        for side in side_positions(doc, token_party, holder.party):
            stance = stance_for_role(side.reading, self.aliases.role(side.party))
            rows.extend(Position(
                party=side.party, topic=match.topic, stance=stance, attribution="relative_clause",
                relayed_by=holder.party, confidence=round(0.8 * holder.confidence * (0.5 + 0.5 * min(1.0, match.score)), 3),
                topic_score=round(match.score, 4), **{**base, "numbers": ()}) for match in matches)
        return rows

    def _ends_stoppage(self, doc, match: TopicMatch) -> bool:
        """Whether one of the term's keywords in the sentence is a strike someone means to end or avert."""
        for start, end in self.topic_model.keyword_spans(doc.text, match.topic):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and any(ends_stoppage(token) for token in span):  # also "end the strike" itself
                return True
        return False

    def _stance_on(self, doc, anchor, match: TopicMatch, reading):
        """The stance on one of several terms of a sentence, read near that term's keyword."""
        for start, end in self.topic_model.keyword_spans(doc.text, match.topic):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                return stance_near(doc, anchor, span.root.i, reading)
        return reading


def _numbers_for_topic(quantities: list[Quantity], match: TopicMatch, matches: list[TopicMatch],
                       model: TopicModel) -> tuple[Quantity, ...]:
    """With several topics in a sentence, a quantity whose unit is another topic's keyword goes to that topic."""
    if len(matches) < 2:
        return tuple(quantities)
    keep = []
    for quantity in quantities:
        owners = [m.topic for m in matches if model.names(m.topic, quantity.unit)]
        if not owners or match.topic in owners:
            keep.append(quantity)
    return tuple(keep)


def load_analyser(negotiation: Negotiation, settings: Settings | None = None,
                  embedder: Embedder | None = None) -> Analyser:
    """With the fake embedder (tests, POSITIONS_FAKE_EMBEDDER=1) stance is read by the rules alone."""
    settings = settings or Settings()
    embedder = embedder or make_embedder(settings.embedding)
    stance_classifier = make_stance_classifier(settings.stance, fake=isinstance(embedder, HashingEmbedder))
    return Analyser(negotiation, settings, embedder, lambda: load_spacy(settings.pipeline.spacy_model),
                    stance_classifier)


def ingest_documents(documents: Iterable[Document], store: Store, analyser: Analyser,
                     progress: Progress | None = None, report: IngestReport | None = None) -> IngestReport:
    """Analyse and store documents not yet stored for this negotiation (by content hash)."""
    report = report or IngestReport()
    name = analyser.negotiation.name
    store.save_negotiation(analyser.negotiation)
    known = store.known_hashes(name)
    pending: list[Document] = []
    for document in documents:
        if document.doc_id in known:
            report.skipped += 1
            continue
        known.add(document.doc_id)
        pending.append(document)
    batch_size = max(1, analyser.settings.pipeline.documents_per_batch)
    done = 0
    if progress:
        progress(0, len(pending))
    batches = [pending[start:start + batch_size] for start in range(0, len(pending), batch_size)]
    if batches:
        analyser.topic_model  # prototypes embedded first, then the batches in order
    # the encoder runs one batch ahead in a thread (torch releases the GIL) while this thread parses and stores
    with ThreadPoolExecutor(1, thread_name_prefix="embed-ahead") as ahead:
        upcoming = ahead.submit(analyser.embed_documents, batches[0]) if batches else None
        for number, batch in enumerate(batches):
            # a failed embed is retried by the analysis itself (and then isolated per document)
            embedded = upcoming.result() if upcoming.exception() is None else None
            if number + 1 < len(batches):
                upcoming = ahead.submit(analyser.embed_documents, batches[number + 1])
            _store_batch(store, name, _analyse_isolating_failures(analyser, batch, report, embedded), report)
            done += len(batch)
            if progress:
                progress(done, len(pending))
    return report


def _store_batch(store: Store, name: str, analysed_batch, report: IngestReport) -> None:
    for document, analysed in analysed_batch:
        document_id = store.add_document(name, analysed)
        if document_id is None:
            report.skipped += 1
        else:
            report.added += 1
            report.sentences += len(analysed.sentences)
            label = document.origin or document.title or document.doc_id
            report.warnings.extend((label, warning) for warning in document.warnings)
            report.document_ids.append(document_id)


def _analyse_isolating_failures(analyser: Analyser, batch: list[Document], report: IngestReport,
                                embedded=None):
    """Analyse a batch; if it fails, analyse one by one so one bad document does not sink the others."""
    try:
        return list(zip(batch, analyser.analyse(batch, embedded)))
    except Exception:
        if len(batch) == 1:
            raise
    results = []
    for document in batch:
        try:
            results.append((document, analyser.analyse([document])[0]))
        except Exception as exc:  # reported per input, the run goes on
            report.failed.append((document.origin or document.title or document.doc_id,
                                  f"analysis failed: {type(exc).__name__}: {exc}"))
    return results


def ingest(inputs: Sequence[str], store: Store, analyser: Analyser, default_date: dt.date | None = None,
           progress: Progress | None = None) -> IngestReport:
    """Read files, folders and URLs; analyse and store every new document. Failures are listed, not raised."""
    report = IngestReport()
    documents = []
    for label, item in iter_documents(inputs, analyser.settings.reader, default_date=default_date):
        if isinstance(item, InputError):
            report.failed.append((label, str(item)))
        else:
            documents.append(item)
    return ingest_documents(documents, store, analyser, progress, report)


def reanalyse(store: Store, analyser: Analyser, progress: Progress | None = None) -> int:
    """Re-run the analysis of every stored document of the negotiation (e.g. after a config change).

    Analysts' corrections live in their own table and still apply afterwards.
    """
    store.save_negotiation(analyser.negotiation)
    stored = list(store.iter_stored_documents(analyser.negotiation.name))
    batch_size = max(1, analyser.settings.pipeline.documents_per_batch)
    for start in range(0, len(stored), batch_size):
        batch = stored[start:start + batch_size]
        analysed = analyser.analyse([Document(**fields) for _, fields in batch])
        for (document_id, _), result in zip(batch, analysed):
            store.replace_analysis(document_id, result)
        if progress:
            progress(min(start + batch_size, len(stored)), len(stored))
    return len(stored)


def sample_negotiations(data_dir: Path) -> list[Path]:
    """Negotiation folders under data/negotiations that carry a corpus."""
    root = Path(data_dir) / "negotiations"
    return sorted(p for p in root.iterdir() if (p / "parties.yaml").exists() and (p / "corpus").is_dir())


def build_sample_store(store: Store, data_dir: Path, settings: Settings | None = None,
                       embedder: Embedder | None = None, progress: Progress | None = None) -> IngestReport:
    """Ingest every sample negotiation's corpus under data/ (the dashboard's first run)."""
    settings = settings or Settings()
    embedder = embedder or make_embedder(settings.embedding)
    total = IngestReport()
    folders = sample_negotiations(data_dir)
    for number, folder in enumerate(folders):
        try:
            negotiation = load_negotiation(folder)
        except ConfigError as exc:  # one broken sample config does not keep the others out
            total.failed.append((str(folder), str(exc)))
            continue
        analyser = load_analyser(negotiation, settings, embedder)

        def step(done: int, count: int, number=number) -> None:
            if progress:
                progress(number * 1000 + (1000 * done // max(count, 1)), 1000 * len(folders))

        report = ingest([str(folder / "corpus")], store, analyser, progress=step)
        total.added += report.added
        total.skipped += report.skipped
        total.sentences += report.sentences
        total.failed.extend(report.failed)
        total.warnings.extend(report.warnings)
        total.document_ids.extend(report.document_ids)
    return total
