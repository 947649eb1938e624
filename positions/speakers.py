"""Speakers the config does not know: people and bodies who speak in the articles but match no party alias, with the
party their introductions point to ("Ellen Stutzman, the guild's chief negotiator" -> the guild's party).

A config that lacks a negotiator's name loses every sentence that person says outside a paragraph naming the party;
`positions speakers` lists them, most statements without a party first, so the analyst can add them to parties.yaml.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .holders import AliasIndex, mention_tokens
from .lexicon import SPEECH_VERBS, STANCE_VERBS
from .parse_text import blank_dateline

_SPEAKER_LABELS = ("PERSON", "ORG")
_LEADING_WORDS = frozenset("""mr. ms. mrs. dr. sir dame the president senator sen. representative rep. speaker governor
gov. secretary minister chancellor ambassador envoy general gen. judge king queen prince sheikh""".split())
_ANALYSIS_SHARE = 2 / 3  # with no introduction, the party the analysis gave this share of the speaker's statements


@dataclass(frozen=True)
class SpeakerSuggestion:
    name: str  # the fullest form seen ("Ellen Stutzman")
    aliases: tuple[str, ...]  # what to add to the party: the name, and the bare surname when articles use it
    statements: int  # sentences in which the speaker says something
    without_party: int  # of those, sentences the analysis gave no party
    party: str | None  # the party the speaker's introductions name, else the one the analysis mostly found
    evidence: str  # why that party: 'introduced as "the guild's chief negotiator"', or the analysis' share
    example: str  # a sentence the speaker says (one without a party when there is one)


@dataclass
class _Tally:
    forms: Counter = field(default_factory=Counter)
    alone: set[str] = field(default_factory=set)  # one-word forms used with no title ("Sunak said")
    titled: set[str] = field(default_factory=set)  # one-word forms used after a title ("Mr. Getachew")
    statements: int = 0
    without_party: int = 0
    example: str = ""
    example_has_party: bool = True
    introduced: Counter = field(default_factory=Counter)
    description: dict[str, str] = field(default_factory=dict)
    found: Counter = field(default_factory=Counter)


def unconfigured_speakers(docs: Iterable, aliases: AliasIndex, found_parties: Iterable[Iterable[str]] | None = None,
                          min_statements: int = 1) -> list[SpeakerSuggestion]:
    """Speakers in parsed sentences (`docs`: spaCy Docs) that no alias names, most statements without a party first.

    `found_parties`, one per doc: the parties the analysis found for that sentence (none: it has no position)."""
    tallies: dict[str, _Tally] = {}
    found_iter = iter(found_parties) if found_parties is not None else None
    for doc in docs:
        found = set(next(found_iter)) if found_iter is not None else set()
        token_party = mention_tokens(doc, aliases.find(doc.text))
        spoke: set[str] = set()
        for entity in doc.ents:
            if entity.label_ not in _SPEAKER_LABELS or any(t.i in token_party for t in entity):
                continue
            name = _clean_name(entity)
            if not name:
                continue
            key = _key(name, entity.label_)
            tally = tallies.setdefault(key, _Tally())
            tally.forms[name] += 1
            if " " not in name:
                after_title = name != entity.text or (entity.start and doc[entity.start - 1].lower_ in _LEADING_WORDS)
                (tally.titled if after_title else tally.alone).add(name)
            party, description = _introduction(entity, token_party)
            if party:
                tally.introduced[party] += 1
                tally.description.setdefault(party, description)
            if key in spoke or not _speaks(entity):
                continue
            spoke.add(key)
            tally.statements += 1
            tally.without_party += not found
            tally.found.update(found)
            if not tally.example or (tally.example_has_party and not found):
                tally.example, tally.example_has_party = doc.text.strip(), bool(found)
    _merge_given_names(tallies)
    out = [_suggestion(tally) for tally in tallies.values() if tally.statements >= min_statements]
    return sorted(out, key=lambda s: (-s.without_party, -s.statements, s.name))


def stored_speakers(store, negotiation, nlp, min_statements: int = 2, batch_size: int = 256,
                    progress: Callable[[Iterator, int], Iterator] | None = None) -> list[SpeakerSuggestion]:
    """unconfigured_speakers over every stored sentence of a negotiation (`store`: store.Store; `negotiation`: its
    config, whose aliases count; `nlp`: a spaCy pipeline with entities). `progress` wraps the parsed sentences."""
    rows = store.statements(negotiation=negotiation.name, apply_corrections=False)
    return speakers_in_rows(rows, negotiation.parties, nlp, min_statements, batch_size, progress)


def speakers_in_rows(rows, parties, nlp, min_statements: int = 2, batch_size: int = 256,
                     progress: Callable[[Iterator, int], Iterator] | None = None) -> list[SpeakerSuggestion]:
    """unconfigured_speakers over analysed rows (a frame with sentence_id, sentence and party, one row per sentence
    and term, as the store or evaluation.run_pipeline give them)."""
    if rows.empty:
        return []
    found = rows.groupby("sentence_id")["party"].agg(lambda held: set(held.dropna()))
    sentences = rows.drop_duplicates("sentence_id")
    docs = nlp.pipe((blank_dateline(text) for text in sentences["sentence"]), batch_size=batch_size)  # no "DETROIT —"
    return unconfigured_speakers(progress(docs, len(sentences)) if progress else docs, AliasIndex(parties),
                                 (found[i] for i in sentences["sentence_id"]), min_statements)


def _suggestion(tally: _Tally) -> SpeakerSuggestion:
    name = max(tally.forms, key=lambda form: (len(form.split()), tally.forms[form]))
    # and a word of the name that articles use alone ("Sunak said"), or a given name after a title ("Mr. Getachew"
    # for Getachew Reda; "Mr. Reda" follows from the full name)
    words = name.split()
    aliases = (name,) + tuple(word for word in words if len(words) > 1 and (
        word in tally.alone or (word in tally.titled and word != words[-1])))
    party, evidence = None, "no introduction names a party"
    if tally.introduced:
        party, count = tally.introduced.most_common(1)[0]
        evidence = f'introduced as "{tally.description[party]}"' + (f" ({count} times)" if count > 1 else "")
    elif tally.found:
        best, count = tally.found.most_common(1)[0]
        with_party = tally.statements - tally.without_party
        if with_party >= 2 and count >= _ANALYSIS_SHARE * with_party:
            party, evidence = best, f"the analysis gave {count} of its {with_party} statements with a party to {best}"
    return SpeakerSuggestion(name, aliases, tally.statements, tally.without_party, party, evidence, tally.example)


def _clean_name(entity) -> str:
    """The entity's words without a leading honorific or article and without a possessive ending; empty for what
    is no name (a misread headline, "Biden Tells McCarthy"; a dateline, "ADDIS ABABA")."""
    words = [t for t in entity if t.text not in ("'s", "’s")]
    while words and words[0].lower_ in _LEADING_WORDS:
        words = words[1:]
    if not words or any(t.pos_ != "PROPN" and not t.is_punct for t in words):
        return ""
    text = "".join(t.text_with_ws for t in words).strip()
    if not text[:1].isupper() or (text.isupper() and " " in text):
        return ""
    return text


def _key(name: str, label: str) -> str:
    """People by surname ("Ms. Stutzman" is "Ellen Stutzman"), bodies by their full name."""
    return f"person:{name.split()[-1].lower()}" if label == "PERSON" else f"body:{name.lower()}"


def _merge_given_names(tallies: dict[str, _Tally]) -> None:
    """A one-word name that is the first word of exactly one longer name is that person ("Getachew" when the
    articles also say "Getachew Reda")."""
    longer = [(key, tally) for key, tally in tallies.items() if key.startswith("person:")
              and max(len(form.split()) for form in tally.forms) > 1]
    for key in [k for k, t in tallies.items() if k.startswith("person:") and all(" " not in f for f in t.forms)]:
        word = key.split(":", 1)[1]
        owners = [k for k, t in longer if k != key and any(f.split()[0].lower() == word for f in t.forms)]
        if len(owners) == 1:
            single, target = tallies.pop(key), tallies[owners[0]]
            target.forms.update(single.forms)
            target.alone |= single.alone
            target.titled |= single.titled
            target.statements += single.statements
            target.without_party += single.without_party
            target.introduced.update(single.introduced)
            for party, description in single.description.items():
                target.description.setdefault(party, description)
            target.found.update(single.found)
            if target.example_has_party and not single.example_has_party:
                target.example, target.example_has_party = single.example, False


def _speaks(entity) -> bool:
    """The entity is the subject of a speech or stance verb ("Stutzman said", "Kim rejected the offer"), speaks
    through its title ("the guild's chief negotiator, Ellen Stutzman, said"), or is who a claim is according to."""
    token = entity.root
    for _ in range(2):
        verb = token.head.lemma_.lower()
        if token.dep_ == "nsubj" and (verb in SPEECH_VERBS or verb in STANCE_VERBS):
            return True  # "Stutzman said", "Kim rejected the proposal"
        if token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according":
            return True
        if token.dep_ != "appos":
            return False
        token = token.head
    return False


def _introduction(entity, token_party: dict[int, str]) -> tuple[str | None, str | None]:
    """The party an introduction of the entity names, and its words: an apposition ("X, the guild's chief
    negotiator", "the DUP leader, X"), a title before the name ("DUP leader X"), "X of the guild", or where X spoke
    ("In Israel, Prime Minister X said ...")."""
    root = entity.root
    own = {t.i for t in root.subtree}
    phrases = [list(c.subtree) for c in root.children if c.dep_ == "appos"]
    phrases += [list(g.subtree) for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    if root.dep_ == "appos":  # "the guild's chief negotiator, Ellen Stutzman": the words before the name
        phrases.append([t for t in root.head.subtree if t.i not in own and t.i < root.i])
    phrases.append([t for t in root.subtree if t.i < entity.start])  # "DUP leader Jeffrey Donaldson"
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.i > root.i:  # "In Israel, Prime Minister X said ..."
        phrases += [list(c.subtree) for c in root.head.children
                    if c.dep_ == "prep" and c.lower_ == "in" and c.i < entity.start]
    for tokens in phrases:
        aside = {t.i for token in tokens if token.dep_ in ("relcl", "acl") for t in token.subtree}
        tokens = [t for t in tokens if t.i not in aside]  # "X, who met the DUP leader," is no DUP member
        parties = {token_party[t.i] for t in tokens if t.i in token_party}
        if len(parties) == 1:
            return parties.pop(), "".join(t.text_with_ws for t in tokens).strip(" ,")
    return None, None


def yaml_lines(suggestions: Iterable[SpeakerSuggestion]) -> str:
    """The suggested aliases per party, to add to parties.yaml (speakers with no party are left out)."""
    by_party: dict[str, list[str]] = {}
    for suggestion in suggestions:
        if suggestion.party:
            by_party.setdefault(suggestion.party, []).extend(suggestion.aliases)
    lines = ["# aliases to add to each party in parties.yaml (check each one)"]
    lines += [f"{party}: [{', '.join(names)}]" for party, names in by_party.items()]
    return "\n".join(lines) + "\n"
