"""Stance rules on literal sentences (real spaCy parse, a negotiation the code never saw)."""
import pytest
from reading_support import read_reading

from positions.stance import ends_stoppage, settles_stance, stance_for_role


def reading_of(nlp, negotiation, sentence):
    return read_reading(nlp, negotiation, sentence)[1]


@pytest.mark.parametrize("sentence, stance", [
    # reporting formulas and process words are not stances
    ("Northern officials, speaking on condition of anonymity, said the army expected the truce to hold.", "report"),
    ("Odum said Southland was still studying the truce proposal.", "report"),
    # a stance word in a hypothesis or in the background is not the holder's stance
    ("Vale threatened to leave the government if it agreed to the truce.", "oppose"),
    ("Odum said the truce had failed since the last accord was signed in 2019.", "report"),
    # counterfactual 'would have' is no vow
    ("Vale said the truce plan would have turned a profit into a loss.", "report"),
    # phrasal stance verbs whose particle is parsed as an adverb
    ("Vale said Southland was backing away from the truce.", "reject"),
    # a plan's terms are proposed; a party's own proposal states its demands
    ("Lind said the new proposal calls for a truce of six weeks.", "propose"),
    # tagged as an adjective, still a stance noun
    ("Any suggestion of a truce before the elections was a nonstarter, Vale said.", "reject"),
    ("Odum accused Northland of breaking the truce.", "oppose"),
    # the small model lemmatises 'hoped' as 'hop'
    ("Lind said the mediators hoped the truce would hold.", "support"),
    # the speaker's own offer described in the subject is still its offer
    ("Odum said its truce offer was a generous one.", "propose"),
    # a call made beside a verdict against the measure opposes it
    ("Lind said the new truce terms would hurt civilians and urged both sides to keep talking.", "oppose"),
    # a favourable verdict on the deal
    ("Lind described the truce as the best chance in months to end the war.", "support"),
    ("Vale said there was no chance of a truce this month.", "oppose"),
    # 'against' with any verb; requests; needs; verdicts of insufficiency
    ("Vale argued against any truce before the elections.", "oppose"),
    ("Odum said Southland had asked that the truce be extended by a month.", "demand"),
    ("Odum said Southland needed a longer truce.", "demand"),
    ("Vale said the truce offer was insufficient.", "reject"),
    ("Vale said the truce offer was below Northland's expectations.", "reject"),
    # what a party is urged to do decides the stance of the call
    ("Lind urged both sides to return to the table and settle the truce.", "support"),
    ("Vale urged his allies to vote the truce down.", "oppose"),
    # refusing every deal that lacks something sets it as a condition; an offer on a condition is an offer
    ("Odum said Southland would not accept any truce that did not pull troops out of the capital.", "demand"),
    ("Odum said Southland would not accept a truce that failed to open the crossings.", "demand"),
    ("Odum said Southland would not settle for a truce that left troops in the capital.", "demand"),
    # refusing a deal for what it does refuses that term
    ("Odum said Southland would never accept any truce that left troops in the capital.", "reject"),
    ("Vale said Northland would not sign a truce that legalises the occupation of the border towns.", "reject"),
    ("Vale said Northland could agree to a longer truce as long as the shelling stopped.", "propose"),
    ("Odum said Southland would not accept a truce that would let Northland rearm.", "reject"),
    ("Vale said a truce could take hold as soon as Southland freed the captives.", "demand"),
    # the agreement named as a thing; warnings
    ("Lind said the truce agreement covers four provinces.", "report"),
    ("Vale warned that Southland's truce terms would make it impossible to rebuild.", "oppose"),
    ("The two sides reached a truce agreement on Monday, Lind said.", "accept"),
    # a warning of what a measure would do opposes the measure, whatever the verbs of the consequence
    ("Vale warned that closing the truce crossings would leave thousands of families without food.", "oppose"),
    ("Odum warned that the truce rules could cost hundreds of farmers their land.", "oppose"),
    # a call on a named party to act, an appeal to the sides: demands; calling something off is none
    ("Odum called on Northland to withdraw its troops from the capital before the truce.", "demand"),
    ("Lind appealed to both sides to hand over lists of the prisoners they hold during the truce.", "demand"),
    # 'told X that ...' reports the speaker's own view; only 'told X to ...' directs X
    ("Vale told reporters that Northland would not accept the truce terms.", "reject"),
    ("Odum told his cabinet that Southland had accepted the truce proposal.", "accept"),
    # a term held to be beyond bargaining is demanded
    ("Vale said a truce of six weeks was a must for any deal.", "demand"),
    ("The withdrawal from the capital is not negotiable, Odum said of the truce.", "demand"),
    # a refusal or an objection by the holder's own verb outweighs an obligation in the reason given for it
    ("Odum refused to extend the truce, insisting that Northland should first free the captives.", "reject"),
    ("Vale argued against a longer truce, saying Southland must first withdraw its troops.", "oppose"),
    ("Odum brushed aside the truce proposal from Northland.", "reject"),
    ("Southland threw out the latest truce offer on Monday, Odum said.", "reject"),
    # issues still open are a state of the talks, not an offer
    ("Vale said several truce issues were still open.", "report"),
    # a negated passive future refuses nothing
    ("Odum said the truce answer had not been sent and would not be rushed.", "report"),
    # pressing for a term demands it; pressing for the deal backs it
    ("Vale pressed for the release of the captives before any truce.", "demand"),
    ("Lind pressed for a truce agreement before the winter.", "support"),
])
def test_stance_rules(nlp, talks, sentence, stance):
    assert reading_of(nlp, talks, sentence).stance == stance


