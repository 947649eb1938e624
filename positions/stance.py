"""Stance of the holder: demand, propose, accept, reject, support, oppose or report, with negation."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (ABANDON_VERBS, AGREEMENT_VERBS, ANONYMOUS_SPEAKERS, ASSISTANCE_WORDS, COMMITMENT_VERBS,
                      CONCESSION_VERBS, CONDITION_MARKERS, CONSIDERATION_VERBS, DEAL_CLOSING_VERBS, DEAL_MAKING_VERBS,
                      DEAL_NOUNS, DIRECTIVE_VERBS, DISMAY_PARTICIPLES, ENCOURAGING_VERBS, FALL_SHORT_OBJECTS,
                      FALL_SHORT_VERBS, FAVOURABLE_ADVERBS, FUTURE_MODALS, GENERIC_SPEAKERS,
                      HYPOTHETICAL_OR_TEMPORAL_MARKERS, LACKING_VERBS, MODALS_OF_OBLIGATION, NEGATED_STANCE,
                      NEGATIVE_EVALUATION, NO_COMMENT_VERBS, PHRASAL_STANCES, PLAN_NOUNS, POSITIVE_EFFECT_VERBS,
                      POSITIVE_EVALUATION, POSSIBILITY_MODALS, PROCESS_VERBS, PRONOUNS, RESISTANCE_VERBS,
                      SPEECH_VERBS, STANCE_ADJECTIVES, STANCE_NOUNS, STANCE_VERBS)

_FOLLOW_DEPS = ("ccomp", "xcomp", "advcl", "conj", "dobj", "pobj", "prep", "acomp", "attr", "relcl", "pcomp",
                "parataxis", "oprd", "nsubjpass", "nsubj", "acl", "dative", "appos")
_NEGATORS = frozenset("not n't never no neither nor".split())
_REFUSAL = frozenset("refuse decline fail reject".split())
_SETTLEMENTS = DEAL_NOUNS | frozenset("truce ceasefire cease-fire peace".split())  # "pressed for the truce"


@dataclass(frozen=True)
class StanceReading:
    stance: str
    cue: str | None  # the word that decided it
    negated: bool = False
    # how it was read: "word" (a stance word), "condition", "directive" ("X should accept", "both sides should go
    # further"), "obligation" ("Eritrea must withdraw"), "vow" ("X vows to ...", "could ... if ..."), "announcement"
    # ("X said it would cut jobs"), "terms" (a plan's terms spelled out), "status" (how the talks stand),
    # "aspiration" ("hoped to reach a fair deal")
    kind: str = "word"


_NOMINAL_DEPS = frozenset("nsubj nsubjpass dobj pobj attr appos conj".split())


def _is_noun(token) -> bool:
    """A noun, or a rare noun the tagger took for an adjective in a noun's place ("made a counterproposal")."""
    return token.pos_ == "NOUN" or (token.pos_ == "ADJ" and token.dep_ in _NOMINAL_DEPS and token.tag_ != "JJR")


def _no_longer(token) -> bool:
    """'no longer acceptable', 'no longer willing'."""
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in token.children)


def is_negated(token) -> bool:
    """Negation on the token itself or, for an infinitive or participle, on the verb that governs it."""
    if any(c.dep_ == "neg" or c.lower_ in _NEGATORS for c in token.children) or _no_longer(token):
        return True
    head = token.head
    if token.dep_ in ("xcomp", "acomp", "oprd") and head.i != token.i:
        return any(c.dep_ == "neg" for c in head.children) or _no_longer(head)
    return False


def verb_lemma(token, vocabulary=STANCE_VERBS) -> str:
    """The token's lemma, mended where the small model's lemmatiser strips too much ('hoped' -> 'hop', 'staged' ->
    'stag'): an inflected verb whose lemma is not in `vocabulary` is looked up there by its regular base forms."""
    lemma = token.lemma_.lower()
    if lemma in vocabulary or token.tag_ not in ("VBD", "VBN", "VBG", "VBZ"):
        return lemma
    word = token.lower_
    for suffix, restore in (("ed", "e"), ("ing", "e"), ("es", "e"), ("d", ""), ("s", "")):
        if word.endswith(suffix) and (candidate := word[: -len(suffix)] + restore) in vocabulary:
            return candidate
    return lemma


# A party's people acting together for their side: "went on strike", "walked out", "walked off the job",
# "picketed", "marched", "stayed on the picket lines", "staged a walkout".
_ACTION_VERBS = frozenset("picket march rally demonstrate".split())
_STOPPAGE_NOUNS = frozenset("strike walkout stoppage".split())  # and a line of pickets, see _is_stoppage
_PROTEST_NOUNS = frozenset("rally protest demonstration sit-in".split())  # "held rallies", "staged protests"
_STOPPAGE_VERBS = frozenset("go stay remain stage call begin join hold".split())
_COLLECTIVE_VERBS = _ACTION_VERBS | _STOPPAGE_VERBS | {"walk"}
_ARMED_NOUNS = frozenset("troop force soldier army military militant fighter tank unit".split())
_YEAR = re.compile(r"(?:19|20)\d\d")


