"""Who holds the position in a sentence: alias index + dependency patterns + paragraph context."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .config import Party
from .lexicon import (ANONYMOUS_SPEAKERS, COMMENTATOR_NOUNS, DEAL_CLOSING_VERBS, DIRECTIVE_VERBS, GENERIC_SPEAKERS,
                      NO_ANSWER_OBJECTS, NO_ANSWER_VERBS, NO_COMMENT_VERBS, PHRASAL_STANCES, PLAN_NOUNS, PRONOUNS,
                      REPORTING_VERBS, SETTING_VERBS, SPEECH_VERBS, STANCE_ADJECTIVES, STANCE_NOUNS, STANCE_VERBS,
                      WORKER_NOUNS)
from .models import Holder
from .stance import (acts_collectively, asks_for_action, has_obligation_modal, is_negated, names_both_sides,
                     states_stance)

QUOTE_CHARS = "\"“”«»"
_QUOTE_SPLIT = re.compile("[" + re.escape(QUOTE_CHARS) + "]")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CLAUSE_DEPS = ("ccomp", "xcomp", "advcl", "conj", "parataxis", "relcl", "acl", "pcomp")
# a party weighing or preparing a step ("Ford was considering a new offer"): relayed as that party's position
INTENTION_VERBS = frozenset("weigh consider plan intend prepare mull contemplate".split())
FORECAST_VERBS = frozenset("expect predict anticipate doubt fear".split())
# what a plan named before spells out ("The proposal also included ...", "It did not include ...")
PLAN_CONTENT_VERBS = frozenset("include contain provide cover guarantee envisage envision".split())
# written statements whose outlet names the speaker ("a commentary published in People's Daily said")
PUBLICATION_NOUNS = frozenset("commentary editorial article column op-ed opinion post".split())
# subordinators of a condition, time or reason clause (a clause they open reports no one's position)
# people of a party named by "in": "conservatives in the Freedom Caucus" (officials: see SEAT_NOUNS)
MEMBER_NOUNS = frozenset("member conservative liberal moderate progressive hardliner hard-liner lawmaker legislator "
                         "representative senator leader negotiator delegate republican democrat".split())
# a government's people named by its seat: "officials in Kyiv", "the authorities in Tehran" (not "diplomats in
# Vienna": envoys posted there)
SEAT_NOUNS = frozenset("official authority government administration leadership".split())
# a party's part named by "in": "an official in Vale's office"
INSTITUTION_NOUNS = frozenset("office ministry department government administration cabinet team delegation camp "
                              "leadership party secretariat".split())
# people who speak for the party they are "to": "an aide to Vale"
CLOSE_SPEAKERS = frozenset("aide adviser advisor spokesman spokeswoman spokesperson counselor counsellor".split())
# documents an according-to source may be: their publisher speaks
DOCUMENT_NOUNS = frozenset("sheet text summary document documents letter statement report figures data draft copy "
                           "readout transcript memo release filing list estimate estimates minutes agreement "
                           "declaration accord".split())
# what a party's plan may be called ("Under terms Moscow tabled", "the Republican bill would")
PLAN_WORDS = frozenset(PLAN_NOUNS) | frozenset("term terms model formula bill accord blueprint arrangement compromise "
                                               "counteroffer resolution legislation".split())
# putting a plan forward: "passed a bill that would ...", "set out plans for ..."
PRESENTING_VERBS = frozenset("pass introduce reintroduce unveil release present table submit publish draft file "
                             "send lay outline set circulate".split())
# issuing a document or a plan: "released by", "the plan X sent", "a formula X confirmed"
ISSUING_VERBS = PRESENTING_VERBS | frozenset("propose offer put make confirm write prepare issue post distribute "
                                             "announce give provide negotiate sign organise organize approve adopt "
                                             "read".split())
# passing on another party's stance: "Oman conveyed Iran's acceptance", "Qatar relayed a Taliban offer"
CONVEYING_VERBS = frozenset("relay convey deliver pass transmit forward hand present submit send bring carry".split())
_ADVERBIAL_MARKS = frozenset("if unless until when whenever before after because while although though once as "
                             "since provided".split())
_ATTRIBUTION_CONFIDENCE = {"direct_quote": 0.9, "said_subject": 0.9, "according_to": 0.8,
                           "anonymous_official": 0.75, "possessive": 0.7, "carried_over": 0.6, "subject": 0.5,
                           "joint_subject": 0.8}


@dataclass(frozen=True)
class Mention:
    party: str
    start: int  # character offsets in the sentence
    end: int
    text: str


class AliasIndex:
    """Finds party aliases in text: longest alias first, whole words, case-sensitive for names."""

    def __init__(self, parties: Sequence[Party]):
        self.roles = {p.id: p.role for p in parties}
        principals = tuple(p.id for p in parties if p.role == "principal")
        self._two_sides = principals if len(principals) == 2 else ()
        entries = [(alias, p.id) for p in parties for alias in (*p.aliases, p.name)]
        entries = sorted(entries + _honorific_aliases(parties, {alias for alias, _ in entries}),
                         key=lambda item: -len(item[0]))
        self._party_of: dict[str, str] = {}
        sensitive, insensitive, added = [], [], set()
        for alias, party in entries:
            if alias in added:  # "Machinists" and "machinists" are two patterns (one case-sensitive)
                continue
            added.add(alias)
            self._party_of.setdefault(_alias_key(alias), party)
            pattern = re.sub("['’]", "['’]", re.escape(alias))  # either apostrophe matches both
            if alias != alias.lower():  # a headline's "Tigrayan Forces" is the alias "Tigrayan forces"
                pattern = re.sub(r"(?<![\w'’])([a-z])", lambda m: f"[{m.group(1)}{m.group(1).upper()}]", pattern)
            (sensitive if alias != alias.lower() else insensitive).append(pattern)
        parts = []
        if sensitive:
            parts.append("(?:" + "|".join(sensitive) + ")")
        if insensitive:
            parts.append("(?i:" + "|".join(insensitive) + ")")
        self._regex = re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])") if parts else None
        self._member_of = _member_nouns(parties)
        self._head_noun_of = _head_nouns(parties)
        self._member_regex = re.compile(r"\b(?:" + "|".join(map(re.escape, self._member_of)) + r")\b",
                                        re.IGNORECASE) if self._member_of else None
        self._qualifier_of = _qualifiers(parties)
        self._qualified_regex = re.compile(
            r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(self._qualifier_of, key=len, reverse=True))) + r")\s+(?:"
            + "|".join(sorted(_SPEAKER_NOUN_FORMS, key=len, reverse=True)) + r")(?![\w])",
            re.IGNORECASE) if self._qualifier_of else None

    def member_of(self, noun_lemma: str) -> str | None:
        """The party whose one-word plural alias this noun is the singular of: 'machinist' when "machinists"
        is an alias of the union. "said a machinist at the Renton plant" is one of its members speaking."""
        return self._member_of.get(noun_lemma.lower())

    def head_noun_owners(self, noun_lemma: str) -> frozenset[str]:
        """Every party with an alias of several words ending in this noun: 'commission' -> the one party with
        "European Commission"; 'government' -> both "British government" and "Irish government"."""
        return self._head_noun_of.get(noun_lemma.lower(), frozenset())

    def names_member(self, text: str) -> bool:
        return bool(self._member_regex and self._member_regex.search(text))

    def find(self, text: str) -> list[Mention]:
        """Aliases, then the speakers an alias's qualifier names ("a senior Tigrayan official" when "Tigrayan
        officials" is an alias, "the Tigrayan leadership") where no alias was found."""
        if self._regex is None:
            return []
        mentions = []
        for match in self._regex.finditer(text):
            party = self._party_of.get(_alias_key(match.group(0)))
            if party:
                mentions.append(Mention(party, match.start(), match.end(), match.group(0)))
        if self._qualified_regex is None:
            return mentions
        qualified = [Mention(self._qualifier_of[_alias_key(match.group(0).split()[0])], match.start(), match.end(),
                             match.group(0))
                     for match in self._qualified_regex.finditer(text)
                     if not any(m.start < match.end() and match.start() < m.end for m in mentions)
                     and not _FORMER.search(text, 0, match.start())]
        return sorted(mentions + qualified, key=lambda m: m.start) if qualified else mentions

    def role(self, party: str | None) -> str | None:
        return self.roles.get(party) if party else None

    def two_sides(self) -> tuple[str, ...]:
        """The principals when there are exactly two: who "the two sides" or "both sides" are."""
        return self._two_sides


