"""Who said it, by name (issue #31): a pronoun goes to whom the text before means, a
description to the name the article ties it to, and other house styles than PolNeAR's
(British, wire copy) give names, never a place, a number, a verb or half a newspaper's name.
Made-up short articles in each style; the speaker a reader sees and the words the article used
(`mention`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.attribution import attribute
from index.attribution.fields import speaker_problem
from index.models import Attribution
from tests.conftest import CLI


def _last(paragraphs: list[str]) -> Attribution:
    """The last attribution of the article."""
    return [a for found in attribute(paragraphs) for a in found][-1]


@pytest.mark.parametrize(
    ("paragraphs", "speaker", "mention"),
    [
        pytest.param(
            [
                "Donald Trump attacked the press at a rally in Ohio on Monday.",
                "Cherie Blair, the wife of former British Prime Minister Tony Blair, was in"
                " the audience.",
                "“They are the most dishonest people,” he said.",
            ],
            "Donald Trump",
            "he",
            id="not-the-man-named-inside-a-womans-description",
        ),
        pytest.param(
            [
                "Bernie Sanders held a rally in Iowa on Saturday.",
                "Last month, The Huffington Post's Scott Conroy asked Sanders whether"
                " questions about his age were fair.",
                "“Sure it is,” he said.",
            ],
            "Bernie Sanders",
            "he",
            id="the-one-asked-answers",
        ),
        pytest.param(
            [
                "David Jolly and Alan Grayson are running for the Senate in Florida.",
                "“The department should stay,” Grayson said.",
                "Jolly, who was elected to Congress in 2014, sees it otherwise.",
                "“There are communities that require federal involvement,” he said.",
            ],
            "David Jolly",
            "he",
            id="the-subject-before-not-the-last-speaker",
        ),
        pytest.param(
            [
                "Kazakhstan's foreign minister, Erlan Idrissov, plays down concerns.",
                "“We should get on board that train,” he said.",
            ],
            "Erlan Idrissov",
            "he",
            id="a-subject-after-its-role",
        ),
        pytest.param(
            [
                "Michelle Obama spoke at the dinner.",
                "One big obstacle disappeared when Michael Capellas called with an offer."
                " In a merger, he said, the brand would survive.",
            ],
            "Michael Capellas",
            "he",
            id="the-subject-of-a-when-clause",
        ),
        pytest.param(
            [
                "Mr. Trump met Gen. Mark Smith on Monday.",
                "“We are ready,” Mr. Trump said. If Clinton is elected, he said, the"
                " country will suffer.",
            ],
            "Trump",
            "he",
            id="no-subject-in-an-if-clause",
        ),
        pytest.param(
            [
                "Rep. Bobby Scott said the shift was not new in Virginia.",
                "Political analyst David Bositis agreed that the shift was a matter of"
                " geography. For black voters in South Carolina, he said, experience told"
                " them otherwise.",
            ],
            "David Bositis",
            "he",
            id="a-role-noun-before-the-subject",
        ),
        pytest.param(
            [
                "Former Mexican President Felipe Calderon spoke to CNBC on Saturday.",
                "Trump also said at the time that the country had become a dumping ground.",
                "In his assessment of the real estate magnate, Calderon intimated"
                " disappointment that Americans have given Trump a real shot.",
                "“It is incredible that a quite admirable society could produce such"
                " candidates,” he said.",
            ],
            "Felipe Calderon",
            "he",
            id="the-subject-after-a-long-opening-phrase",
        ),
    ],
)
def test_a_pronoun_goes_to_whom_the_text_is_about(
    paragraphs: list[str], speaker: str, mention: str
) -> None:
    found = _last(paragraphs)
    assert (found.speaker, found.mention) == (speaker, mention)


@pytest.mark.parametrize(
    ("paragraphs", "speaker", "mention"),
    [
        pytest.param(
            [
                "Republican presidential front-runner Ben Carson addressed the debate on"
                " Tuesday. Reacting to criticism, the retired neurosurgeon acknowledged that he"
                " expected scrutiny.",
            ],
            "Ben Carson",
            "the retired neurosurgeon",
            id="an-epithet-for-the-subject-before",
        ),
        pytest.param(
            [
                "“We take this seriously,” Wells Fargo said in a statement on Friday.",
                "The company said it would repay the fees.",
            ],
            "Wells Fargo",
            "The company",
            id="the-company-quoted-just-before",
        ),
        pytest.param(
            [
                "Sen. John McCain spoke in Phoenix on Monday.",
                "The race turned on immigration this week.",
                "Ted Cruz defends his record in a new commercial: “We secured the border,” the"
                " senator says.",
            ],
            "Ted Cruz",
            "the senator",
            id="the-subject-of-its-own-sentence-over-a-senator-named-before",
        ),
        pytest.param(
            [
                "President Barack Obama spoke in Boise last winter.",
                "A year later, Mr. Obama called Naghmeh Abedini. Her husband, Saeed Abedini, was"
                " free and would soon be home, the president told her.",
            ],
            "Barack Obama",
            "the president",
            id="not-the-man-the-content-is-about",
        ),
        pytest.param(
            [
                "Meg Whitman, a former candidate for governor in California, backs Clinton.",
                "Donald Trump has no opposition in the California primary.",
                "“I have great respect for Silicon Valley,” the candidate said.",
            ],
            "Donald Trump",
            "the candidate",
            id="a-former-candidate-is-not-the-candidate",
        ),
        pytest.param(
            [
                "David Axelrod, a senior adviser to the president, spoke on Monday.",
                "Barack Obama has done through regulation what he could not through legislation.",
                "“We may end up doing it in chunks,” the president said.",
            ],
            "Barack Obama",
            "the president",
            id="a-role-is-its-noun-not-whom-it-serves",
        ),
        pytest.param(
            [
                "“Orange is the New Black” star Selenis Leyva opened up in a HuffPost Live"
                " interview. The actress explained why the label hurt.",
            ],
            "Selenis Leyva",
            "The actress",
            id="the-one-person-the-sentence-before-describes",
        ),
        pytest.param(
            [
                "Turnout was high in November.",
                "“We may finally be seeing wage growth,” the economist Jared Bernstein, a former"
                " adviser in the Obama White House, wrote on his blog.",
            ],
            "Jared Bernstein",
            "a former adviser in the Obama White House",
            id="an-appositive-after-the-name",
        ),
        pytest.param(
            [
                "For years, Twitter has positioned itself as a town square.",
                "Twitter has now made clear that it was stepping up its fight.",
                "On Friday, the social media company said it had suspended 125,000 accounts.",
            ],
            "Twitter",
            "the social media company",
            id="the-company-the-text-is-about",
        ),
        pytest.param(
            [
                "Ted Cruz blamed CNN for the report.",
                "CNN was quick to push back on Saturday.",
                "In a statement, the network said that Cruz's description was false.",
            ],
            "CNN",
            "the network",
            id="the-network-that-opens-the-sentence-before",
        ),
        pytest.param(
            [
                "The American Action Network says it will spend $150,000 on an ad.",
                "Shuster faces a vigorous challenge.",
                "Shuster has $1.3 million in the bank.",
                "AAN polled the race in February, the group said.",
            ],
            "American Action Network",
            "the group",
            id="an-acronym-is-the-name-it-stands-for",
        ),
        pytest.param(
            [
                "The pro-Christie Union Leader, New Hampshire's largest newspaper, has run"
                " editorials against Cruz. “Cruz folded,” the editorial board recently wrote.",
            ],
            "Union Leader",
            "the editorial board",
            id="an-editorial-board-is-its-paper",
        ),
        pytest.param(
            [
                "Justice Ruth Bader Ginsburg has apologized for remarks about Donald Trump, the"
                " Republican nominee.",
                "The justice said she regretted them.",
                "The Republican nominee said Ginsburg should resign.",
            ],
            "Donald Trump",
            "The Republican nominee",
            id="a-title-is-only-the-words-next-to-a-name",
        ),
        pytest.param(
            [
                "Business Insider also commented on Weiner’s future as a contributor with the"
                " company, but acknowledged it had no formal relationship to dissolve.",
                "“We wish them all the best,” the company said in a statement.",
            ],
            "Business Insider",
            "the company",
            id="the-company-after-a-phrase-that-is-no-other-company",
        ),
        pytest.param(
            [
                "Sen. Bernie Sanders spoke in Manchester on Monday.",
                "Rubio faltered in the debate on Saturday.",
                "Marco Rubio stopped by his campaign headquarters in Manchester. Walking into"
                " the office to chants of “Marco! Marco!,” the senator said his campaign was"
                " closing strong.",
            ],
            "Marco Rubio",
            "the senator",
            id="the-subject-before-a-cheer",
        ),
        pytest.param(
            [
                "On Thursday, Donald Trump announced that Paul Manafort would lead his delegate"
                " effort. In a statement, the business mogul announced that he is"
                " “consolidating the functions” of the campaign.",
                "“Mr. Manafort will oversee all activities,” the statement said.",
            ],
            "Donald Trump",
            "the statement",
            id="the-statement-the-paragraph-before-quoted",
        ),
        pytest.param(
            [
                "Huma Abedin, vice chairwoman for the campaign, emailed supporters on Monday,"
                " telling them, “I am a proud Muslim.”",
                "The email goes on to say: “We have to be ready to stop him.”",
            ],
            "Huma Abedin",
            "The email",
            id="the-email-its-sender-sent",
        ),
        pytest.param(
            [
                "The Orlando Sentinel reported on Friday that sales fell.",
                "The newspaper said the mayor had not been told.",
            ],
            "Orlando Sentinel",
            "The newspaper",
            id="the-newspaper-quoted-just-before",
        ),
        pytest.param(
            [
                "Mr. Trump took on Hillary Clinton on Sunday after the Democratic front-runner"
                " had said that he was helping the enemy.",
            ],
            "Hillary Clinton",
            "the Democratic front-runner",
            id="the-other-person-of-the-sentence",
        ),
        pytest.param(
            [
                "The Times said Peter Cook provided a written statement.",
                "“It was a mistake,” the statement said.",
            ],
            "Peter Cook",
            "the statement",
            id="who-issued-the-statement",
        ),
        pytest.param(
            [
                "Pulitzer Prize-winning columnist Ai Jun wrote in the Global Times piece that"
                " the race was absurd.",
                "But voters are tired of politics, the columnist suggested.",
            ],
            "Ai Jun",
            "the columnist",
            id="a-role-given-in-lower-case-before-the-name",
        ),
        pytest.param(
            [
                "In an interview with Morning Joe hosts Joe Scarborough and Mika Brzezinski,"
                " Hillary Clinton said the remarks were mean-spirited.",
                "“I actually said she's exactly right,” the host said.",
            ],
            "Joe Scarborough",
            "the host",
            id="one-of-the-hosts-named",
        ),
    ],
)
def test_a_description_the_article_resolves_is_shown_as_the_name(
    paragraphs: list[str], speaker: str, mention: str
) -> None:
    found = _last(paragraphs)
    assert (found.speaker, found.mention) == (speaker, mention)


@pytest.mark.parametrize(
    ("paragraphs", "speaker"),
    [
        pytest.param(
            [
                "The Pentagon's recent top adviser on the campaign went further, arguing the"
                " plan could make the threat worse.",
                "“I fundamentally disagree,” said retired Army Lt. Gen. Mick Bednarek, who"
                " served as the chief U.S. military adviser in Iraq.",
            ],
            "Mick Bednarek",
            id="the-adviser-the-next-paragraph-names",
        ),
        pytest.param(
            [
                "The lifelong Republican who wrote the speech says he won't vote for Trump.",
                "Richard Cross, a former staff member for Maryland Republicans, wrote in an"
                " op-ed that he penned the remarks.",
            ],
            "Richard Cross",
            id="a-story-opening-on-whom-it-then-names",
        ),
        pytest.param(
            [
                "The insurance commissioner says no insurer was told.",
                "Dana Whitlock, a spokeswoman for the brokers, says they were never told.",
            ],
            None,
            id="no-office-bridged-to-someone-of-another-role",
        ),
    ],
)
def test_a_description_opening_a_paragraph_may_mean_whom_the_next_names(
    paragraphs: list[str], speaker: str | None
) -> None:
    found = attribute(paragraphs)[0][0]
    assert found.speaker == (speaker or found.mention.lower())


@pytest.mark.parametrize(
    "paragraphs",
    [
        pytest.param(
            [
                "Donald Trump spoke in Ohio on Monday.",
                "A spokesman for the House Armed Services Committee said the law was clear.",
            ],
            id="a-spokesman-nobody-names",
        ),
        pytest.param(
            ["Donald Trump spoke in Ohio.", "“Nobody cares,” the insider said."],
            id="the-insider",
        ),
        pytest.param(
            [
                "Ivanka Trump delivered her speech on Thursday. A fashion designer for the"
                " G-III Apparel Group watched from her home in New York.",
                "“It's hard enough to come back to work,” said the designer.",
            ],
            id="the-designer-nobody-names",
        ),
        pytest.param(
            [
                "UnitedHealth Group has threatened to leave the exchanges.",
                "The trade group for the Blue Cross Blue Shield plans spelled out its concerns."
                " “The risk pool is out of balance,” the group wrote.",
            ],
            id="the-group-the-text-describes-after-a-name",
        ),
        pytest.param(
            [
                "Sanders answered the union's questionnaire.",
                "The group asked whether candidates supported the Employee Free Choice Act.",
            ],
            id="a-person-is-no-group",
        ),
        pytest.param(
            [
                "Clinton led in the polls, according to the California secretary of state.",
                "Most ballots were counted, the California secretary of state’s website said.",
            ],
            id="a-website-of-someone-is-no-group-nearby",
        ),
        pytest.param(
            [
                "Ted Cruz and Donald Trump are tied in Texas, according to an online"
                " University of Texas/Texas Tribune poll out Thursday.",
            ],
            id="a-poll-named-after-a-university",
        ),
        pytest.param(
            [
                "Turnout was high, according to the Roper Center for Public Opinion Research"
                " at Cornell University in New York.",
            ],
            id="a-name-with-of-and-a-place-in-it",
        ),
    ],
)
def test_a_description_the_article_never_resolves_stays_as_written(
    paragraphs: list[str],
) -> None:
    found = _last(paragraphs)
    assert found.speaker == found.mention[0].lower() + found.mention[1:]


@pytest.mark.parametrize(
    ("paragraphs", "speaker", "role"),
    [
        pytest.param(
            ["The Sunday Telegraph says the minister will resign next week."],
            "The Sunday Telegraph",
            None,
            id="british-newspaper-with-a-weekday",
        ),
        pytest.param(
            ["The Daily Mail said the minister had misled the House."],
            "The Daily Mail",
            None,
            id="british-daily",
        ),
        pytest.param(
            ["Lord Falconer told the BBC the reforms were long overdue."],
            "Lord Falconer",
            None,
            id="british-peer",
        ),
        pytest.param(
            ["The memory Gordon Brown says he cherishes most is his first budget."],
            "Gordon Brown",
            None,
            id="a-noun-before-a-name-is-no-role",
        ),
        pytest.param(
            ["Election watchdog the Electoral Commission said turnout was low."],
            "the Electoral Commission",
            "Election watchdog",
            id="british-group-after-its-role",
        ),
        pytest.param(
            [
                "Justice Ruth Bader Ginsburg spoke at Georgetown on Monday.",
                "WASHINGTON -- The Supreme Court justice said she would not retire.",
            ],
            "Ruth Bader Ginsburg",
            "Justice",
            id="ap-dateline-before-a-description",
        ),
        pytest.param(
            ["NEW YORK (AP) -- The company said Tuesday it would cut 500 jobs."],
            "the company",
            None,
            id="wire-dateline-before-the-source",
        ),
        pytest.param(
            ["70% said they would vote for the party."],
            None,
            None,
            id="a-number-is-no-speaker",
        ),
    ],
)
def test_other_house_styles_give_names(
    paragraphs: list[str], speaker: str | None, role: str | None
) -> None:
    found = _last(paragraphs)
    assert (found.speaker, found.role) == (speaker, role)


@pytest.mark.parametrize(
    ("speaker", "problem"),
    [
        ("Addressing", "verb or preposition"),
        ("Meeting", "verb or preposition"),
        ("North", "place"),
        ("70%", "number"),
        ("15 per cent", "number"),
        ("Fleming", None),
        ("Hastings", None),
        ("Labour", None),
    ],
)
def test_no_speaker_is_a_participle_a_region_or_a_number(speaker: str, problem: str | None) -> None:
    assert speaker_problem(speaker) == problem


@pytest.mark.parametrize(
    ("paragraphs", "speaker"),
    [
        pytest.param(
            [
                "Conservative leader Michael Howard attacked the government's record.",
                "Mr Howard said the plan would fail.",
            ],
            "Michael Howard",
            id="mr-without-a-full-stop",
        ),
        pytest.param(
            [
                "Tony Blair spoke in Sedgefield on Friday.",
                "Mr Blair, speaking in Sedgefield, said the war was right.",
            ],
            "Tony Blair",
            id="an-aside-with-a-place-after-mr",
        ),
        pytest.param(
            [
                "The prime minister, Tony Blair, visited Basra.",
                "The prime minister said the troops would stay.",
            ],
            "Tony Blair",
            id="the-prime-minister-named-before",
        ),
        pytest.param(
            [
                "Shadow chancellor Oliver Letwin attacked the Budget.",
                "The shadow chancellor said taxes would rise under Labour.",
            ],
            "Oliver Letwin",
            id="the-shadow-chancellor",
        ),
        pytest.param(
            [
                "Justice Ruth Bader Ginsburg spoke at Georgetown on Monday.",
                "WASHINGTON (AP) -- The Supreme Court justice said she would not retire.",
            ],
            "Ruth Bader Ginsburg",
            id="ap-dateline-with-the-agency",
        ),
    ],
)
def test_british_and_wire_copy_give_the_name(paragraphs: list[str], speaker: str) -> None:
    assert _last(paragraphs).speaker == speaker


@pytest.mark.parametrize(
    ("paragraphs", "word"),
    [
        pytest.param(
            ["Monday said it would be a hard week for the markets."], "Monday", id="weekday"
        ),
        pytest.param(["January said it was the coldest month on record."], "January", id="month"),
        pytest.param(["70% said they would vote for the party."], "70%", id="number"),
        pytest.param(["Sheffield said it would bid for the games."], "Sheffield", id="city"),
        pytest.param(
            ["Oxfordshire said the council would cut 300 jobs."], "Oxfordshire", id="county"
        ),
        pytest.param(["North", "North says the region will grow."], "North", id="compass"),
        pytest.param(["Market", "Market says prices will rise."], "Market", id="heading-market"),
        pytest.param(
            ["Election", "Election says little about turnout."], "Election", id="heading-election"
        ),
        pytest.param(
            ["Statistics", "Statistics say unemployment fell."],
            "Statistics",
            id="heading-statistics",
        ),
        pytest.param(
            ["Business", "Business says the tax is too high."], "Business", id="heading-business"
        ),
        pytest.param(
            ["Solutions", "Solutions say more than problems do."],
            "Solutions",
            id="heading-solutions",
        ),
        pytest.param(
            ["Addressing the conference, the minister said taxes would rise."],
            "Addressing",
            id="participle",
        ),
    ],
)
def test_no_speaker_is_a_day_a_number_a_place_a_heading_or_a_verb(
    paragraphs: list[str], word: str
) -> None:
    speakers = {a.speaker for found in attribute(paragraphs) for a in found}
    assert word not in speakers


def test_extract_reads_british_copy_by_name(cli: CLI, tmp_path: Path) -> None:
    """A BBC-style article through `extract --json`: "Mr Howard said" is Michael Howard, "The
    Sunday Telegraph says" the newspaper (no role "Sunday"), "Lord Falconer told" the peer,
    and a subheading is nobody."""
    path = tmp_path / "bbc.txt"
    path.write_text(
        "Howard attacks Blair on tax\n\n"
        "Conservative leader Michael Howard has attacked Tony Blair's tax plans.\n\n"
        "Mr Howard said families would pay more under Labour.\n\n"
        "The Sunday Telegraph says the chancellor will raise taxes after the election.\n\n"
        "Election\n\n"
        "Lord Falconer told the BBC the claims were nonsense.\n",
        encoding="utf-8",
    )
    done = cli("extract", "--json", str(path))
    assert done.returncode == 0, done.stderr
    found = [
        (a["speaker"], a["role"])
        for p in json.loads(done.stdout)["passages"]
        for a in p["attributions"]
    ]
    assert found == [
        ("Michael Howard", None),
        ("The Sunday Telegraph", None),
        ("Lord Falconer", None),
    ]