def acts_collectively(verb) -> bool:
    """Whether a verb is a collective act of protest by its subject's side (not troops marching, and not one
    dated "in 2008": history)."""
    if verb.pos_ != "VERB" or any(t.lemma_.lower() in _ARMED_NOUNS for c in verb.children
                                  if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree):
        return False
    if any(c.dep_ == "prep" and c.lower_ == "in" and any(_YEAR.fullmatch(t.text) for t in c.subtree)
           for c in verb.children):
        return False
    lemma = verb_lemma(verb, _COLLECTIVE_VERBS)
    if lemma in _ACTION_VERBS:
        return True
    if lemma == "walk":
        return any(c.dep_ in ("prt", "advmod", "prep") and c.lower_ in ("out", "off") for c in verb.children)
    if lemma not in _STOPPAGE_VERBS or any(c.dep_ in ("oprd", "xcomp", "ccomp", "acomp") for c in verb.children):
        return False  # "called the strike illegal" is a verdict on it
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "on" for g in c.children
                if g.dep_ == "pobj"]
    return any(_is_stoppage(o) for o in objects)


def _is_stoppage(noun) -> bool:
    lemma = noun.lemma_.lower()
    if lemma == "line":
        return any(c.lemma_.lower() in ("picket", "pickets") for c in noun.children)
    return lemma in _PROTEST_NOUNS or (lemma in _STOPPAGE_NOUNS and noun.tag_ != "NNS")  # "strikes": attacks


_ENDING_VERBS = frozenset("end halt stop avert avoid prevent settle resolve".split())


def ends_stoppage(noun) -> bool:
    """A strike or walkout someone means to end or avert: "urging an end to the strike", "ending the strike was the
    priority", "bring the strike to an end", "to avert a walkout", "a deal without a work stoppage". Not when the
    ending is negated or refused ("would not end the strike", "stopped short of calling for it to end the strike")."""
    if not _is_stoppage(noun) or noun.lemma_.lower() in _PROTEST_NOUNS:
        return False
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "without":  # "reach a deal without a work stoppage", not "years without"
        return head.head.lemma_.lower() in DEAL_NOUNS | DEAL_MAKING_VERBS | DEAL_CLOSING_VERBS
    if noun.dep_ == "pobj" and head.lower_ in ("to", "of"):  # "an end to the strike", the "to" on the noun or verb
        ender = head.head if head.head.pos_ == "NOUN" else next(
            (c for c in head.head.children if c.dep_ == "dobj"), None)
        if ender is None or ender.pos_ != "NOUN" or ender.lemma_.lower() not in ("end", "halt"):
            return False
        if ender.dep_ == "pobj" and ender.head.lower_ != "for":
            return False  # "after the end of the strike" tells when; "pressed for an end to it" asks for it
        return not _refused(ender.head)
    if noun.dep_ != "dobj" or head.pos_ != "VERB" or _refused(head):
        return False
    if verb_lemma(head, _ENDING_VERBS) in _ENDING_VERBS:
        return True
    return head.lemma_.lower() == "bring" and any(  # "bring the strike to an end"
        c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_.lower() == "end" for g in c.children)
        for c in head.children)


def _refused(verb) -> bool:
    """The verb, or a verb it is the infinitive or gerund of, is negated, refused or fallen short of ("refused to end
    it", "stopped short of calling on the union to end it", "fell short of what writers needed to end it")."""
    for _ in range(8):
        if is_negated(verb) or verb.lemma_.lower() in _REFUSAL or any(c.lower_ == "short" for c in verb.children):
            return True
        if verb.dep_ not in ("xcomp", "pcomp", "prep", "pobj", "advmod", "relcl", "ccomp") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _cue_of(token) -> str | None:
    """The stance a single token expresses by itself, if any."""
    lemma = verb_lemma(token) if token.pos_ in ("VERB", "AUX") else token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX"):
        for child in token.children:
            if child.dep_ in ("prt", "prep", "advmod") and (lemma, child.lower_) in PHRASAL_STANCES:
                if lemma in ("press", "push") and any(g.dep_ == "pobj" and g.lemma_.lower() in _SETTLEMENTS
                                                      for g in child.children):
                    return "support"  # "pressed for a deal": that it happen; "pressed for lower costs" demands
                return PHRASAL_STANCES[(lemma, child.lower_)]
        if acts_collectively(token):
            return "support"
        if lemma == "warn":  # "warned that ..." is a report; "warned against ..." is handled above
            return None
        if lemma in ("call", "appeal"):  # "called for"; "called on the operators to guarantee ...", "appealed to
            return "demand" if _asks_a_party(token) else None  # both sides to hand over lists"; not "called off"
        if token.tag_ == "VBN" and lemma in DISMAY_PARTICIPLES:
            return "oppose"  # "was deeply troubled by the legislation"
        if lemma in DEAL_CLOSING_VERBS and any(_objects_of(token, DEAL_NOUNS)):
            return "accept"  # "the two sides reached a deal", "struck an agreement"
        if lemma == "need" and not any(c.dep_ == "nsubj" for c in token.children):
            return None  # "the measures needed to defend": no one states a need
        if STANCE_VERBS.get(lemma) == "accept" and _agentless_passive(token):
            return None  # "the text would be signed in January": a step of the process, nobody's acceptance
        return STANCE_VERBS.get(lemma)
    if token.pos_ == "ADJ" or token.dep_ in ("oprd", "acomp"):
        found = STANCE_ADJECTIVES.get(lemma) or STANCE_ADJECTIVES.get(token.lower_)
        # "a nonstarter", "made a counterproposal": a rare noun tagged ADJ
        return found or (STANCE_NOUNS.get(lemma) if token.dep_ in _NOMINAL_DEPS else None)
    if token.pos_ in ("NOUN", "PROPN"):
        return None if _anonymity_formula(token) else STANCE_NOUNS.get(lemma)
    return None