_HONORIFICS = ("Mr.", "Ms.", "Mrs.", "Dr.")


def _honorific_aliases(parties: Sequence[Party], existing: set[str]) -> list[tuple[str, str]]:
    """'Mr. Gallant', 'Ms. Gallant' for a party with the alias "Yoav Gallant" (or "Defense Minister Yoav Gallant"):
    news calls people by honorific and surname after the first mention. Not when two parties share the surname."""
    owners: dict[str, set[str]] = {}
    for party in parties:
        for alias in party.aliases:
            words = alias.split()
            if len(words) >= 2 and all(w[:1].isupper() for w in words) and not alias.isupper() \
                    and re.fullmatch(r"[^\W\d_][\w'’-]+", words[-1]) and words[0] not in _HONORIFICS:
                owners.setdefault(words[-1], set()).add(party.id)
    return [(f"{honorific} {surname}", next(iter(ids))) for surname, ids in owners.items() if len(ids) == 1
            for honorific in _HONORIFICS if f"{honorific} {surname}" not in existing]


def _member_nouns(parties: Sequence[Party]) -> dict[str, str]:
    """Singular -> party for the one-word lower-case plural aliases ("workers", "strikers", "writers") that only
    one party has; the party of "workers" also has the trades (WORKER_NOUNS: "an electrician", "a loader")."""
    owners: dict[str, set[str]] = {}
    for party in parties:
        for alias in party.aliases:
            if alias.isalpha() and alias.islower() and len(alias) > 4 and alias.endswith("s") \
                    and not alias.endswith("ss"):
                singular = alias[:-3] + "y" if alias.endswith("ies") else alias[:-1]
                owners.setdefault(singular, set()).add(party.id)
    members = {noun: next(iter(ids)) for noun, ids in owners.items() if len(ids) == 1}
    if "worker" in members:
        members = {**{trade: members["worker"] for trade in WORKER_NOUNS if trade not in owners}, **members}
    return members


# Nouns for a party's people and bodies: "Tigrayan officials", "the Tigrayan leadership", "a federal spokesman".
_SPEAKER_NOUNS = GENERIC_SPEAKERS | frozenset("authority forces troops military army fighters rebels source".split())
_SPEAKER_NOUN_FORMS = frozenset(form for noun in _SPEAKER_NOUNS
                                for form in (noun, noun[:-1] + "ies" if noun.endswith("y") else noun + "s"))
# Modifiers that say nothing of whose speaker it is ("the government", "senior officials", "chief negotiator").
_NON_QUALIFIERS = frozenset("""
the a an its their his her this that these those our your senior top chief lead deputy former new acting main local
regional national international foreign joint other both each some many several two three
""".split())


_FORMER = re.compile(r"\b(?:former|retired|ex-)\s*$", re.IGNORECASE)  # "a former British official" speaks for none


def _qualifiers(parties: Sequence[Party]) -> dict[str, str]:
    """Qualifier -> party: the first word of two-word aliases naming a party's speakers ("Tigrayan officials",
    "Tigrayan forces"), when only one party uses it so and in at least two aliases (one alias such as "Security
    Council" or "peace committee" does not make 'security' or 'peace' the party's word)."""
    uses: dict[str, dict[str, int]] = {}
    for party in parties:
        for alias in set(party.aliases):
            words = alias.split()
            if len(words) == 2 and words[1].lower() in _SPEAKER_NOUN_FORMS \
                    and words[0].lower() not in _NON_QUALIFIERS and re.fullmatch(r"\w+(['’]s)?", words[0]):
                counts = uses.setdefault(_alias_key(words[0]), {})
                counts[party.id] = counts.get(party.id, 0) + 1
    return {word: next(iter(counts)) for word, counts in uses.items()
            if len(counts) == 1 and next(iter(counts.values())) >= 2}


def _head_nouns(parties: Sequence[Party]) -> dict[str, frozenset[str]]:
    """Last word -> the parties with an alias of several words ending in it ("European Commission", "negotiating
    committee")."""
    owners: dict[str, set[str]] = {}
    for party in parties:
        for alias in (*party.aliases, party.name):
            words = alias.split()
            if len(words) > 1 and words[-1].isalpha():
                owners.setdefault(words[-1].lower(), set()).add(party.id)
    return {noun: frozenset(ids) for noun, ids in owners.items()}


def _alias_key(alias: str) -> str:
    return alias.replace("’", "'").lower()


@dataclass(frozen=True)
class HolderFinding:
    """A holder plus the token that carries the stance (the verb the holder is subject of, or a stance noun)."""

    holder: Holder
    anchor: int | None  # token index in the sentence doc
    has_cue: bool  # a speech/stance verb, noun or according-to made it a statement


def mention_tokens(doc, mentions: Sequence[Mention]) -> dict[int, str]:
    """Token index -> party for every token covered by a mention."""
    out: dict[int, str] = {}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            for token in span:
                out[token.i] = mention.party
    return out


def _party_of_phrase(head, token_party: dict[int, str]) -> tuple[str | None, bool]:
    """Party named by a noun phrase headed by `head`, and whether it names an unnamed official.

    Looks at the head, then its compound/poss/amod/appos/nmod children, then the rest of the phrase,
    skipping relative clauses and place prepositions ("officials in Doha").
    """
    if head.i in token_party:
        return token_party[head.i], False
    if any(c.dep_ == "amod" and c.lower_ in ("former", "retired", "ex") for c in head.children):
        return None, False  # "a former State Department official" speaks for no party
    anonymous = head.lemma_.lower() in ANONYMOUS_SPEAKERS
    for child in head.children:
        if child.dep_ in ("compound", "poss", "amod", "appos", "nmod", "npadvmod", "det") and child.i in token_party:
            return token_party[child.i], anonymous
    for child in head.children:
        if child.dep_ in ("compound", "poss", "appos", "nmod", "conj"):
            for token in _phrase_tokens(child):
                if token.i in token_party:
                    return token_party[token.i], anonymous
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "from") or (
                child.dep_ in ("acl", "prep") and head.lemma_.lower() in PUBLICATION_NOUNS):
            # "a commentary published in People's Daily", "an editorial in the Global Times"
            for token in _phrase_tokens(child):
                if token.i in token_party:
                    return token_party[token.i], anonymous
        party = _party_by_preposition(head, child, token_party)
        if party is not None:
            return party, anonymous
    return None, anonymous


