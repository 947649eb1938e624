"""Word lists shared by the holder and stance stages (English news usage, no negotiation-specific words)."""

# Verbs that report speech or a stated view; their subject holds the position.
SPEECH_VERBS = frozenset("""
say tell state announce add note stress reiterate repeat warn argue claim confirm deny declare write post tweet
acknowledge explain report caution signal indicate emphasize emphasise underscore assert maintain contend vow pledge
promise threaten complain accuse describe call urge respond reply counter hint insist predict estimate express voice
reaffirm restate outline brief inform appeal lament believe think hope question dispute point
vote
""".split())

# Speech verbs that report what someone else did or holds ("Qatar said Hamas had accepted"); directive verbs
# such as urge or press are not among them ("Blinken urged Israel to agree" is Blinken's demand).
REPORTING_VERBS = frozenset("""
say tell state announce add note confirm report indicate signal explain acknowledge write post tweet inform brief
claim insist
""".split())

# Lemmas that express a stance by themselves.
STANCE_VERBS: dict[str, str] = {
    **dict.fromkeys("demand insist require condition seek want urge need".split(), "demand"),
    **dict.fromkeys("propose offer suggest present table submit float outline unveil draft pitch".split(), "propose"),
    **dict.fromkeys("accept agree approve sign embrace ratify consent greenlight endorse settle adopt".split(),
                    "accept"),
    **dict.fromkeys("reject refuse dismiss rebuff spurn decline balk veto scrap cancel".split(), "reject"),
    **dict.fromkeys("support back welcome favor favour praise applaud champion encourage hail press hope authorize "
                    "authorise".split(), "support"),
    **dict.fromkeys("oppose criticize criticise condemn object denounce protest resist block slam decry "
                    "warn lash accuse resent".split(), "oppose"),
}

# Phrasal patterns: (verb lemma, particle or preposition) -> stance.
PHRASAL_STANCES: dict[tuple[str, str], str] = {
    ("call", "for"): "demand", ("push", "for"): "demand", ("press", "for"): "demand", ("ask", "for"): "demand",
    ("hold", "out"): "demand", ("put", "forward"): "propose", ("come", "up"): "propose", ("lay", "out"): "propose",
    ("sign", "off"): "accept", ("sign", "on"): "accept", ("go", "along"): "accept", ("agree", "to"): "accept",
    ("rule", "out"): "reject", ("brush", "aside"): "reject", ("brush", "off"): "reject",
    ("throw", "out"): "reject", ("shoot", "down"): "reject", ("knock", "back"): "reject", ("turn", "down"): "reject", ("walk", "away"): "reject",
    ("back", "away"): "reject", ("vote", "for"): "support", ("vote", "against"): "oppose", ("vote", "down"): "oppose",
    ("warn", "against"): "oppose", ("speak", "out"): "oppose", ("stand", "by"): "support",
    ("stand", "behind"): "support", ("stand", "with"): "support", ("throw", "behind"): "support",
    ("lobby", "against"): "oppose", ("play", "down"): "report",
}

STANCE_NOUNS: dict[str, str] = {
    **dict.fromkeys("demand insistence call condition precondition requirement ultimatum must".split(), "demand"),
    **dict.fromkeys("proposal offer plan counterproposal counteroffer framework draft initiative "
                    "suggestion blueprint".split(), "propose"),
    **dict.fromkeys("acceptance approval agreement consent endorsement".split(), "accept"),
    **dict.fromkeys("rejection refusal dismissal veto insult nonstarter non-starter farce joke".split(), "reject"),
    **dict.fromkeys("support backing endorsement welcome".split(), "support"),
    **dict.fromkeys("opposition objection criticism condemnation reservation misgiving".split(), "oppose"),
}

STANCE_ADJECTIVES: dict[str, str] = {
    **dict.fromkeys("willing ready prepared open".split(), "propose"),
    **dict.fromkeys("unacceptable delusional absurd ridiculous impossible outrageous insulting "
                    "unrealistic insufficient inadequate unworkable".split(), "reject"),
    **dict.fromkeys("positive constructive encouraging acceptable enough sufficient".split(), "accept"),
    **dict.fromkeys("opposed troubled concerned alarmed dismayed unhappy angry furious frustrated disappointed uneasy "
                    "skeptical sceptical wary".split(), "oppose"),
    **dict.fromkeys("committed determined non-negotiable nonnegotiable".split(), "demand"),
}

# "did not meet its demands": these verbs, negated, with one of these objects, mean reject.
FALL_SHORT_VERBS = frozenset("meet satisfy address fulfil fulfill answer match include".split())
FALL_SHORT_OBJECTS = frozenset("demand condition requirement need expectation term".split())
# "would not accept a deal that fails to guarantee ...": a refused deal that lacks something names a condition.
LACKING_VERBS = frozenset("fail lack ignore omit exclude neglect".split())

# What negation turns a stance into.
NEGATED_STANCE = {"accept": "reject", "reject": "accept", "support": "oppose", "oppose": "support",
                  "demand": "report", "propose": "report", "report": "report"}

MODALS_OF_OBLIGATION = frozenset("must should ought".split())

# Subject heads that stand for an unnamed speaker.
PRONOUNS = frozenset("he she they it we i".split())
GENERIC_SPEAKERS = frozenset("""
group movement organization organisation official officials spokesman spokeswoman spokesperson minister ministry
government office statement militants leader leadership negotiator negotiators side country administration president
premier delegation team union company automaker council body agency envoy mediator mediators diplomat aide chief
committee executive board bloc alliance guild coalition federation association caucus letter message commission
""".split())
# Trades a rank-and-file worker is named by ("said an electrician at the Everett plant"): a member of the party
# whose aliases call its people "workers" (see AliasIndex.member_of).
WORKER_NOUNS = frozenset("""
mechanic electrician inspector loader driver machinist assembler welder technician operator clerk nurse teacher
cashier janitor miner attendant painter carpenter plumber sorter handler packer picker courier porter cook
""".split())