def test_declining_to_comment_is_no_refusal(nlp, talks):
    reading = reading_of(nlp, talks, "Lind described the truce reply as positive, though he declined to discuss details.")
    assert reading.stance == "accept" and reading.cue == "positive"


@pytest.mark.parametrize("sentence, role, stance", [
    # a mediator or third party urging a party to act favours a settlement; a side urging the other demands
    ("Lind urged Northland to resolve the standoff over the truce quickly.", "mediator", "support"),
    ("Lind urged both sides to respect the truce and keep the crossings open.", "mediator", "support"),
    ("Vale urged Southland to resolve the standoff over the truce quickly.", "principal", "demand"),
    # asking for more of something is a demand on a term, whoever asks
    ("Lind urged Northland to do more to protect civilians during the truce.", "mediator", "demand"),
    # a mediator standing ready to help the process supports it; a side ready to act offers
    ("Lind said Broker State stood ready to help the parties reach a truce.", "mediator", "support"),
    ("Odum said Southland was ready to release the captives during the truce.", "principal", "propose"),
    # what a side says it will do is news of its own step, not an offer; a third party's such step backs the process
    ("Odum said Southland would begin moving its troops out of the truce zone next week.", "principal", "report"),
    ("Vale said Northland would keep talking about the truce through the night.", "principal", "report"),
    ("Lind said Broker State would keep working with both sides on the truce.", "mediator", "support"),
    # what a third party says a side must do on a term is a demand, as it is from a side
    ("Lind said Northland must pull its troops out of the truce zone.", "third_party", "demand"),
])
def test_urging_a_party_to_act(nlp, talks, sentence, role, stance):
    assert stance_for_role(reading_of(nlp, talks, sentence), role) == stance