_RANKS = frozenset("senior top high-ranking high-level government federal several other two three".split())


def _unqualified(noun) -> bool:
    """'officials', 'senior officials': not 'an aid official', 'Western officials' (someone else's people)."""
    return all(c.dep_ not in ("compound", "amod", "nmod") or c.lower_ in _RANKS for c in noun.children)


def _seat_of(verb, token_party: dict[int, str]) -> str | None:
    """The party a verb's place names: "In Dublin, officials said ..." (Dublin an alias of Ireland)."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.i in token_party:
                    return token_party[obj.i]
    return None


_COUNTERPART_PREPS = frozenset("with between against".split())


def _phrase_tokens(token):
    """The tokens of a phrase without its where/when clauses and counterparts: "residents of the town, where Israeli
    troops remain" and "two days of talks with federal mediators" are not Israel's or the mediators' people (while
    "a proposal, which American officials put forward" is theirs)."""
    yield token
    for child in token.children:
        if child.dep_ == "relcl" and any(c.lower_ in ("where", "when") for c in child.children):
            continue
        if child.dep_ == "prep" and child.lower_ in _COUNTERPART_PREPS and token.pos_ == "NOUN":
            continue  # "talks with the mediators" (not "officials familiar with its thinking")
        yield from _phrase_tokens(child)


def _party_by_preposition(head, child, token_party: dict[int, str]) -> str | None:
    """Whose people a phrase names through a preposition or a participle: "an official in Vale's office",
    "conservatives in the Southern Front", "an aide to Vale", "groups led by Odum".
    "Officials in Kyiv" are the government the config names by its seat; "diplomats in Doha" (a place) are no one's
    people; "people close to Vale" are sources who are no party: what they say is relayed only when it is a party's
    position."""
    lemma = head.lemma_.lower()
    objects = lambda prep: [o for o in prep.children if o.dep_ == "pobj"]  # noqa: E731
    if child.dep_ == "prep" and child.lower_ in ("in", "at", "within", "inside"):
        for obj in objects(child):
            if obj.i in token_party:
                if lemma in MEMBER_NOUNS or lemma in SEAT_NOUNS and _unqualified(head):
                    return token_party[obj.i]
                continue
            if obj.lemma_.lower() in INSTITUTION_NOUNS:
                for token in obj.children:
                    if token.dep_ in ("poss", "compound", "amod") and token.i in token_party:
                        return token_party[token.i]
    if child.dep_ == "prep" and child.lower_ == "to" and lemma in CLOSE_SPEAKERS:
        for obj in objects(child):
            party, _ = _party_of_phrase(obj, token_party)
            if party is not None:
                return party
    if child.dep_ == "acl" and child.lemma_.lower() in ("lead", "head", "organise", "organize", "represent"):
        return _agent_party(child, token_party)
    return None


def _agent_party(verb, token_party: dict[int, str]) -> str | None:
    """The party named by a passive verb's agent ('led by X', 'presented by X')."""
    for agent in verb.children:
        if agent.dep_ == "agent":
            for obj in agent.children:
                if obj.dep_ == "pobj":
                    party, _ = _party_of_phrase(obj, token_party)
                    if party is not None:
                        return party
    return None


_POSSESSIVE_PRONOUNS = frozenset("its their his her".split())
_SPOKESPEOPLE = frozenset("spokesman spokeswoman spokesperson".split())


def _is_generic_speaker(token) -> bool:
    """'he', 'they', 'the group', 'the ministry': a speaker named earlier. 'The Gaza health ministry' or
    'officials familiar with the talks' name someone else (or no one) and are not carried over."""
    if token.lower_ in PRONOUNS:
        return True
    if token.lower_ == "others":  # "Others said ...": the group just quoted (not "while others said ...")
        return token.head.dep_ == "ROOT" and all(c.dep_ in ("advmod", "amod", "cc", "punct") for c in token.children)
    if token.lemma_.lower() not in GENERIC_SPEAKERS:
        return False
    modifiers = [c for c in token.children if c.dep_ not in ("punct", "cc")]
    if not modifiers and token.tag_ == "NN":
        return True  # headline style: "Union Says"
    # "the group", "its leaders", "her spokesman", "the group's spokesman"; "a spokesman" speaks for the party
    # just named ("X declined to comment, but a spokesman said ...")
    articles = ("the", "this", "that", "a", "an") if token.lemma_.lower() in _SPOKESPEOPLE else ("the", "this", "that")
    owned = any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS for c in modifiers)
    return all(c.dep_ == "det" and c.lower_ in articles or
               c.dep_ == "poss" and (c.lower_ in _POSSESSIVE_PRONOUNS or _is_generic_speaker(c)) or
               owned and c.dep_ in ("compound", "amod") and not list(c.children)  # "its information ministry"
               for c in modifiers) and modifiers != []


def _sole_owner_of_title(subject, aliases: AliasIndex) -> str | None:
    """'one executive', 'an executive', 'executives': a bare title that ends the aliases of one party only
    ("studio executives") speaks for it."""
    owners = aliases.head_noun_owners(subject.lemma_) | aliases.head_noun_owners(subject.lemma_ + "s")
    if len(owners) != 1 or subject.pos_ != "NOUN" or subject.lemma_.lower() in ANONYMOUS_SPEAKERS:
        return None  # "an official said" is whoever the paragraph is about
    bare = all(c.dep_ == "det" and c.lower_ in ("a", "an") or c.dep_ == "nummod" and c.lower_ == "one"
               or c.dep_ == "punct" for c in subject.children)
    return next(iter(owners)) if bare else None


def _anonymous_of_antecedent(subject) -> bool:
    """'officials familiar with its thinking', 'people close to their leadership': unnamed officials of a party
    the sentence or the paragraph named before."""
    return subject.lemma_.lower() in ANONYMOUS_SPEAKERS and any(
        t.dep_ == "poss" and t.lower_ in _POSSESSIVE_PRONOUNS for t in _phrase_tokens(subject) if t.i != subject.i)


def _gives_no_answer(verb) -> bool:
    """'declined to comment', 'did not say whether ...', 'has not responded', 'made no comment', 'said nothing about':
    the subject states no position here."""
    lemma = verb.lemma_.lower()
    if lemma in ("decline", "refuse"):
        # "refused to give / provide guarantees" withholds a term: only declining to give details is no answer
        answers = NO_COMMENT_VERBS if lemma == "decline" else NO_COMMENT_VERBS - {"give", "provide"}
        # "declined to discuss"; the parser may hang "to discuss" as an adverbial clause ("declined on Friday to ...")
        return any(c.lemma_.lower() in answers and (c.dep_ == "xcomp" or c.dep_ == "advcl" and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in c.children)) for c in verb.children)
    if lemma in NO_ANSWER_VERBS and is_negated(verb):
        return True
    return lemma in ("say", "make", "have", "give", "offer") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in NO_ANSWER_OBJECTS
        and (c.lower_ == "nothing" or any(d.lower_ == "no" for d in c.children)) for c in verb.children)