def _agentless_passive(verb) -> bool:
    deps = {c.dep_ for c in verb.children}
    return "auxpass" in deps and "agent" not in deps


def _anonymity_formula(token) -> bool:
    """'spoke on condition of anonymity': a reporting formula, not a condition set by the holder."""
    return token.lemma_.lower() == "condition" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ == "anonymity" for g in c.children)
        for c in token.children)


def _under_consideration(noun) -> bool:
    """'studying the proposal', 'responded to the offer': the object of weighing or answering is not the
    holder's own proposal or demand."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("to", "on", "over", "about"):
        head = head.head
    return noun.dep_ in ("dobj", "pobj") and head.pos_ == "VERB" and head.lemma_.lower() in CONSIDERATION_VERBS


def _hypothetical_or_background(token) -> bool:
    """A clause opened by 'if', 'since', 'when', ...: its stance words are a hypothesis or the background."""
    return token.dep_ in ("advcl", "pcomp") and any(
        c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_OR_TEMPORAL_MARKERS for c in token.children)


def _against(token) -> bool:
    """'argued against', 'lobbied against', 'was against': a verb or copula with 'against' opposes its object."""
    return token.pos_ in ("VERB", "AUX") and any(c.dep_ == "prep" and c.lower_ == "against" for c in token.children)


def _fall_short(token) -> bool:
    """'did not meet its demands', 'failed to address our conditions'."""
    if token.lemma_.lower() not in FALL_SHORT_VERBS:
        return False
    negated = is_negated(token) or (token.dep_ == "xcomp" and token.head.lemma_.lower() in ("fail",))
    objects = [c for c in token.children if c.dep_ in ("dobj", "pobj", "attr")]
    return negated and any(o.lemma_.lower() in FALL_SHORT_OBJECTS for o in objects)


def _falls_far_short(token) -> bool:
    """'fell far short', 'remained nowhere near what members deserve', 'none came close'."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and lemma == "fall" and any(c.lower_ == "short" for c in token.children):
        return True
    if any(c.lower_ == "nowhere" for c in token.children) or token.lower_ == "nowhere":
        return True
    if token.lower_ == "below" and any(c.lemma_.lower() == "expectation" for c in token.children):
        return True  # "below our expectations"
    return False


def _keeps_demand(token) -> bool:
    """'would not give up / drop its demand': negated abandonment of a demand keeps the demand."""
    lemma = token.lemma_.lower()
    abandons = lemma in ABANDON_VERBS or (lemma == "give" and any(c.lower_ == "up" for c in token.children))
    if token.pos_ != "VERB" or not abandons or not is_negated(token):
        return False
    return any(c.dep_ in ("dobj", "pobj") and STANCE_NOUNS.get(c.lemma_.lower()) == "demand"
               for c in token.subtree)


def settles_stance(reading: StanceReading) -> bool:
    """A reading the stance model does not overrule, where the model, trained on positions, reads the talk of a deal
    as an acceptance: how the talks stand (states_talks_status) is a report, a wish for a deal not yet made
    (_DEAL_ASPIRATION) supports it."""
    return reading.kind in ("status", "aspiration")


def stance_for_role(reading: StanceReading, role: str | None) -> str:
    """A mediator or third party is not the one asked to agree: its acceptance of a deal, its call on a party to
    accept, its vow to keep working for a deal and its readiness to help the process all support it. What it says a
    party must do on a term ("Eritrea must withdraw its troops") stays a demand."""
    if role in ("mediator", "third_party") and (
            reading.stance == "accept" or reading.kind in ("assistance", "announcement")
            or (reading.kind in ("directive", "vow") and reading.stance in ("demand", "propose"))):
        return "support"
    if role == "principal" and reading.kind == "deal" and reading.stance == "support":
        return "accept"  # a side that hails or votes for the deal it is party to accepts it
    return reading.stance


def classify_stance(doc, anchor: int | None, other_parties: frozenset[int] = frozenset(),
                    holder_tokens: frozenset[int] = frozenset()) -> StanceReading:
    """Walk from the anchor (the holder's verb or stance noun) down its clauses to the first stance cue.

    `other_parties` are token indices naming parties other than the holder: "Hamas's demands" in a sentence held
    by Israel is not Israel's demand, so stance nouns owned by another party are passed over.
    """
    if anchor is None:
        return StanceReading("report", None)
    if states_talks_status(doc):
        return StanceReading("report", None, kind="status")
    wish = _only_says(doc, _DEAL_ASPIRATION)
    if wish is not None:
        return StanceReading("support", wish.split()[0], kind="aspiration")
    start = doc[anchor]
    if start.dep_ == "parataxis" and start.lemma_.lower() in SPEECH_VERBS and start.head.i != start.i:
        start = start.head  # "Nine percent, he said, would not make up for ...": the reported clause is the head
    own = None if _owned_by_other(start, other_parties) else _reading_at(start, True)
    if own is not None and own.stance in ("reject", "oppose") and start.pos_ == "VERB":
        return own  # "brushed aside the call for a ceasefire, saying Afghanistan should be governed ...": the
    condition = _condition_in(start)  # refusal is the position; the reason given sets no condition of the holder
    if condition is not None:  # "no agreement unless ...", "any deal has to ...": the holder sets a condition
        return condition
    frontier, seen = [start], {start.i}
    for _ in range(5):
        nxt = []
        for token in frontier:
            reading = None if _owned_by_other(token, other_parties) else _reading_at(token, token.i == anchor)
            if reading is not None and reading.stance in ("demand", "support") and _urges_after_faulting(start, token):
                return StanceReading("oppose", token.text)
            if reading is not None and reading.stance == "reject" and start.lemma_.lower() == "warn":
                return StanceReading("oppose", reading.cue, reading.negated)  # "warned the demands would make it impossible"
            if reading is not None:
                return reading
            # predicates before subjects: "the draft is acceptable" is an accept, not a proposal
            for child in sorted(token.children, key=lambda c: c.dep_ in ("nsubj", "nsubjpass")):
                follows = child.dep_ in _FOLLOW_DEPS or (child.dep_ == "amod" and token.pos_ == "ADP")  # "as positive"
                if follows and child.i not in seen and not _hypothetical_or_background(child):
                    seen.add(child.i)
                    nxt.append(child)
        frontier = nxt
    reading = _fallback_reading(start, holder_tokens, skip=anchor)
    if start.lemma_.lower() == "warn" and reading.stance in ("report", "propose", "support", "accept") and any(
            c.dep_ == "ccomp" for c in start.children):
        return StanceReading("oppose", start.text, kind="warning")  # "warned that closing the offices would ..."
    return reading