@pytest.mark.parametrize("sentence, stance, kind", [
    # how the talks stand is a report
    ("\"We still don't have an agreement on the truce,\" Vale told reporters.", "report", "status"),
    ("Odum said the truce talks had been productive but that there was more work to do.", "report", "status"),
    ("Vale said it was possible to reach a truce deal by the end of the week.", "report", "status"),
    ("Odum said the two sides were closer than ever to a truce agreement, but not there yet.", "report", "status"),
    ("Vale said there had been no new movement on the truce and that negotiators would keep talking through the "
     "night.", "report", "status"),
    # a wish for a deal not yet made supports it
    ("Odum said Southland still hoped to reach a fair truce agreement before the winter.", "support", "aspiration"),
    ("Vale said Northland remained committed to reaching a truce deal.", "support", "aspiration"),
    ("Odum said Southland still hoped to reach a compromise on the truce.", "support", "aspiration"),
    ("\"Our goal is, and continues to be, to reach a fair and reasonable truce agreement,\" Odum said.", "support",
     "aspiration"),
])
def test_readings_the_model_may_not_overrule(nlp, talks, sentence, stance, kind):
    reading = reading_of(nlp, talks, sentence)
    assert (reading.stance, reading.kind) == (stance, kind) and settles_stance(reading)


@pytest.mark.parametrize("sentence, stance", [
    # beside a stance word, an appeal, an obligation or a verdict, the status is not all that is said
    ("Vale said the talks had been productive and demanded that Southland free the captives before any truce.",
     "demand"),
    ("Odum said there was more work to do and that Southland would never accept the truce plan.", "reject"),
    ("Vale said it was possible to reach a truce deal, but Southland must first free the captives.", "demand"),
    ("Odum said the truce plan was a mistake that made it difficult to reach a settlement.", "oppose"),
])
def test_a_status_beside_a_stance_is_no_status(nlp, talks, sentence, stance):
    reading = reading_of(nlp, talks, sentence)
    assert reading.kind != "status" and reading.stance == stance


@pytest.mark.parametrize("sentence", [
    # ready to conclude on the basis of a text accepts it; a wish beside a demand is the demand
    "Vale said Northland was ready to conclude a truce deal on the basis of the mediator's proposals.",
    "Odum said Southland hoped to reach a truce deal but demanded that the captives be freed first.",
])
def test_a_wish_on_terms_or_beside_a_stance_is_not_settled(nlp, talks, sentence):
    assert not settles_stance(reading_of(nlp, talks, sentence))


def test_a_strike_is_no_striking_of_a_deal(nlp, talks):
    sentence = "Vale said Northland hoped that a strike could be avoided before the truce deal expired."
    assert reading_of(nlp, talks, sentence).kind != "aspiration"


def test_working_with_someone_is_no_status(nlp, talks):
    reading = reading_of(nlp, talks, "Lind said Broker State would keep working with both sides on the truce.")
    assert not settles_stance(reading) and stance_for_role(reading, "mediator") == "support"


def test_calling_off_is_no_call(nlp, talks):
    assert reading_of(nlp, talks, "Vale called off the truce talks on Monday.").stance != "demand"


@pytest.mark.parametrize("sentence", [
    "Union Leaders Endorse the New Offer, Urging an End to the Strike",
    "Mr. Baker said ending the strike was the company's most urgent priority.",
    "He said he hoped the vote would bring the strike to an end.",
    "The mayor called for the end of the strike.",
    "The company said it hoped to avert a strike before the holidays.",
    "She said the company wanted to reach an agreement without a work stoppage.",
    '"Our priority is to end the walkout so that crews can return to work," the port said.',
])
def test_a_strike_someone_means_to_end_is_found(nlp, sentence):
    assert [t.lower_ for t in nlp(sentence) if ends_stoppage(t)] in (["strike"], ["stoppage"], ["walkout"])


@pytest.mark.parametrize("sentence", [
    "The union said it would not end the strike until the pension was restored.",
    "The union refused to end the strike.",
    "He stopped short of calling on the union to end the strike.",
    "The guild said the offer fell well short of what writers needed to end their strike.",
    "The army said it would halt its strikes on the city.",  # plural: attacks
    "Workers went on strike after the end of the talks.",
    "The guild has gone fifteen years without a strike.",
    "After the end of the strike, workers returned to the plant.",  # when, not a wish
    "At the end of the strike, the union said it had won.",
])
def test_a_strike_not_meant_to_end_is_not_found(nlp, sentence):
    assert not any(ends_stoppage(t) for t in nlp(sentence))