def _covered_by_no_answer(verb) -> bool:
    """A clause under a party's non-answer ('did not say whether it would pull out', 'declined to say how much ...',
    'did not address the talks, saying only ...'); a clause joined to it ('..., but a spokesman said', 'though X
    said ...') speaks for itself."""
    for token in (verb, *verb.ancestors):
        if token.head.i == token.i or not _gives_no_answer(token.head):
            continue
        joined = token.dep_ == "conj" or token.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("though", "although", "but", "while", "whereas") for c in token.children)
        return not joined
    return False


def subject_party(doc, mentions: Sequence[Mention]) -> str | None:
    """The party the main clause's subject names, stated position or not ("Russia's envoy was more upbeat"): whom
    a 'he' in the next sentence means."""
    token_party = mention_tokens(doc, mentions)
    for root in (t for t in doc if t.dep_ == "ROOT"):
        subject = _subject_of(root)
        if subject is not None:
            party, _ = _party_of_phrase(subject, token_party)
            if party is not None:
                return party
    return None


def _subject_of(verb):
    """The subject token of a verb (passive agent first), climbing through xcomp/conj chains."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    subjects = [child for child in verb.children if child.dep_ in _SUBJECTS]
    if subjects:  # "Talks ... resumed, the spokesman said" may leave two subjects: the nearest is the speaker's
        return min(subjects, key=lambda child: abs(child.i - verb.i))
    if verb.dep_ == "ROOT" and verb.tag_.startswith(("VB", "NN")):
        # a headline's verb with its subject parsed as a compound ("DUP rejects backstop text")
        before = [c for c in verb.children if c.dep_ == "compound" and c.i < verb.i]
        if before:
            return before[-1]
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
        if verb.dep_ == "advcl" and verb.tag_ != "VBG":  # "saying ..." shares the subject; other advcl do not
            return None
        return _subject_of(verb.head)
    return None


def _is_hypothetical(verb) -> bool:
    """'It was unusual for an American president to announce ...': a 'for X to' clause is the writer's
    comment on a kind of act, not a statement."""
    return any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children)


def _is_counterfactual(verb) -> bool:
    """'Hamas could simply have agreed, he said': what a party did not do, in the speaker's words."""
    aux = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    return verb.tag_ == "VBN" and "have" in aux and any(a in ("could", "should", "would", "might") for a in aux)


def _states_nothing(token) -> bool:
    """'Israeli forces pressed an offensive', 'the council voted on the resolution': a deed or a procedure.
    'press' states a stance only with 'for' or someone pressed to act; 'vote' only for or against."""
    lemma = token.lemma_.lower()
    deps = {c.dep_: c for c in token.children}
    preps = {c.lower_ for c in token.children if c.dep_ in ("prep", "prt")}
    if lemma == "press":
        return not (preps & {"for", "ahead"} or "xcomp" in deps or "ccomp" in deps) and not (
            "dobj" in deps and deps["dobj"].pos_ in ("PROPN", "PRON"))
    if lemma == "vote":
        voted_on = any(obj.lemma_.lower() not in _TIME_WORDS for prep in token.children if prep.lower_ == "on"
                       for obj in prep.children if obj.dep_ == "pobj")  # not "voted on Monday"
        return voted_on and not preps & {"for", "against", "to"} and not any(
            c.dep_ in ("xcomp", "ccomp") for c in token.children)
    return False


_TIME_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday day night morning evening "
                        "weekend".split())


def _is_statement_verb(token) -> bool:
    lemma = token.lemma_.lower()
    if _states_nothing(token):
        return False
    if lemma in SPEECH_VERBS or lemma in STANCE_VERBS:
        return True
    if lemma in DIRECTIVE_VERBS and asks_for_action(token):
        return True  # "the union asked the company to restore the pension"
    if acts_collectively(token):
        return True  # "thousands of writers went on strike"
    return any((lemma, child.lower_) in PHRASAL_STANCES for child in token.children if child.dep_ in ("prt", "prep"))


# speech verbs with a common use that says nothing: "add twelve weeks of leave", "post a loss", "report earnings"
_ALSO_NOT_SPEECH = frozenset("add post report note".split())


def _speaks(verb, quoted: bool) -> bool:
    """Whether a speech verb is used for speech: not "would add twelve weeks of leave" (an object and no clause
    said, outside a quotation)."""
    if verb.lemma_.lower() not in _ALSO_NOT_SPEECH or quoted:
        return True
    return any(c.dep_ in ("ccomp", "parataxis") for c in verb.children) or not any(
        c.dep_ == "dobj" for c in verb.children)


def _clauses_below(verb, depth: int = 3):
    """Verbs in clauses under `verb` (breadth first)."""
    frontier, seen = [verb], {verb.i}
    for _ in range(depth):
        nxt = []
        for node in frontier:
            for child in node.children:
                if child.dep_ in _CLAUSE_DEPS and child.i not in seen:
                    seen.add(child.i)
                    nxt.append(child)
                    yield child
        frontier = nxt