# How the talks stand, said without taking a side: "no new movement", "we still don't have an agreement", "a
# productive discussion", "more work to do", "closer than ever to a deal", "negotiators would keep working".
_TALKS_STATUS = re.compile(
    r"\bno\s+(?:new\s+|real\s+|significant\s+|major\s+)?(?:movement|progress|breakthrough)"
    r"|\b(?:still|yet)\s+(?:no|not|don'?t|do\s+not|does\s+not|did\s+not|have\s+not|haven'?t)\b[^.;]{0,30}?"
    r"\b(?:agreement|deal)"
    r"|\bnot\s+there\s+yet"
    r"|\b(?:productive|constructive|frank|useful|good|candid|positive|cordial)\s+"
    r"(?:discussion|meeting|talk|conversation|session|exchange)s?\b"
    r"|\b(?:talks|meeting|discussions?|negotiations|session)\s+(?:\w+\s+){0,2}"
    r"(?:productive|constructive|useful|positive|frank|cordial)\b"
    r"|\b(?:possible|difficult|hard)\s+to\s+(?:reach|get|strike|find|conclude)\b"
    r"|\bcloser\s+(?:than\s+ever\s+)?to\s+(?:a|an)\s+(?:deal|agreement)"
    r"|\bwork\s+(?:still\s+)?to\s+(?:do|be\s+done)\b"
    r"|\b(?:keep|continue)\s+(?:talking|working|negotiating)\b(?!\s+(?:to|with|for|toward|towards)\b)"
    r"|\b(?:talks|negotiations)\s+(?:would|will)\s+(?:continue|resume)\b",
    re.IGNORECASE)


# A wish for a deal not yet made, whoever states it: "hoped to reach a fair deal", "remains committed to reaching an
# agreement", "our goal is to reach a fair agreement", "would prefer a negotiated solution". Not readiness to conclude
# "on the basis of" a text, which accepts it.
_DEAL_ASPIRATION = re.compile(
    r"\b(?:hope[sd]?|hoping|committed|ready|goal|wants?|wanted|aim(?:s|ed)?|determined|eager|intend(?:s|ed)?|"
    r"look(?:s|ed|ing)?\s+forward|prefer(?:s|red)?|keen)\b[^.;]{0,40}?"
    r"\b(?:reach(?:ing)?|conclud(?:e|ing)|get(?:ting)?|strik(?:e|ing)(?=\s+(?:a|an|the)\b)|secur(?:e|ing)|"
    r"finali[sz](?:e|ing)|achiev(?:e|ing)|negotiated)\b[^.;]{0,35}?"
    r"\b(?:" + "|".join(sorted(DEAL_NOUNS | {"solution"})) + r")s?\b(?![^.;]{0,30}\bbasis\b)",
    re.IGNORECASE)


def _only_says(doc, pattern: re.Pattern) -> str | None:
    """The first match of `pattern` when nothing outside the matches takes a side (no stance word but nouns for the
    deal, no appeal to act, no "must", no verdict), else None."""
    spans = [m.span() for m in pattern.finditer(doc.text)]
    if not spans:
        return None
    for token in doc:
        if any(start <= token.idx < end for start, end in spans):
            continue
        if token.lower_ in MODALS_OF_OBLIGATION or token.lemma_.lower() in NEGATIVE_EVALUATION:
            return None
        if token.pos_ in ("VERB", "AUX", "ADJ") and _cue_of(token) is not None:
            return None
        if _is_noun(token) and _cue_of(token) in ("propose", "demand", "reject", "oppose"):
            return None  # "a demand", "their offer"; "an agreement" is the deal talked about, not an acceptance
        if token.lemma_.lower() in DIRECTIVE_VERBS and any(c.dep_ == "xcomp" for c in token.children):
            return None  # "urged them to keep talking"
    start, end = spans[0]
    return doc.text[start:end]


def states_talks_status(doc) -> bool:
    """The sentence says how the talks stand and nothing else takes a side: no stance word, appeal or "must" outside
    the status phrase ("we had a productive discussion", "there is still work to do"). A status is a report, whatever
    the talk of a deal in it suggests ("we still don't have an agreement" accepts nothing)."""
    return _only_says(doc, _TALKS_STATUS) is not None


