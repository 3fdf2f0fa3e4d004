"""Question analysis, ranking in context and the speaker meant: plain functions, no event loop."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.matching import answering_attribution
from index.matching import speaker_by_role as by_role
from index.models import ArticleInfo, Attribution, Passage, ScoredPassage
from index.places import party_words, state_words
from index.question import Kind, Query, analyse, asked_speaker
from index.ranking import (
    FEATURES,
    Context,
    coverage,
    features,
    has_quantity,
    no_quantity,
    standout,
)
from index.ranking import in_context as rank
from index.terms import findable_terms
from index.tokens import tokenize
from tests.conftest import WEIGHTS


def in_context(
    query: Query, results: list[tuple[int, ScoredPassage]], context: Context
) -> list[ScoredPassage]:
    return rank(query, results, context, WEIGHTS)


def speaker_by_role(
    query: Query, found: list[tuple[int, ScoredPassage]], idf: dict[str, float]
) -> str | None:
    meant = by_role(query, [r for _, r in found], idf)
    return meant[0] if meant and meant[1] >= WEIGHTS.role_match else None


def speaker_of(query: Query, results: list[ScoredPassage], meant: str | None = None) -> str | None:
    attribution = answering_attribution(query, results[0].passage, meant)
    return attribution.speaker if attribution else None


@pytest.mark.parametrize(
    ("question", "kind", "subject"),
    [
        ("who said Russians intervened directly?", Kind.SAID, None),
        ("which cnn anchor called it appalling journalism?", Kind.SAID, None),
        ("what did the NYU law professor say about real estate?", Kind.SAID, None),
        ("according to whom are Russian troops fighting in Idlib?", Kind.SAID, None),
        ("how did the mayor describe the plan?", Kind.SAID, None),
        ("what was Robby Mook worried Trump would do?", Kind.SAID, None),
        ("has Kevin McKinley softened on student loans", Kind.SAID, None),
        ("Why does Larry King work with the channel?", Kind.SAID, None),
        ("who is Naji Mustafa?", Kind.WHO_IS, "Naji Mustafa"),
        ("Who was Captain Mustafa", Kind.WHO_IS, "Captain Mustafa"),
        ("how many people were surveyed in the poll?", Kind.FACTUAL, None),
        ("where is Idlib province?", Kind.FACTUAL, None),
        ("who said that?", Kind.NO_CONTENT, None),
    ],
)
def test_question_kinds(question: str, kind: Kind, subject: str | None) -> None:
    query = analyse(question)
    assert (query.kind, query.subject) == (kind, subject)


def _result(article: int, text: str, score: float, quoted: bool = False) -> ScoredPassage:
    quotes = [Attribution(speaker="Ann Lee", quote=text)] if quoted else []
    return ScoredPassage(
        score=score,
        passage=Passage(ordinal=0, paragraph=0, text=text, attributions=quotes),
        article=ArticleInfo(id=article, title=f"article {article}"),
    )


def test_the_article_score_breaks_a_tie_between_passages() -> None:
    ranked = [(1, _result(10, "first", 2.0)), (2, _result(20, "second", 2.0))]
    order = in_context(analyse("vote on the bridge"), ranked, Context({20: 5.0, 10: 1.0}))
    assert [r.passage.text for r in order] == ["second", "first"]


def test_a_question_about_what_was_said_prefers_a_quote() -> None:
    ranked = [(1, _result(10, "plain", 2.0)), (2, _result(10, "quoted", 1.9, quoted=True))]
    said = in_context(analyse("what did Lee say about the bridge?"), ranked, Context({}))
    assert said[0].passage.text == "quoted"
    factual = in_context(analyse("how long is the bridge?"), ranked, Context({}))
    assert factual[0].passage.text == "plain"


def test_the_passage_leading_in_lifts_the_quotation_after_it() -> None:
    ranked = [(1, _result(10, "other quote", 1.0, quoted=True)), (2, _result(10, "q", 0.9, True))]
    question = analyse("what did Lee tell the Post about the bridge?")
    order = in_context(question, ranked, Context({}, lead_ins={2: (7, 3.0)}))
    assert order[0].passage.text == "q"
    assert in_context(question, ranked, Context({}))[0].passage.text == "other quote"


def test_a_lead_in_close_in_meaning_lifts_the_quotation_after_it() -> None:
    """With the dense extra, a question paraphrasing the words it asks for is close in meaning
    to the paragraph leading in ("… told the Post when pressed on …"), not to the quotation."""
    ranked = [(1, _result(10, "other quote", 1.0, True)), (2, _result(10, "quote", 1.0, True))]
    lead_ins = {1: (8, 0.5), 2: (9, 0.5)}  # each follows a passage as good in words
    meanings = {1: 0.3, 2: 0.3, 8: 0.2, 9: 0.7}
    question = analyse("what did Lee tell the Post when pressed on the bridge?")
    order = in_context(question, ranked, Context({}, meanings, lead_ins=lead_ins))
    assert order[0].passage.text == "quote"
    # "who said …" gives the words: the lead-in's meaning is no reason to prefer a quotation.
    who = in_context(
        analyse("who said the bridge is safe?"), ranked, Context({}, meanings, lead_ins=lead_ins)
    )
    assert who[0].passage.text == "other quote"


def test_a_quotation_after_its_speaker_is_introduced_gains_most_from_the_lead_in() -> None:
    def said(pid: int, score: float, speaker: str) -> tuple[int, ScoredPassage]:
        quote = Attribution(speaker=speaker, quote="x", direct=True)
        passage = Passage(ordinal=pid, paragraph=pid, text=f"p{pid}", attributions=[quote])
        return pid, ScoredPassage(score=score, passage=passage, article=ArticleInfo(title="t"))

    intro, same, other = said(1, 2.0, "Ann Lee"), said(2, 0.5, "Ann Lee"), said(3, 0.9, "Bo Kim")
    lead_ins = {2: (1, 2.0), 3: (1, 2.0)}  # both follow the introduction (in two articles)
    question = analyse("how did Ann Lee describe the bridge?")
    order = in_context(question, [intro, same, other], Context({}, lead_ins=lead_ins))
    assert [r.passage.text for r in order][1] == "p2"
    who = in_context(analyse("who said x?"), [intro, same, other], Context({}, lead_ins=lead_ins))
    assert [r.passage.text for r in who][1] == "p3"


def test_a_lead_in_naming_the_speaker_lifts_their_quotation() -> None:
    """ "Delegates questioned how Cruz could …", then "…," he said: the paragraph before names
    Cruz without quoting him, and is the question his quotation answers."""

    def passage(pid: int, text: str, speaker: str) -> Passage:
        quote = Attribution(speaker=speaker, quote="x", direct=True)
        return Passage(ordinal=pid, paragraph=pid, text=text, attributions=[quote])

    def result(pid: int, score: float, p: Passage) -> tuple[int, ScoredPassage]:
        return pid, ScoredPassage(score=score, passage=p, article=ArticleInfo(title="t"))

    asking = passage(1, "Delegates questioned how Cruz could turn back on a pledge.", "Delegates")
    answer = passage(2, "“That day this became personal,” he said.", "Ted Cruz")
    other = passage(3, "“I will tell the truth,” Cruz said at the time.", "Ted Cruz")
    after_other = passage(4, "The vote came in July.", "Ann Lee")
    ranked = [result(1, 2.0, asking), result(2, 0.5, answer), result(3, 0.9, other)]
    ranked.append(result(4, 1.0, after_other))
    lead_ins = {2: (1, 2.0), 3: (4, 2.0)}  # each follows a passage as good in words
    question = analyse("how did Ted Cruz justify breaking his pledge?")
    order = [r.passage.text for r in in_context(question, ranked, Context({}, lead_ins=lead_ins))]
    assert order.index(answer.text) < order.index(other.text)


def test_asking_for_the_words_prefers_a_direct_quotation() -> None:
    def said(pid: int, score: float, attribution: Attribution) -> tuple[int, ScoredPassage]:
        passage = Passage(ordinal=pid, paragraph=pid, text=f"p{pid}", attributions=[attribution])
        return pid, ScoredPassage(score=score, passage=passage, article=ArticleInfo(title="t"))

    reported = Attribution(speaker="Ann Lee", quote="the bridge is unsafe", direct=False)
    direct = Attribution(speaker="Ann Lee", quote="We will not cross it")
    ranked = [said(1, 1.0, reported), said(2, 0.9, direct)]
    asked = in_context(analyse("how did Ann Lee describe the bridge?"), ranked, Context({}))
    assert asked[0].passage.text == "p2"
    # "who said …" gives the words: a reported statement matching them better stays first.
    who = in_context(analyse("who said the bridge is unsafe?"), ranked, Context({}))
    assert who[0].passage.text == "p1"


@pytest.mark.parametrize(
    ("question", "asks_words"),
    [
        ("what did Ann Lee say about the bridge?", True),
        ("how did the mayor describe the plan?", True),
        ("who said the bridge is unsafe?", False),
        ("which pollster claimed the race was close?", False),
        ("according to whom is the bridge unsafe?", False),
        ("how long is the bridge?", False),
        ("what channel replaced Sky Travel?", False),  # replaced, not replied
        ("what was the naval base called?", False),  # a name, not a saying
        ("what did the mayor reply to the council?", True),
        ("who called the plan a disgrace?", False),
    ],
)
def test_questions_after_the_words(question: str, asks_words: bool) -> None:
    assert analyse(question).asks_words is asks_words


def test_meaning_lifts_a_passage_with_no_shared_words() -> None:
    ranked = [(1, _result(10, "words", 1.0)), (2, _result(10, "meaning", 0.0))]
    order = in_context(analyse("culprit behind the change"), ranked, Context({}, {1: 0.2, 2: 0.9}))
    assert order[0].passage.text == "meaning"


@given(
    st.lists(st.tuples(st.floats(0, 50), st.integers(1, 4), st.booleans()), max_size=12),
    st.dictionaries(st.integers(1, 4), st.floats(0, 30), max_size=4),
)
def test_in_context_reorders_without_losing_anything(
    items: list[tuple[float, int, bool]], articles: dict[int, float]
) -> None:
    ranked = [
        (pid, _result(article, f"p{pid}", score, quoted))
        for pid, (score, article, quoted) in enumerate(items)
    ]
    out = in_context(analyse("who said the bridge is safe?"), ranked, Context(articles))
    assert sorted(r.passage.text for r in out) == sorted(r.passage.text for _, r in ranked)
    assert [r.score for r in out] == sorted((r.score for r in out), reverse=True)


def test_the_speaker_named_in_the_question_wins_a_tie_between_quotes() -> None:
    both = [
        Attribution(speaker="Ann Lee", role="mayor", quote="the bridge is safe"),
        Attribution(speaker="Tom Berg", role="city engineer", quote="the bridge is sound"),
    ]
    passage = Passage(ordinal=0, paragraph=0, text="…", attributions=both)
    result = ScoredPassage(score=1.0, passage=passage, article=ArticleInfo(title="t"))
    assert speaker_of(analyse("what did the engineer say about the bridge?"), [result]) == (
        "Tom Berg"
    )
    assert speaker_of(analyse("what did the mayor say about the bridge?"), [result]) == "Ann Lee"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("what did Jim Jordan think of Cheryl Mills?", "Jim Jordan"),
        ("did Gennifer Flowers ever comment on the debate", "Gennifer Flowers"),
        ("What did Bill de Blasio say about the blast?", "Bill de Blasio"),
        ("is Washington willing to talk, according to John Kerry?", "John Kerry"),
        ("According to Megan Hester, what do parents want?", "Megan Hester"),
        ("how did Ted Cruz justify breaking his promise?", "Ted Cruz"),
        ("How did Richard Revesz push back on the states?", "Richard Revesz"),
        ("what was Robby Mook worried Trump would do?", "Robby Mook"),
        ("is Washington still willing to talk to Pyongyang?", None),  # no speech verb
        ("What's Bernie's advice to young voters?", "Bernie"),
        ("what was Trump's response to the ruling?", "Trump"),
        ("what did Trump's spokesman tell the Post?", None),  # the spokesman is unnamed
        ("who said Obama's remarks were unfair?", None),  # Obama's words are not the answer
        ("what did the Ohio secretary of state warn?", None),
        ("who said Russians intervened directly?", None),
        ("how tall is Mount Everest?", None),  # not about what was said
    ],
)
def test_the_speaker_a_question_names(question: str, named: str | None) -> None:
    assert asked_speaker(analyse(question)) == named


def _found(text: str, title: str = "Title") -> ScoredPassage:
    return ScoredPassage(
        score=1.0,
        passage=Passage(ordinal=0, paragraph=0, text=text),
        article=ArticleInfo(title=title),
    )


def test_coverage_weighs_rare_words_most_and_counts_the_title() -> None:
    query = analyse("how tall is mount everest")
    idf = {"tall": 1.0, "mount": 2.0, "everest": 7.0}
    assert coverage(query, [_found("He is very tall.")], idf) == pytest.approx(0.1)
    assert coverage(query, [_found("Tall, on Everest.")], idf) == pytest.approx(0.8)
    best = coverage(query, [_found("tall"), _found("climbing", title="Mount Everest")], idf)
    assert best == pytest.approx(0.9)
    assert coverage(query, [], idf) == 0.0


@given(st.lists(st.text(max_size=40), max_size=4), st.text(max_size=60))
def test_coverage_is_a_share(texts: list[str], question: str) -> None:
    query = analyse(question)
    idf = {t: float(len(t)) for t in query.terms}
    assert 0.0 <= coverage(query, [_found(t) for t in texts], idf) <= 1.0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Rep. Stephen Lynch (D-Mass.) said", "Democrat Democratic Massachusetts"),
        ("Sen. Lindsey Graham, R-S.C., said", "Republican South Carolina"),
        ("Mike Pence (R-IN)", "Republican Indiana"),
        ("Jason Chaffetz (R-Utah)", "Republican Utah"),
        ("a D-Day veteran and an R-rated film", ""),
    ],
)
def test_party_tags_spell_out_party_and_state(text: str, words: str) -> None:
    assert party_words(text) == words


def test_a_politician_is_found_by_party_and_state() -> None:
    tagged = Attribution(speaker="Stephen Lynch", role="D-Mass.", quote="x")
    passage = Passage(ordinal=0, paragraph=0, text="“x,” Lynch said.", attributions=[tagged])
    assert set(tokenize("Massachusetts Democrat")) <= set(findable_terms(passage))


def quoting(pid: int, speaker: str, role: str | None) -> tuple[int, ScoredPassage]:
    said = Attribution(speaker=speaker, role=role, quote="x")
    passage = Passage(ordinal=pid, paragraph=pid, text="x", attributions=[said])
    return pid, ScoredPassage(score=1.0, passage=passage, article=ArticleInfo(title="t"))


def test_a_speaker_named_by_role_is_found_among_the_quoted() -> None:
    found = [
        quoting(1, "Jo Formicola", "political science professor at Seton Hall University"),
        quoting(2, "Tim Rusk", "Trump campaign spokesman"),
    ]
    question = analyse("how did the Seton Hall professor expect Trump to handle questions?")
    idf = dict.fromkeys(question.terms, 1.0)
    assert speaker_by_role(question, found, idf) == "Jo Formicola"
    who = analyse("which Seton Hall professor expected Trump to deflect questions?")
    assert speaker_by_role(who, found, idf) is None  # the question asks who: no guessing
    vague = analyse("what did the expert say about the questions?")
    assert speaker_by_role(vague, found, dict.fromkeys(vague.terms, 1.0)) is None


def test_a_person_named_by_role_beats_an_unnamed_source_as_good_a_match() -> None:
    found = [
        quoting(1, "a Homeland Security Department official", None),
        quoting(2, "Jeh Johnson", "Homeland Security Secretary"),
    ]
    question = analyse("what did the homeland security chief say about hackers?")
    idf = dict.fromkeys(question.terms, 1.0)
    assert speaker_by_role(question, found, idf) == "Jeh Johnson"
    twins = [*found, quoting(3, "Ann Lee", "Homeland Security Secretary")]
    assert speaker_by_role(question, twins, idf) is None  # two people: no guessing


def test_the_speaker_the_question_means_names_the_answer() -> None:
    both = [
        Attribution(speaker="the FBI", quote="hackers probed the voting systems"),
        Attribution(speaker="Jeh Johnson", role="Homeland Security Secretary", quote="…"),
    ]
    passage = Passage(ordinal=0, paragraph=0, text="…", attributions=both)
    result = ScoredPassage(score=1.0, passage=passage, article=ArticleInfo(title="t"))
    question = analyse("what did the homeland security chief say about hackers in voting systems?")
    assert speaker_of(question, [result]) == "the FBI"  # the quote shares the most words
    assert speaker_of(question, [result], meant="Jeh Johnson") == "Jeh Johnson"
    assert speaker_of(question, [result], meant="Ann Lee") == "the FBI"  # not quoted here


def test_a_speakers_name_inside_a_reporters_content_names_the_speaker() -> None:
    said = "is this a priority for the two of them because it’s an election year"
    both = [
        Attribution(speaker="Martin O’Malley", mention="O’Malley", quote=said),
        Attribution(
            speaker="Las Vegas Sun",
            quote=f"“{said}” O’Malley said at a press conference",
            cue="according to",
        ),
    ]
    passage = Passage(ordinal=0, paragraph=0, text="…", attributions=both)
    result = ScoredPassage(score=1.0, passage=passage, article=ArticleInfo(title="t"))
    question = analyse("did o'malley ask if immigration is a priority in an election year")
    assert speaker_of(question, [result]) == "Martin O’Malley"


@pytest.mark.parametrize(
    ("question", "asks_number"),
    [
        ("how many states are suing over the rule?", True),
        ("What share of companies use offshore shelters?", True),
        ("what was the committee vote to hold him in contempt", True),
        ("how far ahead was Clinton in the poll?", True),
        ("how did the mayor describe the plan?", False),
        ("who said Russians intervened directly?", False),
    ],
)
def test_questions_after_a_quantity(question: str, asks_number: bool) -> None:
    assert analyse(question).asks_number is asks_number


def test_a_quantity_question_prefers_a_passage_with_a_number() -> None:
    def passage(pid: int, text: str) -> tuple[int, ScoredPassage]:
        found = Passage(ordinal=pid, paragraph=pid, text=text)
        return pid, ScoredPassage(score=1.0, passage=found, article=ArticleInfo(title="t"))

    ranked = [
        passage(0, "The committee met on Thursday to weigh the contempt resolution."),
        passage(1, "It voted 19-15 along party lines."),
    ]
    asked = analyse("what was the committee vote on contempt?")
    assert in_context(asked, ranked, Context({}))[0].passage.text.startswith("It voted")
    other = analyse("what did the committee weigh on Thursday?")
    assert in_context(other, ranked, Context({}))[0].passage.text.startswith("The committee")


@pytest.mark.parametrize(
    ("role", "words"),
    [
        ("letter writer from Staunton Va.", "Virginia"),
        ("letter writer from Washington, D.C.", "District of Columbia"),
        ("reader from Henderson, Nev., and Reno", "Nevada"),
        ("Miss Universe judge", ""),
        ("letter writer from New York", ""),
    ],
)
def test_state_abbreviations_spell_out_the_state(role: str, words: str) -> None:
    assert state_words(role) == words


def test_a_letter_writer_is_found_by_the_state_they_wrote_from() -> None:
    letter = Attribution(speaker="Jo Ames", role="letter writer from Staunton Va.", quote="x")
    passage = Passage(ordinal=0, paragraph=0, text="Why do we tolerate it?", attributions=[letter])
    assert set(tokenize("Virginia letter writer")) <= set(findable_terms(passage))


def test_a_role_is_found_by_its_usual_synonyms() -> None:
    found = [
        quoting(1, "Frank Nervo", "Manhattan Supreme Court Justice"),
        quoting(2, "Ann Lee", "Manhattan borough president"),
        quoting(3, "Kerr Putney", "the city's police spokeswoman"),
    ]
    judge = analyse("what did the Manhattan judge say about privacy?")
    assert speaker_by_role(judge, found, dict.fromkeys(judge.terms, 1.0)) == "Frank Nervo"
    police = analyse("what did the police spokesperson tell the network about the video?")
    assert speaker_by_role(police, found, dict.fromkeys(police.terms, 1.0)) == "Kerr Putney"
    # A synonym of one word of a phrase is not the phrase: "chair" is no "chairman" of a city.
    other = analyse("what did the economist say about the video?")
    assert speaker_by_role(other, found, dict.fromkeys(other.terms, 1.0)) is None


def test_a_quantity_question_finds_nothing_without_a_number() -> None:
    def result(text: str) -> ScoredPassage:
        found = Passage(ordinal=0, paragraph=0, text=text)
        return ScoredPassage(score=1.0, passage=found, article=ArticleInfo(title="t"))

    played = [result("The Panthers host the Vikings on Sunday."), result("Fans marched.")]
    score = analyse("What was the final score of the Panthers game?")
    assert no_quantity(score, played, WEIGHTS)
    assert not no_quantity(score, [result("The Panthers won 22-10."), *played], WEIGHTS)
    assert not no_quantity(analyse("who hosts the Vikings on Sunday?"), played, WEIGHTS)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("The union represents almost 50,000 workers.", True),
        ("The committee voted 19-15.", True),
        ("Less than a quarter of donors gave.", True),
        ("Veterans died at three times the rate of civilians.", True),
        ("She cited her work after the Sept. 11 attacks.", False),
        ("The debate is on Oct. 19, 2016, at 9:00 p.m.", False),
        ("In 2014 the program grew.", False),
    ],
)
def test_a_quantity_is_a_number_that_is_no_date(text: str, quantity: bool) -> None:
    assert has_quantity(text) is quantity


def test_informal_words_are_searched_with_their_formal_ones() -> None:
    terms = analyse("what did the vets' moms tell the cops?").terms
    assert set(tokenize("veterans mothers police")) <= set(terms)
    assert set(tokenize("vets moms cops")) <= set(terms)  # the informal words are kept
    assert analyse("what did the veterans say?").terms == tokenize("veterans")


@pytest.mark.parametrize(
    ("question", "formal"),
    [
        ("who compared the Windy City's gun violence to a war zone?", "Chicago"),
        ("what did Dubya say about the museum?", "George W. Bush"),
        ("how far ahead was he in the Lone Star State?", "Texas"),
        ("has Moscow paid a price for the hack?", "Russia"),
        ("what did the pollster say about Black voters?", "African American"),
        ("what did the Black Caucus president say?", ""),  # a longer name: no African American
        ("who wrote for the Moscow Times?", ""),
        ("what did the GOP Senate candidate say?", "Republican"),  # an acronym stands alone
        ("where did they take her rather than the ER?", "emergency room"),
    ],
)
def test_names_people_use_are_searched_with_the_names_articles_use(
    question: str, formal: str
) -> None:
    query = analyse(question)
    assert query.terms == query.own_terms + [
        t for t in tokenize(formal) if t not in query.own_terms
    ]


@given(
    st.lists(
        st.sampled_from(["vets", "Windy", "City", "Black", "Caucus", "GOP", "the", "ER"])
        | st.text(max_size=8),
        max_size=8,
    )
)
def test_formal_words_only_ever_follow_the_question_own(parts: list[str]) -> None:
    question = " ".join(parts)
    query = analyse(question)
    assert query.own_terms == tokenize(" ".join(question.split()))
    added = query.terms[len(query.own_terms) :]
    assert len(added) == len(set(added)) and not set(added) & set(query.own_terms)


def test_an_informal_word_covers_as_much_as_its_formal_one() -> None:
    """Coverage (which decides abstention) counts "Windy City" held by a passage that says
    "Chicago", and the added word "Chicago" weighs nothing more."""
    found = [_found("Shootings in Chicago rose again, as in a war zone.")]
    informal, formal = (
        analyse("Windy City war zone shootings"),
        analyse("Chicago war zone shootings"),
    )
    idf = dict.fromkeys(informal.terms + formal.terms, 2.0)
    assert coverage(informal, found, idf) == coverage(formal, found, idf) == pytest.approx(1.0)
    unrelated = [_found("Shootings in Detroit rose again.")]
    assert coverage(informal, unrelated, idf) == pytest.approx(1 / 5)  # "shootings" alone


def test_a_when_question_marks_the_passages_that_give_a_time() -> None:
    question = analyse("When did the Idlib campaign begin?")
    assert question.asks_when and not analyse("who said the campaign began?").asks_when
    dated = ScoredPassage(
        score=1.0,
        passage=Passage(ordinal=0, paragraph=0, text="The campaign, which began in April."),
        article=ArticleInfo(title="t"),
    )
    undated = dated.model_copy(
        update={"passage": Passage(ordinal=1, paragraph=1, text="They are beginning to move.")}
    )
    rows = features(question, [(1, dated), (2, undated)], Context({}))
    at = FEATURES.index("answer_type")
    assert [row[at] for row in rows] == [1.0, 0.0]


@given(st.dictionaries(st.integers(), st.floats(-1.0, 1.0), max_size=30), st.integers(1, 25))
def test_how_far_the_nearest_passage_stands_out(cosines: dict[int, float], nearest: int) -> None:
    apart = standout(cosines, nearest)
    assert apart >= 0.0
    if len(set(cosines.values())) <= 1:
        assert apart == 0.0  # a question as near every passage: nothing stands out
    assert apart <= max(cosines.values(), default=0.0) - min(cosines.values(), default=0.0)


def test_a_passage_far_nearer_than_the_rest_stands_out_more() -> None:
    about_nothing = {pid: 0.30 + pid / 1000 for pid in range(25)}
    about_one = about_nothing | {99: 0.45}
    assert standout(about_one, 20) > standout(about_nothing, 20) + 0.1


def test_a_question_about_speech_says_what_was_said_after_its_verb() -> None:
    said = analyse("which thelma and louise star thinks a trump win would make it all blow up")
    assert said.said == "a trump win would make it all blow up"
    assert analyse("what did Lee say about the bridge being unsafe?").said == (
        "the bridge being unsafe"
    )
    assert analyse("who said that?").said is None  # too few words to stand for anything
    assert analyse("how many people live in Idlib?").said is None  # no speech asked for


@given(st.text(max_size=80))
def test_what_was_said_is_always_part_of_the_question(text: str) -> None:
    said = analyse(text).said
    assert said is None or said in " ".join(text.split())


def test_the_cosine_to_what_was_said_stands_in_for_the_question_s_own() -> None:
    ranked = [(1, _result(10, "a quote", 1.0, True)), (2, _result(10, "another", 1.0, True))]
    column = FEATURES.index("said_meaning")
    question = analyse("who said the bridge is safe?")
    both = features(question, ranked, Context({}, {1: 0.2, 2: 0.4}, said_meanings={1: 0.9}))
    assert [row[column] for row in both] == [0.9, 0.4]


def test_a_speaker_the_question_names_answers_before_a_question_put_to_them() -> None:
    both = [
        Attribution(speaker=None, quote="it had appeared he was encouraging violence", cue="asked"),
        Attribution(speaker="Donald Trump", mention="Trump", quote="Well, maybe so."),
    ]
    passage = Passage(ordinal=0, paragraph=0, text="…", attributions=both)
    result = ScoredPassage(score=1.0, passage=passage, article=ArticleInfo(title="t"))
    question = analyse("did trump admit his offer might have looked like encouraging violence")
    assert speaker_of(question, [result]) == "Donald Trump"
    # Asked who said the words, the question names no speaker, however its words run.
    assert speaker_of(analyse("who said trump was encouraging violence?"), [result]) is None