def find_holder(doc, mentions: Sequence[Mention], aliases: AliasIndex, context_party: str | None,
                context_speaker: str | None = None) -> HolderFinding:
    """Resolve the holder of the position stated in one parsed sentence.

    `context_party` is the last named holder in the paragraph (for "he said", "the group said").
    `context_speaker` is the party of the last speaker when that differs from the holder ("Blinken said Hamas had
    asked for changes"): 'he' and 'she' are people, so they are the speaker, while "it" and "the group" may be
    the relayed party.
    """
    token_party = mention_tokens(doc, mentions)
    quoted = any(ch in doc.text for ch in QUOTE_CHARS)
    if _is_caption(doc):
        return HolderFinding(Holder(None), None, False)

    # 1. "according to X"
    according_party, according_anonymous, according_document = None, False, False
    roots = [t for t in doc if t.dep_ == "ROOT"]
    for token in doc:
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            objects = [obj for to in token.children if to.lower_ == "to"
                       for obj in to.children if obj.dep_ == "pobj"]
            for obj in objects:
                according_party, according_anonymous = _party_of_phrase(obj, token_party)
                according_document = obj.lemma_.lower() in DOCUMENT_NOUNS
                if according_document and according_party is None:
                    according_party = _publisher(obj, token_party)  # "a fact sheet released by the White House"
                named = {token_party[t.i] for t in obj.subtree if t.i in token_party}
                if len(named) > 1:  # "according to Irish and British officials": the one the main clause names
                    subjects = [_subject_of(root) for root in roots]
                    own = [p for p in (_party_of_phrase(s, token_party)[0] for s in subjects if s is not None)
                           if p in named]
                    according_party = own[0] if own else according_party
            # a misparse may leave 'to' without its object; an object that names no party ("officials
            # familiar with the talks") is a source who is no party, not the next party the sentence names
            if according_party is None and not objects:
                following = [t for t in doc[token.i:] if t.i in token_party]
                according_party = token_party[following[0].i] if following else None

    colon = _colon_speaker(doc, token_party)  # a headline's "Vale: Southland Must Accept the Truce"
    if colon is not None:
        return _finding(colon[1], "said_subject", doc, colon[0], roots[0].i if roots else None)

    # 2. subject of a speech or stance verb, nearest the root first
    ordered = []
    for root in roots:
        ordered.append(root)
        ordered.extend(_clauses_below(root, depth=4))
    with_speakers = _with_clauses(ordered)
    ordered.extend(with_speakers)
    speaker = None  # (verb, party, attribution, subject token)
    # "X declined to comment", "X did not say whether": no position, unless another clause speaks ("..., but a
    # spokesman said")
    declined = False
    for verb in ordered:
        if _is_hypothetical(verb) or _is_counterfactual(verb):
            continue
        if _gives_no_answer(verb) and _subject_of(verb) is not None:
            declined = True
            continue
        if not (_is_statement_verb(verb) or _stance_adjective_head(verb)) or _covered_by_no_answer(verb) \
                or not _speaks(verb, quoted):  # "Boeing reported a loss", "the deal adds two weeks"
            continue
        subject = _subject_of(verb)
        if subject is None:
            continue
        if _both_sides(subject) and aliases.two_sides():  # "the two sides agreed to ...": both principals
            speaker = (verb, aliases.two_sides()[0], "joint_subject", subject)
            break
        party, anonymous = _party_of_phrase(subject, token_party)
        if party is None and subject.lemma_.lower() in SEAT_NOUNS and _unqualified(subject):
            party, anonymous = _seat_of(verb, token_party), True  # "In Dublin, officials said ..."
        if party is not None:
            attribution = "anonymous_official" if anonymous else ("direct_quote" if quoted else "said_subject")
            speaker = (verb, party, attribution, subject)
            break
        if _is_generic_speaker(subject):
            carried = _generic_speaker_party(doc, subject, token_party, aliases, context_party, context_speaker)
            if carried and verb.lemma_.lower() in SPEECH_VERBS | set(STANCE_VERBS):
                speaker = (verb, carried, "carried_over", subject)
                break
            continue
        owner = _sole_owner_of_title(subject, aliases)
        if owner is not None and verb.lemma_.lower() in SPEECH_VERBS:  # "one executive said" (studio executives)
            speaker = (verb, owner, "anonymous_official", subject)
            break
        if _anonymous_of_antecedent(subject) and verb.lemma_.lower() in SPEECH_VERBS:
            carried = _antecedent(doc, subject, token_party) or context_party
            if carried:
                speaker = (verb, carried, "anonymous_official", subject)
                break
        if subject.dep_ == "nsubj" and subject.lemma_.lower() in DOCUMENT_NOUNS | PLAN_WORDS:  # "its proposal says"
            owner = _document_owner(doc, subject, token_party, context_party)
            if owner is not None:
                speaker = (verb, owner, "possessive", subject)
                break
        member = aliases.member_of(subject.lemma_) if subject.tag_ == "NN" else None
        if member is not None and verb.lemma_.lower() in SPEECH_VERBS:  # "said a machinist at the Renton plant"
            speaker = (verb, member, "direct_quote" if quoted else "said_subject", subject)
            break
        if verb.lemma_.lower() in SPEECH_VERBS and subject.pos_ in ("NOUN", "PROPN"):
            # "a person familiar with the talks said Ford ..."
            relayed = _relayed_position(verb, None, token_party, aliases.two_sides())
            if relayed is not None and (subject.lemma_.lower() in COMMENTATOR_NOUNS or _inside_quotes(
                    doc, relayed[0]) and subject.lemma_.lower() not in ANONYMOUS_SPEAKERS):
                relayed = None  # an analyst's reading ("Analysts said Ford could hardly afford ..."), or a speaker's
                # own words: '"... what the union says about wages," a consultant said'
            if relayed is not None:
                anonymous = subject.lemma_.lower() in ANONYMOUS_SPEAKERS
                return _finding(relayed[1], "anonymous_official" if anonymous else "said_subject", doc, subject,
                                relayed[0].i)
            if according_party is not None and according_document:
                break  # "The offer stated ..., according to a summary Southland posted": the publisher's
            return HolderFinding(Holder(None), None, False)  # a speaker who is not a party: analysts, residents

    if speaker is None and declined:
        return HolderFinding(Holder(None), None, False)
    if speaker is not None:
        verb, party, attribution, subject = speaker
        relayed = _relayed_position(verb, party, token_party, aliases.two_sides())
        if relayed is not None:
            inner_verb, inner_party = relayed
            return _finding(inner_party, "said_subject", doc, subject, inner_verb.i, relayed_by=party)
        relayed_by = according_party if according_party and according_party != party else None
        if verb in with_speakers and roots and (_is_statement_verb(roots[0]) or states_stance(roots[0])):
            verb = roots[0]  # "Southland objected, with Odum calling it unfair": the main clause carries the stance
        return _finding(party, attribution, doc, subject, verb.i, relayed_by=relayed_by)

    if according_document:  # "Northland will withdraw, according to a text released by Southland": a commitment
        for root in roots:
            subject = _subject_of(root)
            if subject is not None and _commits(root) and _names_a_party(subject, token_party):
                party, _ = _party_of_phrase(subject, token_party)
                if party is not None:
                    relayed_by = according_party if according_party != party else None
                    return _finding(party, "according_to", doc, subject, root.i, relayed_by=relayed_by)

    if according_party is not None:
        anchor = roots[0].i if roots else None
        return _finding(according_party, "anonymous_official" if according_anonymous else "according_to",
                        doc, None, anchor)

    # 3. a party's stance noun: "Hamas's demand for ...", "the Israeli proposal", "X's opposition to"
    for token in doc:
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in STANCE_NOUNS:
            party, _ = _party_of_phrase(token, token_party)
            if party is not None:
                return _finding(party, "possessive", doc, None, token.i)

    # 3b. "GM put its first wage proposal on the table": the owner of "its" is the subject of the verb
    for token in doc:
        if token.pos_ == "NOUN" and token.lemma_.lower() in STANCE_NOUNS and token.dep_ in ("dobj", "nsubjpass") \
                and any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her") for c in token.children):
            subject = _subject_of(token.head)
            party = _party_of_phrase(subject, token_party)[0] if subject is not None else None
            if party is not None:
                return _finding(party, "said_subject", doc, subject, token.i)

    # 3b'. a speaker the clause chain misses: "..., the group announced" parsed under an object, "a list of changes
    # it said would ..." (not one in a condition or time clause: "once the IAEA confirms that ...")
    for verb in doc:
        if verb.lemma_.lower() not in SPEECH_VERBS or verb in ordered or _in_adverbial_clause(verb):
            continue
        if verb.dep_ == "relcl" and not any(c.dep_ == "ccomp" for c in verb.children):
            continue  # "the proposal, which Vale described as generous": a word on the plan, not its holder
        subject = _subject_of(verb)
        if subject is None or not any(c.i == subject.i for c in verb.children):
            continue
        party, anonymous = _party_of_phrase(subject, token_party)
        if party is None and _is_generic_speaker(subject):
            party = _generic_speaker_party(doc, subject, token_party, aliases, context_party, context_speaker)
            if party is not None:
                return _finding(party, "carried_over", doc, subject, roots[0].i if roots else verb.i)
        if party is not None:  # what is stated is the main clause: the root carries the stance
            return _finding(party, "anonymous_official" if anonymous else "said_subject", doc, subject,
                            roots[0].i if roots else verb.i)

    # 3c. a party's plan that would do something ("The Northern bill would ...", "Vale reintroduced his bill,
    # which would ...", "Southland passed a bill that would ...")
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in PLAN_WORDS:
            continue
        if token.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ in ("would", "will") for c in token.head.children):
            party, _ = _party_of_phrase(token, token_party)
            if party is not None:
                return _finding(party, "possessive", doc, None, token.i)
        if token.dep_ == "dobj" and token.head.lemma_.lower() in PRESENTING_VERBS and any(
                c.dep_ in ("relcl", "acl", "prep") for c in token.children) or (
                token.dep_ == "dobj" and any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her")
                                             for c in token.children)):
            subject = _subject_of(token.head)
            party = _party_of_phrase(subject, token_party)[0] if subject is not None else None
            if party is not None:
                return _finding(party, "said_subject", doc, subject, token.head.i)

    # 4. the terms of a plan: its owner ("Under the plan Northland sent ..."), else the plan named earlier in the
    # paragraph ("Under the plan, X would ...", "The first phase would ..."), else the party that commits to it
    plan = _plan_terms(doc)
    if plan is not None:
        owner = _publisher(plan, token_party) or _party_of_phrase(plan, token_party)[0]
        if owner is not None:
            return _finding(owner, "possessive", doc, None, plan.i)
        if context_party:
            return _finding(context_party, "carried_over", doc, None, plan.i)
        for root in roots:
            subject = _subject_of(root)
            if subject is not None and _commits(root) and _names_a_party(subject, token_party):
                party, _ = _party_of_phrase(subject, token_party)
                if party is not None:
                    return _finding(party, "subject", doc, subject, root.i)

    # 5. a party as the subject of the main clause, with a stance adjective ("Hamas is ready to ..."), then
    # 6. a deed a stance word names ("Ford became the first automaker to make a counteroffer, proposing raises")
    for states in (_stance_adjective_head, states_stance):
        for root in roots:
            subject = _subject_of(root)
            if subject is not None and states(root):
                party, _ = _party_of_phrase(subject, token_party)
                if party:
                    return _finding(party, "subject", doc, subject, root.i)

    # 7. a headline tells what its subject does: "Southland Concedes on Truce Date", "Vale Won't Budge on Truce"
    if _is_headline(doc):
        for root in roots:
            if _only_a_trip(root):
                continue
            subject = _subject_of(root)
            if subject is not None and root.pos_ in ("VERB", "AUX") and _names_a_party(subject, token_party):
                party, _ = _party_of_phrase(subject, token_party)
                if party:
                    return _finding(party, "subject", doc, subject, root.i)
        opening = _headline_subject(doc, token_party)
        if opening is not None:
            subject, verb = opening
            return _finding(token_party[subject.i], "subject", doc, subject, verb.i)
    return HolderFinding(Holder(None), None, False)