def _urges_after_faulting(start, directive) -> bool:
    """'said higher tariffs would hurt consumers and urged both sides to keep talking': the call comes with a
    verdict against the measure, which is the position taken on it."""
    if directive.lemma_.lower() not in DIRECTIVE_VERBS or directive.pos_ != "VERB":
        return False
    inside = {t.i for t in directive.subtree}
    return any(t.i not in inside and t.lemma_.lower() in NEGATIVE_EVALUATION and not is_negated(t)
               for t in start.subtree)


def stance_near(doc, anchor: int | None, token_index: int, sentence_reading: StanceReading) -> StanceReading:
    """The stance on one term of a sentence that states several: the first stance word met climbing from the
    term's words to the holder's verb, verbs only ("called for an end to the war and warned against a presence on the
    corridor": demand on the war, oppose on the corridor); else the sentence's reading."""
    if anchor is None:
        return sentence_reading
    token = doc[token_index]
    for _ in range(12):
        if token.i == anchor or token.head.i == token.i:
            break
        token = token.head
        if token.pos_ != "VERB":
            continue
        reading = _reading_at(token)
        if reading is not None and token.i != anchor:
            return reading
    return sentence_reading


def _is_holder_subject(verb, holder_tokens: frozenset[int]) -> bool:
    """The verb's subject is the holder: a token of its name, a pronoun or a generic speaker ("the group")."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            speaker = child.lemma_.lower() in GENERIC_SPEAKERS or child.lemma_.lower() in ANONYMOUS_SPEAKERS
            return (child.i in holder_tokens or child.lower_ in PRONOUNS or speaker
                    or (child.pos_ == "PROPN" and any(c.i in holder_tokens for c in child.children)))
    return verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i and _is_holder_subject(verb.head, holder_tokens)


def _own_clause(anchor) -> list:
    """Tokens under the anchor, without relative and noun-modifying clauses, in sentence order."""
    out, stack = [], [anchor]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ not in ("relcl", "acl"))
    return sorted(out, key=lambda t: t.i)


def _outside_finite_relatives(anchor) -> list:
    """Tokens under the anchor, leaving out finite relative clauses ("an offer that would protect jobs") but not
    infinitival ones ("measures to defend its companies")."""
    out, stack = [], [anchor]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children
                     if c.dep_ != "relcl" or any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children))
    return out


def _condition_in(anchor) -> StanceReading | None:
    """'unless', 'only if', 'as long as', or an obligation modal in the holder's own clause -> demand.

    Relative clauses are left out: "a pension plan that it would have to fund" sets no condition."""
    clause = _own_clause(anchor)
    lowers = [t.lower_ for t in clause]
    for i, word in enumerate(lowers):
        if word == "unless" or _condition_phrase(lowers, i):
            if _offers_in(clause, anchor):  # "could agree to a staffing rule as long as showrunners keep the say"
                return StanceReading("propose", word, kind="condition")
            return StanceReading("demand", word)
    for t in clause:
        if t.pos_ in ("VERB", "AUX") and t.i != anchor.i and has_obligation_modal(t) and \
                t.lemma_.lower() not in AGREEMENT_VERBS:  # "Hamas must accept" is handled as a directive
            return _obligation(t)
    return None


def names_both_sides(token) -> bool:
    """'the two sides', 'both parties'."""
    return token.lemma_.lower() in ("side", "party") and token.tag_ == "NNS" and any(
        c.lower_ in ("two", "both") and c.dep_ in ("nummod", "det", "predet") for c in token.children)


def _obligation(verb) -> StanceReading:
    """'Eritrea must withdraw': a demand on a term; 'both sides should go further': a push for the deal, as a
    directive is (a third party's supports it)."""
    on_both = any(c.dep_ == "nsubj" and names_both_sides(c) for c in verb.children)
    return StanceReading("demand", verb.text, kind="directive" if on_both else "obligation")


def _offers_in(clause, anchor) -> bool:
    """An offer in the holder's clause: a verb under 'could / might / can', or one of offer, propose, willing,
    ready, prepared ('offered to hold the vote as long as ...')."""
    for t in clause:
        if t.i == anchor.i and t.lemma_.lower() in SPEECH_VERBS:
            continue
        if t.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ in POSSIBILITY_MODALS for c in t.children) \
                and not is_negated(t) and _party_like_subject(t):
            return True
        if _cue_of(t) == "propose" and t.pos_ in ("VERB", "ADJ") and not is_negated(t):
            return True
    return False


def _party_like_subject(verb) -> bool:
    """The subject could be a party: a name, a pronoun or a generic speaker ('the companies'), not 'a cease-fire'."""
    return any(c.dep_ == "nsubj" and (c.pos_ in ("PROPN", "PRON") or c.lemma_.lower() in GENERIC_SPEAKERS)
               for c in verb.children)


def _condition_phrase(lowers: list[str], i: int) -> bool:
    """'only if', 'only when', 'only after', 'as long as', 'as soon as', 'provided that', 'on condition that'."""
    word = lowers[i]
    return ((word in ("if", "when", "after", "once") and i > 0 and lowers[i - 1] == "only")
            or (word == "as" and lowers[i + 1:i + 3] in (["long", "as"], ["soon", "as"]))
            or (word == "provided" and lowers[i + 1:i + 2] == ["that"])
            or (word == "on" and lowers[i + 1:i + 3] == ["condition", "that"]))