# People who comment on the talks: what they say a party can or will do is their reading, not the party's position.
COMMENTATOR_NOUNS = frozenset("""
analyst expert economist observer commentator scholar professor historian strategist consultant pollster researcher
""".split())

ANONYMOUS_SPEAKERS = frozenset("official source person people diplomat aide negotiator officer insider".split())

# Fallback cues, read in the holder's clause when no stance word decided it.
CONDITION_MARKERS = frozenset("unless until".split())  # also "only if", "as long as" (see stance.py)
NEGATIVE_EVALUATION = frozenset("""
hurt harm damage undermine endanger jeopardize jeopardise threaten catastrophic disastrous mistake wrong costly
dangerous counterproductive destabilize destabilise unfair illegal unjustified reckless irresponsible bully blackmail
tragedy catastrophe disaster devastating devastate deplorable cripple ruin wreck sabotage trap betray betrayal
surrender capitulation mislead
""".split())
# "the best and last chance to reach a deal", "a historic offer": a favourable verdict on a term or a deal.
POSITIVE_EVALUATION = frozenset("chance opportunity breakthrough optimistic hopeful historic generous fair reasonable".split())
# "will not solve anything", "would not help": denying that something works is opposing it.
POSITIVE_EFFECT_VERBS = frozenset("solve help work benefit resolve".split())
# "regarded the remarks favorably".
FAVOURABLE_ADVERBS = frozenset("favorably favourably positively warmly".split())
FUTURE_MODALS = frozenset("will would shall 'll".split())

# "urged Hamas to accept the deal": asking another party to agree favours the deal (support), it sets no term.
DIRECTIVE_VERBS = frozenset("urge ask press call push encourage tell appeal implore lobby".split())
# "stood ready to help the parties reach an agreement": offers to assist the process (a third party's support).
ASSISTANCE_WORDS = frozenset("help assist facilitate support verify mediate guarantor guarantee host".split())
# "urged Washington to resolve the standoff": urging a named party to act (by a third party, support for a settlement).
ENCOURAGING_VERBS = frozenset("urge encourage press push implore".split())
AGREEMENT_VERBS = frozenset("accept agree approve take endorse sign embrace stand seize".split())
# "urged both sides to return to the table / settle / find a compromise": a call for a deal to happen (support).
DEAL_MAKING_VERBS = frozenset("settle return resume reach compromise negotiate bargain conclude finalize finalise".split())

# "vowed to raise tariffs", "pledged to keep fighting": the holder commits to an action (a proposal of its own).
COMMITMENT_VERBS = frozenset("vow pledge promise threaten commit".split())

# Nouns for a plan whose terms a sentence may spell out ("Under the plan, Israel would free ...").
PLAN_NOUNS = frozenset("plan proposal offer deal draft framework phase agreement counterproposal package".split())

# "would deliver its answer", "would be announced within a day": steps of the process, not an offer.
PROCESS_VERBS = frozenset("""
study review consider examine discuss deliver send announce respond reply answer meet travel host brief
""".split())
# "could still buy more soybeans if ...": an offer that holds on a condition.
POSSIBILITY_MODALS = frozenset("could might can may".split())
# "vowed to defend its companies", "would take measures to protect its interests": resisting the other side.
RESISTANCE_VERBS = frozenset("defend protect fight retaliate resist counter counterattack".split())
# "would not give up its demand": a demand kept.
ABANDON_VERBS = frozenset("drop abandon relinquish waive surrender".split())
# "was troubled by the legislation".
DISMAY_PARTICIPLES = frozenset("trouble alarm dismay disturb concern disappoint frustrate anger upset".split())

# "studying the proposal", "responded to the offer": a proposal under consideration is not the holder's own.
CONSIDERATION_VERBS = frozenset("""
study review consider examine discuss evaluate weigh assess analyse analyze receive await debate respond reply
""".split())
# where or when a speaker spoke: "speaking at a news conference", "who met the envoy on Friday", "testifying ..."
SETTING_VERBS = frozenset("speak meet visit travel appear stand sit wear testify address".split())
# "declined to comment / discuss the details": no answer given, not a refusal of a term.
NO_COMMENT_VERBS = frozenset("comment discuss elaborate say specify disclose give provide confirm detail answer".split())
# "did not say whether", "has not responded", "did not address the talks": a party giving no answer states nothing.
NO_ANSWER_VERBS = frozenset("""
say comment respond reply answer address disclose reveal release announce confirm specify detail elaborate explain
claim publish discuss
""".split())
# "made no comment", "had no public comment", "said nothing about".
NO_ANSWER_OBJECTS = frozenset("comment nothing".split())
# Subordinate clauses whose stance words describe a hypothesis or the background, not the holder's position:
# "threatened to quit if it agreed to the deal", "since the last contract was signed".
HYPOTHETICAL_OR_TEMPORAL_MARKERS = frozenset("if since after before when while once whether".split())
# "would suspend its retaliatory tariffs", "will halve the rate": the holder gives ground (accepts a term).
CONCESSION_VERBS = frozenset("suspend halve lift lower reduce ease waive relax remove".split())
# "reached a deal", "hailed the agreement": verbs and nouns of a deal being closed or endorsed.
DEAL_CLOSING_VERBS = frozenset("reach strike clinch seal conclude".split())
DEAL_NOUNS = frozenset("agreement deal contract accord ratification settlement pact compromise".split())