# a headline's trip or meeting is no position: "Defense Minister Visits Washington", "Envoy Arrives in Beirut"
_JOURNEY_VERBS = frozenset("visit travel arrive fly head meet return leave tour land".split())


def _only_a_trip(verb) -> bool:
    """A headline's trip or meeting, with no second predicate ("Envoy Flies to Mekelle and Presses for ...", whose
    "presses" the parser may misread)."""
    return verb.lemma_.lower() in _JOURNEY_VERBS and not any(t.lower_ == "and" for t in verb.doc[verb.i:])


# verbs of headlines the parser reads as adjectives or nouns ("Teamsters Open UPS Talks")
_HEADLINE_VERBS = frozenset("open opens end ends seek seeks resume resumes begin begins start starts "
                            "vow vows".split())


def _headline_subject(doc, token_party: dict[int, str]):
    """A headline opening with parties and then its verb, which the parser may have read as a noun ("Writers
    Ratify Contract ...", "Boeing Machinists Open Talks ..."): (the subject's party token, the verb).
    With two parties joined by "and", the first; in a compound ("Boeing Machinists"), the last."""
    run = [t for t in doc if not t.is_space]
    named, joined, position = [], False, 0
    for position, token in enumerate(run):
        if token.i in token_party:
            named.append(token)
        elif token.lower_ == "and" and named:
            joined = True
        elif token.lower_ not in ("the", "'s", "’s") or named:
            break
    else:
        return None
    verb = run[position]
    if _only_a_trip(verb):
        return None
    verb_words = SPEECH_VERBS | DEAL_CLOSING_VERBS | set(STANCE_VERBS) | _HEADLINE_VERBS
    if not named or run[position - 1].lower_ in ("and", "'s", "’s") or not (
            verb.pos_ in ("VERB", "AUX") or verb.lemma_.lower() in verb_words or verb.lower_ in _HEADLINE_VERBS):
        return None  # "Iran Nuclear Talks Open ...": a noun phrase goes on
    return (named[0] if joined else named[-1]), verb


def _is_caption(doc) -> bool:
    """A photo caption: a sentence with no finite verb ('President Vale speaking to reporters in the capital on
    Monday.'); a headline without one ('Southland Weighing Truce Offer') is read as a headline. A past participle
    may be a past tense the parser misread ('The talks stalled over ...'), so it makes no caption."""
    text = doc.text.rstrip()
    return text.endswith(".") and not any(ch in text for ch in QUOTE_CHARS) and not any(
        t.tag_ in ("VBD", "VBN", "VBZ", "VBP", "MD") for t in doc)


def _is_headline(doc) -> bool:
    """A short line without a full stop: a headline."""
    text = doc.text.rstrip()
    return bool(text) and len(doc) <= 24 and not text.endswith((".", "?", "!", '"', "”", "'", "’"))


def _in_adverbial_clause(token) -> bool:
    """The token's clause, or one above it, opens with 'if', 'once', 'after' ..."""
    while True:
        if any(c.dep_ == "mark" and c.lower_ in _ADVERBIAL_MARKS for c in token.children):
            return True
        if token.head.i == token.i:
            return False
        token = token.head


def _with_clauses(verbs):
    """'..., with Vale saying the truce had failed': a speaker in a 'with' phrase of a clause."""
    out = []
    for verb in verbs:
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "with":
                out.extend(c for c in prep.children if c.dep_ in ("pcomp", "pobj") and c.tag_ == "VBG"
                           and any(s.dep_ in _SUBJECTS for s in c.children))
    return out


def _generic_speaker_party(doc, subject, token_party: dict[int, str], aliases: AliasIndex,
                           context_party: str | None, context_speaker: str | None) -> str | None:
    """Whose a generic speaker is: "the commission" is the one party with a "... Commission" alias; "a spokesman"
    or "its ministry" speaks for a party the sentence named before it; "he" or "she" is the last speaker; else the
    party in context."""
    owners = aliases.head_noun_owners(subject.lemma_)
    if len(owners) == 1:
        return next(iter(owners))
    determiners = [c.lower_ for c in subject.children if c.dep_ in ("det", "poss")]
    if owners and context_party not in owners and determiners == ["the"]:
        return None  # "the government" is one of the parties called so, not the party in context (a unionist party)
    if any(c.lower_ in ("a", "an") or c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS for c in subject.children):
        antecedent = _antecedent(doc, subject, token_party)  # "X ..., but a spokesman said", "..., its ministry said"
        if antecedent is not None:
            return antecedent
    if _unaligned_antecedent(doc, subject, token_party):
        return None  # "Chris Heaton-Harris postponed the election he had threatened": he is no party's
    carried = context_speaker if context_speaker and subject.lower_ in ("he", "she") else context_party
    return carried or _antecedent(doc, subject, token_party)