def _fallback_reading(anchor, holder_tokens: frozenset[int] = frozenset(), skip: int | None = None) -> StanceReading:
    """No stance word: read the reported clause's modality.

    'must / has to / unless / only if' -> demand; 'would not / will never' -> reject; negative evaluation
    ('would hurt', 'a mistake') -> oppose; 'will / would' + the holder's act -> report (its own step, no offer);
    else report.
    """
    skip = anchor.i if skip is None else skip  # the speech verb itself
    clause = [t for t in anchor.subtree]
    lowers = [t.lower_ for t in clause]
    for t in clause:
        if t.pos_ in ("VERB", "AUX") and t.i != skip and has_obligation_modal(t):
            return _obligation(t)
    for i, word in enumerate(lowers):
        if word in CONDITION_MARKERS or _condition_phrase(lowers, i):
            return StanceReading("demand", word)
    for t in clause:
        if t.lemma_.lower() in NEGATIVE_EVALUATION:
            return StanceReading("oppose", t.text)
        if t.pos_ == "VERB" and t.lemma_.lower() in POSITIVE_EFFECT_VERBS and is_negated(t):
            return StanceReading("oppose", t.text, True)  # "adding tariffs will not solve any problem"
    for t in _own_clause(anchor):
        if t.lemma_.lower() in POSITIVE_EVALUATION and t.pos_ in ("NOUN", "ADJ"):
            denied = is_negated(t) or any(c.lower_ in ("no", "little") for c in t.children)
            return StanceReading("oppose" if denied else "support", t.text, denied)  # "the best chance for a deal"
    for t in _outside_finite_relatives(anchor):  # "an offer that would protect jobs" resists nobody
        if t.pos_ == "VERB" and t.lemma_.lower() in RESISTANCE_VERBS and t.i != skip and any(
                a.lemma_.lower() in COMMITMENT_VERBS or _future(a) for a in (t, *list(t.ancestors)[:3])):
            return StanceReading("oppose", t.text)  # "vowed to defend its companies", "will take measures to protect"
    if anchor.lemma_.lower() in COMMITMENT_VERBS and _threat_against_agreement(anchor):
        return StanceReading("oppose", anchor.text)  # "threatened to quit the government if it agreed to the deal"
    if anchor.lemma_.lower() in COMMITMENT_VERBS and any(c.dep_ in ("xcomp", "ccomp") for c in anchor.children):
        return StanceReading("propose", anchor.text, kind="vow")  # "vows to raise tariffs"
    if "if" in lowers:
        for t in clause:  # "could still buy more soybeans if Washington dropped its threat": a conditional offer
            if t.pos_ == "VERB" and t.i != skip and _is_holder_subject(t, holder_tokens) and any(
                    c.dep_ == "aux" and c.lower_ in POSSIBILITY_MODALS for c in t.children) and not is_negated(t):
                return StanceReading("propose", t.text, kind="vow")
    if "if" in lowers and any(t.pos_ in ("VERB", "AUX") and any(c.lower_ in FUTURE_MODALS for c in t.children)
                              for t in clause):
        return StanceReading("demand", "if")  # "if China breaks its promises, the tariffs will go back up"
    for t in clause:
        if t.pos_ == "VERB" and t.i != skip and t.lemma_.lower() in CONCESSION_VERBS and not is_negated(t) and \
                _is_holder_subject(t, holder_tokens):
            return StanceReading("accept", t.text, kind="concession")  # "would suspend its retaliatory tariffs"
    for t in clause:
        if t.pos_ == "VERB" and t.i != skip and _future(t):
            if is_negated(t):
                if _agentless_passive(t):
                    continue  # "would not be rushed" refuses nothing
                return StanceReading("reject", t.text, True)
            if t.lemma_.lower() in PROCESS_VERBS:
                continue  # "would deliver its answer", "would be announced": a step of the process
            if _is_holder_subject(t, holder_tokens):  # "said it would cut 10 percent of its work force": what the
                return StanceReading("report", t.text, kind="announcement")  # holder will do, no offer
            if _spells_out_terms(t):  # "In the first phase, hostages would be freed ...": the terms of an offer
                return StanceReading("propose", t.text, kind="terms")
    return StanceReading("report", None)


def _future(verb) -> bool:
    """'will / would + verb', not the counterfactual 'would have turned'."""
    auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    return any(a in FUTURE_MODALS for a in auxes) and "have" not in auxes


def _threat_against_agreement(verb) -> bool:
    """A threat or vow whose condition is that someone agrees: 'threatened to quit if it accepted the deal'."""
    for token in verb.subtree:
        if _hypothetical_or_background(token) and any(c.lower_ == "if" for c in token.children):
            return token.lemma_.lower() in AGREEMENT_VERBS and not is_negated(token)
    return False


def _spells_out_terms(verb) -> bool:
    """A passive term ("would be freed", "would be allowed in") or a plan or its phase as the subject."""
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return True
        if child.dep_ == "nsubj" and child.lemma_.lower() in PLAN_NOUNS:
            return True
    return any(c.dep_ == "prep" and c.lower_ in ("in", "during", "under") and
               any(g.lemma_.lower() in PLAN_NOUNS for g in c.children) for c in verb.children)


def _owned_by_other(token, other_parties: frozenset[int]) -> bool:
    if token.pos_ not in ("NOUN", "PROPN") or not other_parties or token.lemma_.lower() not in STANCE_NOUNS:
        return False
    return any(c.dep_ in ("poss", "compound", "amod") and c.i in other_parties for c in token.children)


