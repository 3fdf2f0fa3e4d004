"""Clean fields: no attribution a reader sees holds the internal quotation mask, a dateline, a
clause or a 15-word run as a role, a cut abbreviation, or a place, date or verb phrase as a
speaker. Over generated paragraphs everywhere, and over all 700 polnear-train articles when
the evaluation sets are beside the project (../shared, or the folder $SAIDWHO_SHARED names)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.attribution import attribute
from index.attribution.fields import clean_role, problems
from index.inputs import load_file
from index.models import Attribution
from index.reading import read

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SAIDWHO_SHARED") or ROOT.parent / "shared")
TRAIN = SHARED / "eval" / "polnear-train" / "articles"


def _one(text: str) -> list[Attribution]:
    return [a for found in attribute([text]) for a in found]


def test_the_problems_a_reader_would_see_are_named() -> None:
    def bad(speaker: str | None = None, role: str | None = None) -> list[str]:
        return problems(
            Attribution(speaker=speaker, mention=speaker, role=role, quote="it is fine")
        )

    assert bad(role='move reeks of "qxxx" and desperation') == ["role: mask"]
    assert bad(role="WASHINGTON -- President") == ["role: dateline"]
    assert bad(role="Massachusetts Sen") == ["role: cut abbreviation"]
    assert bad(role="a pastor in Ft") == ["role: cut abbreviation"]
    assert bad(role="29, of Huntsville, Ala") == ["role: cut abbreviation"]
    assert bad(role=" ".join(["word"] * 16)) == ["role: long"]
    assert bad(role="he was once part of the so-called establishment") == ["role: clause"]
    assert bad(role="If") == ["role: clause"]
    assert bad(role="told MSNBC Monday when") == ["role: clause"]
    assert bad(role="author of") == ["role: clause"]
    assert bad(role="media would call him a chicken if he didn't") == ["role: clause"]
    assert bad(role="close friends and allies have in the past") == ["role: clause"]
    assert bad(role="Navy veteran who now is a civilian employee of the Air Force") == []
    assert bad(speaker="South Carolina") == ["speaker: place"]
    assert bad(speaker="on Saturday") == ["speaker: date"]
    assert bad(speaker="contradicting Tulsa police's") == ["speaker: verb or preposition"]
    assert bad(speaker="Naji Mustafa", role="spokesman for the front") == []
    # A one-word place given a role is a person named like it; alone, it is a place.
    assert bad(speaker="Jackson", role="superdelegate from Maine") == []
    assert bad(speaker="Jackson") == ["speaker: place"]


def test_roles_are_cut_to_a_noun_phrase_with_whole_abbreviations() -> None:
    assert clean_role("WASHINGTON -- President") == "President"
    assert clean_role("Massachusetts Sen") == "Massachusetts Sen."
    assert clean_role("of Huntsville, Ala") == "of Huntsville, Ala."
    assert clean_role("pastor in St. Louis. He said") == "pastor in St. Louis"
    assert clean_role("Democrat of Delaware. He predicted the campaign would") == (
        "Democrat of Delaware"
    )
    long = (
        "former senior adviser to Mr. Obama who is now a distinguished fellow at the "
        "Washington Institute for Near East Policy"
    )
    assert clean_role(long) == "former senior adviser to Mr. Obama"
    assert clean_role("she plans to root for Iowa") is None
    # A role that ran on into the sentence stops before its speech verb; one cut in the middle
    # of a phrase or at the start of a clause is no role.
    assert clean_role("former Fed governor who argued with Ms. Brainard") == "former Fed governor"
    assert clean_role("from Manchester, who said Sanders is best suited") == "from Manchester"
    assert clean_role("told MSNBC Monday when") is None
    assert clean_role("author of") == "author"
    assert clean_role("released data Monday morning that") is None
    assert clean_role("If") is None
    assert clean_role("whom George W. Bush appointed chief of mission to Bermuda") is None
    assert clean_role("whose husband") is None


def test_a_middle_initial_does_not_end_an_appositive() -> None:
    [found] = _one(
        "Michael J. Petrilli, president of the Thomas B. Fordham Institute, tied the scores to "
        'graduation rates, saying the law helped "millions of kids."'
    )
    assert found.speaker == "Michael J. Petrilli"
    assert found.role == "president of the Thomas B. Fordham Institute"


def test_words_before_a_name_that_open_a_clause_are_no_title() -> None:
    [cruz, christie] = _one(
        "Neither Ted Cruz nor Chris Christie mentioned it. Cruz said the plan was weak. "
        "Christie said the plan was worse."
    ) or [None, None]
    assert cruz is not None and christie is not None
    assert cruz.speaker == "Ted Cruz" and cruz.role is None
    assert christie.speaker == "Chris Christie" and christie.role is None
    [grayson] = _one("If Alan Grayson wins, he said, the party will be fine.")
    assert grayson.speaker == "Alan Grayson" and grayson.role is None


def test_a_title_never_runs_across_punctuation_a_quotation_or_a_time_word() -> None:
    def role_of(text: str) -> str | None:
        return next(a.role for a in _one(text) if a.speaker and "Rubio" in a.speaker)

    assert role_of("''We will win in la Casa Blanca,'' Mr. Rubio said on Monday.") is None
    assert role_of("For Mr. Rubio, the plan was simple, he said.") is None
    assert role_of("Years after Marco Rubio said the plan was dead, it lives.") is None
    assert role_of("Kasich’s chief strategist Marco Rubio said the plan was dead.") == (
        "Kasich’s chief strategist"
    )
    assert role_of("Acting Secretary Marco Rubio said the plan was dead.") == "Acting Secretary"


def test_an_appositive_after_a_name_is_a_role_only_if_it_is_a_noun_phrase() -> None:
    [sena] = _one("Ken Sena, managing director at Evercore, said Twitter remains a platform. ")
    assert sena.role == "managing director at Evercore"
    [scott] = _one(
        "Rep. Bobby Scott (D-Va.), ranking member of the House education committee, said the "
        "deal was good."
    )
    assert scott.role == "ranking member of the House education committee"
    found = _one(
        "Sandy Phillips, who lost her daughter in Aurora, met Sanders. Phillips said the "
        "meeting was short."
    )
    assert [a.role for a in found if a.speaker == "Sandy Phillips"] == [None]


def test_a_dateline_never_reaches_the_role() -> None:
    [found] = _one(
        "WASHINGTON -- President Obama said on Saturday that the museum tells the story "
        "of the nation."
    )
    assert found.speaker == "Obama" and found.role == "President"


def test_a_quotation_in_an_appositive_is_shown_as_written() -> None:
    found = _one(
        'Rush Limbaugh, whose move reeks of "fear" and desperation, said the debate was rigged.'
    )
    assert found and all("xxx" not in (a.role or "") for a in found)


def test_a_state_after_a_comma_is_where_the_speaker_is_from_not_who_speaks() -> None:
    [found] = _one(
        "Christopher Harvey, a delegate from Houston, Texas, said the turmoil at the "
        "convention was all part of the circus."
    )
    assert found.speaker == "Christopher Harvey"
    assert found.role == "delegate from Houston, Texas"


_NAMES = st.sampled_from(["Naji Mustafa", "Sen. Ted Cruz", "Ms. Ayotte", "the mayor", "officials"])
_ROLES = st.sampled_from(
    [
        "",
        ", a delegate from Sumter, South Carolina,",
        ', whose plan was called "reckless" by critics,',
        ", who has worked for three campaigns and now advises the party on matters of policy, "
        "trade, labour and the environment,",
        ", Massachusetts Sen.",
    ]
)
_DATELINES = st.sampled_from(["", "WASHINGTON -- ", "NEW YORK (Reuters) - ", "HONOLULU — "])
_CONTENT = st.text(st.sampled_from(list("abcdefgh ,.'")), min_size=5, max_size=60)


@settings(max_examples=150, deadline=None)
@given(_DATELINES, _NAMES, _ROLES, _CONTENT, st.booleans())
def test_generated_attributions_have_clean_fields(
    dateline: str, name: str, role: str, content: str, inverted: bool
) -> None:
    quote = f'"The {content.strip() or "plan"} will work,"'
    text = (
        f"{dateline}{quote} said {name}{role.rstrip(',')}."
        if inverted
        else f"{dateline}{name}{role} said {quote.strip(',')}"
    )
    for attribution in _one(text):
        assert problems(attribution) == [], (text, attribution)


@pytest.mark.skipif(not TRAIN.is_dir(), reason=f"no evaluation articles at {TRAIN}")
def test_every_field_over_the_train_articles_is_clean() -> None:
    files = sorted(TRAIN.glob("*.txt"))
    assert len(files) >= 700
    dirty = [
        (path.stem, problem)
        for path in files
        for passage in read(load_file(path)).passages
        for attribution in passage.attributions
        for problem in problems(attribution)
    ]
    assert dirty == []


def test_a_long_role_is_cut_before_where_it_is_not_dropped() -> None:
    role = (
        "co-director of the Liberty and National Security Program at New York University's "
        "Brennan Center for Justice"
    )
    assert clean_role(role) == "co-director of the Liberty and National Security Program"
    two = (
        "assistant to the president and director of the White House's Office of Political "
        "Strategy and Outreach"
    )
    assert clean_role(two) == "assistant to the president"


def test_a_titled_person_of_a_state_holds_that_office_of_it() -> None:
    roles = {
        "Senator Chris Murphy of Connecticut said the plan was dead.": "Senator of Connecticut",
        "Gov. John Kasich of Ohio said the plan was dead.": "Governor of Ohio",
        '"It is dead," said former Gov. Jeb Bush of Florida.': "former Governor of Florida",
        "Senator Ted Cruz of Texas, who is running second, stuck to policy, eventually saying "
        "he would be a disaster.": "Senator of Texas",
        "Mr. Smith of Ohio said the plan was dead.": "Ohio",
    }
    for text, role in roles.items():
        [found] = _one(text)
        assert found.role == role, text


def test_the_title_of_a_work_is_part_of_a_role_and_shown_as_written() -> None:
    found = _one(
        "\u201cThe unions have a stranglehold,\u201d said Steven Brill, author of "
        "\u201cAmerica\u2019s Bitter Pill,\u201d a history of the Obamacare debate. "
        "\u201cIt was crippled,\u201d Brill said."
    )
    assert [a.role for a in found] == [
        "author of \u201cAmerica\u2019s Bitter Pill,\u201d a history of the Obamacare debate"
    ] * 2
    [miller] = _one(
        "''Be careful,'' said James Andrew Miller, a co-author of ''Those Guys Have All the "
        "Fun: Inside the World of ESPN.''"
    )
    assert miller.role == "co-author of ''Those Guys Have All the Fun: Inside the World of ESPN.''"