_PEOPLE_NOUNS = ANONYMOUS_SPEAKERS | COMMENTATOR_NOUNS | frozenset("politician resident lawmaker critic".split())


def _unaligned_antecedent(doc, pronoun, token_party: dict[int, str]) -> bool:
    """'he' or 'they' after a subject in the same sentence that names a person or people of no party ("When
    President Biden visited Belfast, he urged ...", "Unionist politicians condemned the comments, which they
    said ..."): the pronoun is theirs, not the party in context."""
    if pronoun.lower_ not in ("he", "she", "they"):
        return False
    for token in doc[:pronoun.i]:
        if token.dep_ != "nsubj" or _names_a_party(token, token_party):
            continue
        if pronoun.lower_ == "they" and token.tag_ == "NNS" and token.lemma_.lower() in _PEOPLE_NOUNS:
            return True
        if pronoun.lower_ != "they" and token.tag_ == "NNP" and any(  # a name: "Chris Heaton-Harris"
                c.dep_ == "compound" and c.tag_ == "NNP" for c in token.children) and not any(
                t.i in token_party for t in token.subtree) and not _inside_quotes(doc, token):
            return True
    return False


def _antecedent(doc, speaker, token_party: dict[int, str]) -> str | None:
    """With nothing to carry over, "it", "its leaders" or "the union" at the end of a sentence refers back to a
    party that is the subject of a clause before it ("Southern fighters left, the group said")."""
    for token in doc[:speaker.i]:
        if token.dep_ in ("nsubj", "nsubjpass") and _names_a_party(token, token_party):
            party, _ = _party_of_phrase(token, token_party)
            if party is not None:
                return party
    return None


def _document_owner(doc, noun, token_party: dict[int, str], context_party: str | None) -> str | None:
    """Who speaks through a document or plan that a sentence has speak ("The declaration, signed by X, says",
    "Its proposal says", "The draft calls for"): its publisher, else the party that "its" or "the" points back to."""
    publisher = _publisher(noun, token_party)
    if publisher is not None:
        return publisher
    if any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children):
        return _antecedent(doc, noun, token_party) or context_party
    if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children):
        return context_party
    return None


def _colon_speaker(doc, token_party: dict[int, str]):
    """A headline's 'Vale: Southland Must Accept the Truce': the party before the colon speaks."""
    colons = [t for t in doc[:6] if t.text == ":"]
    if not colons or not all(t.i in token_party for t in doc[:colons[0].i] if not t.is_punct):
        return None
    if colons[0].i == 0 or colons[0].i >= len(doc) - 2:
        return None
    return doc[0], token_party[doc[0].i]


def _publisher(noun, token_party: dict[int, str]) -> str | None:
    """Who issued a document or a plan: "a fact sheet released by X", "the summary X sent", "the terms X tabled"
    (not "the proposal, which X described as generous")."""
    for clause in noun.children:
        if clause.dep_ not in ("acl", "relcl") or clause.lemma_.lower() not in ISSUING_VERBS:
            continue
        party = _agent_party(clause, token_party)
        if party is not None:
            return party
        for child in clause.children:
            if child.dep_ == "nsubj" and clause.dep_ == "relcl":
                party, _ = _party_of_phrase(child, token_party)
                if party is not None:
                    return party
    return None


def _plan_terms(doc):
    """The plan noun of a sentence that spells out a plan's terms with 'would' or 'will', else None."""
    for token in doc:
        if token.lemma_.lower() not in PLAN_WORDS or token.pos_ != "NOUN":
            continue
        head = token.head
        if token.dep_ == "pobj" and head.lower_ == "under" and _in_main_clause(head):
            return token  # not "a list of prisoners who could be freed under the deal"
        if token.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ in ("would", "will") for c in head.children):
            return token
        if token.dep_ == "nsubj" and head.lemma_.lower() in PLAN_CONTENT_VERBS \
                and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children):
            return token  # "The proposal, which ..., also included ...": the plan named before
    for token in doc:  # "It did not include ...": the plan named in the sentence before
        if token.lower_ == "it" and token.dep_ == "nsubj" and token.head.dep_ == "ROOT" \
                and token.head.lemma_.lower() in PLAN_CONTENT_VERBS:
            return token
    return None


# heads whose relative clause tells when the thing reported was made ("the proposal, which Israel presented on
# Monday, would ..."); the verbs of a speaker's setting ("Lavrov, who was visiting Tehran on Tuesday, said ...")
_DATED_HEADS = PLAN_WORDS | DOCUMENT_NOUNS | frozenset(
    "response reply resolution video message interview speech talk one".split())


def clauses_in_passing(doc, anchor: int | None) -> list[tuple[int, int]]:
    """Character spans of the relative and past-participle clauses that describe a party, a person or an event in
    passing ("Sinn Féin, which won the most seats in May, said ...", "the truce, signed on March 24, had ..."):
    their dates are not when the position was stated. Kept: the clause that holds the holder's verb (`anchor`),
    clauses on a plan or document (they date it), a speaker's setting, and captions (no finite verb)."""
    if not any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in doc):
        return []
    spans = []
    for clause in doc:
        head = clause.head
        if clause.dep_ not in ("relcl", "acl") or head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "ROOT":
            continue
        if (clause.dep_ == "acl" and clause.tag_ != "VBN") or clause.tag_ == "VBG":  # "speaking in Riyadh on Monday"
            continue
        lemma = clause.lemma_.lower()
        if head.lemma_.lower() in _DATED_HEADS or lemma in SPEECH_VERBS or lemma in SETTING_VERBS:
            continue
        words = list(clause.subtree)
        if anchor is not None and any(t.i == anchor for t in words):
            continue
        spans.append((words[0].idx, words[-1].idx + len(words[-1])))
    return spans


def _in_main_clause(token) -> bool:
    """No relative or adjectival clause between the token and the root."""
    while token.head.i != token.i:
        if token.dep_ in ("relcl", "acl"):
            return False
        token = token.head
    return True


def _stance_adjective_head(verb) -> bool:
    return any(c.dep_ in ("acomp", "attr") and c.lemma_.lower() in STANCE_ADJECTIVES for c in verb.children)