def _reading_at(token, is_anchor: bool = False) -> StanceReading | None:
    if _fall_short(token) or _falls_far_short(token):
        return StanceReading("reject", token.text, True)
    if _keeps_demand(token):
        return StanceReading("demand", token.text, True)  # "would not give up its demand for ..."
    if _against(token) and token.lemma_.lower() not in STANCE_VERBS:
        negated = is_negated(token)
        return StanceReading("support" if negated else "oppose", token.text, negated)
    if token.lemma_.lower() == "ask" and asks_for_action(token):
        return StanceReading("demand", token.text)  # "asked that all sanctions be lifted"
    lemma = token.lemma_.lower()
    if lemma == "negotiable" and (is_negated(token) or any(c.lower_ == "non" for c in token.children)):
        return StanceReading("demand", token.text, True)  # "the right to enrich is not negotiable"
    if token.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ in FAVOURABLE_ADVERBS for c in token.children):
        return StanceReading("support", token.text)  # "regarded the remarks favorably"
    if lemma == "decline" and any(c.dep_ == "xcomp" and c.lemma_.lower() in NO_COMMENT_VERBS for c in token.children):
        return None  # "declined to discuss its details": no answer, not a refusal
    if lemma in _REFUSAL and token.pos_ == "VERB" and any(c.dep_ == "xcomp" for c in token.children):
        return StanceReading("reject", token.text)
    stance = _cue_of(token)
    if stance == "propose" and _is_noun(token) and _in_subject(token) and not is_anchor and not _own(token):
        return None  # "the offer was an insult", "none of the offers came close": what is judged, not done
    if stance in ("propose", "demand") and _is_noun(token) and not is_anchor and _under_consideration(token):
        return None
    if stance == "accept" and _is_noun(token) and not is_anchor and _names_the_deal(token):
        return None  # "the agreement covers four million people", "a target in the agreement"
    if stance == "demand" and token.pos_ == "VERB" and any(  # "the proposal calls for a six-week pause"; but
            c.dep_ == "nsubj" and c.lemma_.lower() in PLAN_NOUNS and not any(g.dep_ == "poss" for g in c.children)
            for c in token.children):  # "the union's own proposal calls for" states the union's demands
        return StanceReading("propose", token.text, kind="terms")
    if stance == "demand" and token.pos_ == "VERB":
        for child in token.children:
            if child.dep_ == "ccomp" and is_negated(child):  # "insisted the pause would not mean the end"
                return StanceReading("reject", child.text, True)
    if lemma in DIRECTIVE_VERBS and token.pos_ == "VERB":
        for child in token.children:
            if child.dep_ not in ("xcomp", "ccomp") or _indicative(child):
                continue  # "told reporters that Iran would not renegotiate": a report of the speaker's view
            asked = _cue_of(child)
            if is_negated(child) and asked:
                asked = NEGATED_STANCE[asked]
            if child.lemma_.lower() in AGREEMENT_VERBS | DEAL_MAKING_VERBS and not is_negated(child):
                return StanceReading("support", token.text, kind="directive")  # "urged Hamas to accept the deal"
            if asked in ("reject", "oppose"):  # "urged lawmakers to vote the deal down"
                return StanceReading("oppose", token.text, kind="directive")
        if stance == "demand" and lemma in ENCOURAGING_VERBS and not is_negated(token) and _asks_a_party(token) \
                and not _asks_for_more(token):
            return StanceReading("demand", token.text, kind="directive")  # "urged Washington to resolve the standoff"
    if stance is None:
        if token.pos_ == "VERB" and lemma in SPEECH_VERBS and lemma in ("insist", "urge", "demand"):
            return StanceReading("demand", token.text)
        return None
    if stance == "propose" and token.pos_ == "ADJ":  # "willing to accept" -> accept; "ready to release" -> propose
        if _ready_on_terms(token):
            return StanceReading("demand", token.text, kind="condition")
        if lemma == "open" and not any(c.dep_ in ("prep", "xcomp") for c in token.children) and \
                not _party_like_subject(token.head if token.dep_ == "acomp" else token):
            return None  # "several issues were still open", "the door remained open": a state, not an offer
        for child in token.children:
            if child.dep_ == "xcomp":
                inner = _cue_of(child)
                if inner in ("accept", "reject", "support", "oppose"):
                    stance = inner
                elif _offers_help(child):  # "stood ready to help the parties reach an agreement"
                    return StanceReading("propose", token.text, kind="assistance")
    if token.pos_ == "VERB" and stance in ("accept", "support") and has_obligation_modal(token):
        return StanceReading("demand", token.text, kind="directive")  # "Hamas must accept": a demand on Hamas
    negated = is_negated(token)
    if negated and stance == "accept" and _conditional_object(token):
        return StanceReading("demand", token.text, True, kind="condition")  # "would not accept any deal that ..."
    if negated:
        stance = NEGATED_STANCE[stance]
    if stance == "support" and token.pos_ == "VERB" and any(_objects_of(token, DEAL_NOUNS)):
        return StanceReading(stance, token.text, negated, kind="deal")  # "hailed the agreement"
    return StanceReading(stance, token.text, negated)


def asks_for_action(verb) -> bool:
    """'asked the company to restore the pension', 'asked that all sanctions be lifted': a request, not a question
    ('asked whether the talks would resume')."""
    return verb.pos_ == "VERB" and any(
        c.dep_ in ("ccomp", "xcomp") and not any(g.lower_ in ("whether", "if") for g in c.children)
        for c in verb.children)


def _asks_a_party(verb) -> bool:
    """'urged Washington to resolve the standoff', 'encouraged both sides to keep talking': a named addressee urged
    to act, read as a directive (a third party urging the sides to act favours a settlement; 'called on the
    operators to guarantee ...' names a term and stays a demand)."""
    addressed = any(c.dep_ in ("dobj", "dative") for c in verb.children) or any(
        c.dep_ == "prep" and c.lower_ in ("on", "upon", "to") and any(g.dep_ == "pobj" for g in c.children)
        for c in verb.children)
    acts = any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in verb.children)
    return addressed and acts


def _indicative(clause) -> bool:
    """A finite reported clause ('that the administration had agreed', 'that it would not accept'), not a
    mandate ('urged that the deal be approved', 'urged Hamas to accept')."""
    if clause.dep_ != "ccomp":
        return False
    auxes = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
    return clause.tag_ in ("VBD", "VBZ") or any(
        a.lower_ in FUTURE_MODALS or a.tag_ in ("VBD", "VBZ", "VBP") or a.lemma_.lower() == "will" for a in auxes)


def _offers_help(verb) -> bool:
    """'ready to help the parties', 'prepared to step in to help', 'ready to verify the handover', 'willing to act
    as one of the guarantors': an offer to assist the process rather than a term of the deal."""
    return any(t.lemma_.lower() in ASSISTANCE_WORDS for t in verb.subtree if t.pos_ in ("VERB", "NOUN"))


def _asks_for_more(verb) -> bool:
    """'urged Israel to do more to protect civilians', 'pressed Beijing to buy more': asking for more of something
    is a demand on a term, whoever asks."""
    return any(t.lower_ == "more" for c in verb.children if c.dep_ == "xcomp" for t in c.subtree)


def _objects_of(verb, lemmas: frozenset[str]):
    """The verb's objects (direct, or through its preposition) whose lemma is one of `lemmas`."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in lemmas:
            yield child
        if child.dep_ == "prep":
            yield from (g for g in child.children if g.dep_ == "pobj" and g.lemma_.lower() in lemmas)


def _conditional_object(verb) -> bool:
    """'would not accept a deal that fails to ...', 'would not agree to any agenda that did not put a ceasefire
    first', 'would not settle for anything less than ...': refusing every deal that lacks something sets that
    thing as the condition. A deal refused for what it does ('would never sign a deal that legalises the
    occupation', 'a pause that would let Israel resume the fighting') is a refusal of that term; but 'would not
    settle for a deal that left the tiers in place' asks for more than such a deal, whatever it says."""
    settles = verb.lemma_.lower() == "settle"
    for child in verb.children:
        for obj in ([child] if child.dep_ == "dobj" else [g for g in child.children if g.dep_ == "pobj"]
                    if child.dep_ == "prep" else []):
            if any(c.dep_ == "relcl" and not _future(c) and (_lacks(c) or settles) for c in obj.children) or (
                    obj.lemma_.lower() == "anything" and any(c.lower_ == "less" for c in obj.children)):
                return True
    return False


def _lacks(clause) -> bool:
    """'that did not put a ceasefire first', 'that fails to make up for inflation', 'that falls short of ...'."""
    return is_negated(clause) or clause.lemma_.lower() in LACKING_VERBS or _falls_far_short(clause)


def states_stance(verb) -> bool:
    """A stance verb in the verb's own clause (relative clauses aside), or a noun for an offer, a demand or a
    refusal ("made a counteroffer"); "support" or "approval" as nouns name no act ("aiming to shore up support")."""
    return any((_cue_of(t) is not None and t.pos_ == "VERB") or
               (_is_noun(t) and STANCE_NOUNS.get(t.lemma_.lower()) in ("propose", "demand", "reject"))
               for t in _own_clause(verb))


def _ready_on_terms(adjective) -> bool:
    """'ready for any deal that ends the war', 'ready to engage with any proposal built on a withdrawal':
    readiness for a deal of a stated kind sets that kind as the condition."""
    for token in adjective.subtree:
        if token.lemma_.lower() in PLAN_NOUNS and token.pos_ == "NOUN" and \
                any(c.dep_ in ("relcl", "acl") for c in token.children):
            return True
    return False


def _own(noun) -> bool:
    """'its offer', 'our proposal': the speaker's own (another party's is caught by _owned_by_other)."""
    return any(c.dep_ == "poss" and c.lower_ in ("its", "our", "their", "my") for c in noun.children)


def _names_the_deal(noun) -> bool:
    """'agreement' as the name of the deal (its subject, or after in / under / of), not an act of agreeing."""
    if _in_subject(noun):
        return True
    return noun.dep_ == "pobj" and noun.head.lower_ in ("in", "under", "of", "by", "within")


def _in_subject(token) -> bool:
    """The token is a clause's subject or inside one ("none of the offers")."""
    for _ in range(4):
        if token.dep_ in ("nsubj", "nsubjpass"):
            return True
        if token.dep_ not in ("pobj", "prep", "compound", "amod", "poss", "conj") or token.head.i == token.i:
            return False
        token = token.head
    return False


def has_obligation_modal(verb) -> bool:
    """'must accept', 'should agree', 'has to accept', 'needs to agree' (the verb under 'has to' / 'needs to', or
    'has' / 'needs' itself)."""
    if any(c.dep_ == "aux" and c.lemma_.lower() in MODALS_OF_OBLIGATION for c in verb.children):
        return True
    if verb.lemma_.lower() in _OBLIGING_VERBS and any(c.dep_ == "xcomp" for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _OBLIGING_VERBS


_OBLIGING_VERBS = frozenset(("have", "need", "ought"))