def _relayed_position(verb, speaker_party: str, token_party: dict[int, str], two_sides: tuple[str, ...] = ()):
    """'Qatar said Hamas had accepted ...': a stance verb in the reported clause whose subject is another party
    (or "the two sides", the first of `two_sides`); for a speaker who is no party, also a party's plan ("people
    familiar with the talks said Ford's offer would ...")."""
    if verb.lemma_.lower() not in REPORTING_VERBS:
        return None
    for inner in _clauses_below(verb, depth=2):
        if inner.dep_ not in ("ccomp", "conj", "parataxis"):
            continue
        if inner.head.i != verb.i and inner.head.lemma_.lower() in FORECAST_VERBS:
            continue  # "said he did not expect the EU to offer more": the speaker's forecast, not the EU's word
        willing = _stance_adjective_head(inner) or (  # "Ford was prepared to offer ...", "Ford ready to offer"
            inner.pos_ == "ADJ" and inner.lemma_.lower() in STANCE_ADJECTIVES)
        stance_verb = inner.lemma_.lower() in STANCE_VERBS or any(
            (inner.lemma_.lower(), c.lower_) in PHRASAL_STANCES for c in inner.children)
        # a speaker who is no party relays what a party said, too: "a person familiar with the talks said Ford
        # had signaled that it might go higher"
        relayed_speech = inner.lemma_.lower() in SPEECH_VERBS and (speaker_party is None or any(
            c.dep_ == "ccomp" for c in inner.children))  # "Qatar said the Taliban had signalled they would ..."
        # "Oman conveyed Iran's acceptance": the stance noun's owner holds what another party passes on
        for obj in inner.children:
            if obj.dep_ == "dobj" and inner.lemma_.lower() in CONVEYING_VERBS and obj.lemma_.lower() in STANCE_NOUNS:
                owner, _ = _party_of_phrase(obj, token_party)
                if owner is not None and owner != speaker_party:
                    return obj, owner
        # "the Chinese side had asked to strike out language": a request is the asking party's position
        request = inner.lemma_.lower() in DIRECTIVE_VERBS and any(c.dep_ == "xcomp" for c in inner.children)
        # "said Stellantis was weighing whether to combine ...": what a party is weighing is its own
        weighing = inner.lemma_.lower() in INTENTION_VERBS
        # a source who is no party relays what a party will or will not do: "Ford would not raise its offer, a
        # person familiar with the talks said", "the studios are against a ban, people familiar said"
        commitment = speaker_party is None and _commits(inner) and not any(c.dep_ == "auxpass" for c in inner.children)
        if not (willing or stance_verb or relayed_speech or request or weighing or commitment):
            continue
        if has_obligation_modal(inner) or inner.dep_ == "conj" and has_obligation_modal(inner.head):
            continue  # "Hamas must accept" (or "must come and accept", "needs to accept") is the speaker's demand
        if any(c.dep_ == "mark" and c.lower_ in _ADVERBIAL_MARKS for c in inner.children):
            continue  # "... but only if the union agreed": a condition the speaker sets, not a relayed position
        subject = _subject_of(inner)
        if subject is not None and two_sides and _both_sides(subject) and speaker_party not in two_sides:
            return inner, two_sides[0]  # a mediator: "he said the two parties had agreed to ..."
        if subject is None:
            continue
        if not _names_a_party(subject, token_party):
            if speaker_party is None and subject.lemma_.lower() in PLAN_WORDS:
                owner, _ = _party_of_phrase(subject, token_party)  # "diplomats said Southland's offer would ..."
                if owner is not None:
                    return inner, owner
            continue
        party, _ = _party_of_phrase(subject, token_party)
        if party and party != speaker_party:
            return inner, party
    return None


_FOR_OR_AGAINST = frozenset("opposed oppose against open committed commit".split())


def _commits(verb) -> bool:
    """A clause stating what its subject will, would or can do, or what it is for or against."""
    if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "wo", "can", "could", "ca") for c in verb.children):
        return True
    if verb.lemma_.lower() == "be":
        return any(c.dep_ == "prep" and c.lower_ in ("against", "for") or
                   c.dep_ == "acomp" and c.lemma_.lower() in _FOR_OR_AGAINST
                   for c in verb.children)
    return False


def _names_a_party(subject, token_party: dict[int, str]) -> bool:
    """The subject is a party or one of its people ("Hamas", "Hamas's leaders", "the leadership of Hamas"), not a
    thing a party is merely attached to ("the timing of Mr. Netanyahu's remarks")."""
    if subject.i in token_party or subject.lower_ in PRONOUNS:
        return True
    if subject.lemma_.lower() in GENERIC_SPEAKERS | ANONYMOUS_SPEAKERS:
        return True
    return any(c.i in token_party for c in subject.children
               if c.dep_ in ("compound", "amod", "appos", "nmod", "npadvmod"))  # not "Mr. Netanyahu's remarks"


def _both_sides(token) -> bool:
    """'the two sides', 'both parties', and their people: 'officials on both sides', 'negotiators from both sides'
    (not 'officials on both sides of the border')."""
    if token.lemma_.lower() in ("side", "party") and token.tag_ == "NNS":
        return names_both_sides(token)
    return token.lemma_.lower() in _SPEAKER_NOUNS | ANONYMOUS_SPEAKERS and any(
        prep.dep_ == "prep" and prep.lower_ in ("on", "from", "of") and any(
            _both_sides(obj) and not any(c.dep_ == "prep" for c in obj.children)
            for obj in prep.children if obj.dep_ == "pobj") for prep in token.children)


def joint_holders(doc, anchor: int | None, token_party: dict[int, str], holder_party: str,
                  two_sides: tuple[str, ...] = ()) -> list[str]:
    """Other parties conjoined with the holder in the subject of its verb: "Biden and McCarthy struck a deal",
    "Ethiopia and the Tigrayan forces agreed to ..."; the other principal of "the two sides" (`two_sides`: see
    AliasIndex.two_sides). They hold the same position."""
    if anchor is None:
        return []
    subject = _subject_of(doc[anchor])
    if subject is None:
        return []
    if _both_sides(subject) and holder_party in two_sides:
        return [party for party in two_sides if party != holder_party]
    found = []
    for token in subject.conjuncts:
        party, _ = _party_of_phrase(token, token_party)
        if party is not None and party != holder_party and party not in found:
            found.append(party)
    return found


def quote_marks(text: str) -> int:
    return sum(text.count(ch) for ch in QUOTE_CHARS)


def _inside_quotes(doc, token) -> bool:
    """Whether the token stands inside a quotation of the sentence (an odd number of quote marks before it)."""
    return quote_marks(doc.text[:token.idx]) % 2 == 1


def continues_quote(text: str) -> bool:
    """Whether a sentence is nothing but the continuation of a quotation: it opens with a quote mark, or closes
    one it did not open (the last sentence of a quotation running over several), and says nothing outside the
    quote marks ('"..., " said an analyst.' names its own speaker)."""
    text = text.strip()
    if not quote_marks(text):
        return False
    closes_earlier = quote_marks(text) % 2 == 1 and text[-1] in QUOTE_CHARS
    if text[0] not in QUOTE_CHARS and not closes_earlier:
        return False
    parts = _QUOTE_SPLIT.split(text)
    outside = parts[1::2] if closes_earlier else parts[0::2]
    return not any(ch.isalpha() for part in outside for ch in part)


def quote_continuation(doc, quoted: Holder) -> HolderFinding:
    """The holder of an unattributed sentence that goes on with the quotation of the sentence before it
    ('"The pension was taken from us," Mr. Holden said. "We intend to get it back."'): that quotation's holder."""
    roots = [t.i for t in doc if t.dep_ == "ROOT"]
    holder = Holder(quoted.party, "carried_over", quoted.speaker, quoted.relayed_by,
                    _ATTRIBUTION_CONFIDENCE["carried_over"])
    return HolderFinding(holder, roots[0] if roots else None, True)


def _finding(party, attribution, doc, subject, anchor, relayed_by=None) -> HolderFinding:
    speaker_text = None
    if subject is not None:
        tokens = [t for t in subject.subtree if t.dep_ not in ("relcl", "acl", "punct")]
        speaker_text = doc[tokens[0].i:tokens[-1].i + 1].text if tokens else subject.text
        if len(speaker_text) > 80:
            speaker_text = subject.text
    holder = Holder(party, attribution, speaker_text, relayed_by, _ATTRIBUTION_CONFIDENCE[attribution])
    return HolderFinding(holder, anchor, True)
