"""From a question to an answer: what kind of question it is and what to search for, how
passages are found and ranked in their article's context, when nothing is relevant, and who
said the best passage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise

from index.attribution.names import split_name
from index.informal import Alternative, alternatives, formal_terms
from index.models import Article, Attribution, Passage, ScoredPassage
from index.places import party_words, place_words, state_words
from index.tokens import acronyms, tokenize, words

# Bump when `findable_terms` or the tokenizer changes: a saved index built otherwise is rebuilt.
TERMS_VERSION = "6"

REPHRASE = "Ask with a few words from what was said, e.g. “who said Russians intervened?”"
NOTHING_STORED = "I don't know any articles yet. An admin can add some: /add, or `saidwho ingest`."


SAME_TEXT = 0.8  # word-set overlap at which two passages count as one (two copies, two versions)

# How much a passage's article counts beside the passage itself, each scaled to the best score.
# People paraphrase: a question shares few words with the passage that answers it, and more with
# the article around it (its title, the names and events it covers). On the dev sets this lifts
# the right passage into the top 3 for a fifth more paraphrased questions (0.2 to 0.6 all help);
# quote-word questions are unaffected.
ARTICLE_WEIGHT = 0.4
# How much similarity in meaning counts (the dense extra): a cosine of all-MiniLM-L6-v2 is about
# 0.3 for unrelated texts and 0.7 for a close paraphrase. Between 1 and 2 it lifts paraphrased
# questions most; above 2 it starts to outvote the exact words of quote-word questions.
MEANING_WEIGHT = 1.5
# Abstention, with the dense extra: a question is off-topic when no passage reaches MIN_MEANING
# in meaning and none has MIN_COVERAGE of its terms. On the dev sets every answerable question
# passes one of the two; each alone would drop some (short factual questions sit near 0.25).
MIN_MEANING = 0.3
MIN_COVERAGE = 0.5
# Without it, words alone: off-topic when no passage among BM25's first COVERAGE_PASSAGES holds,
# with its article's title, MIN_WORDS_COVERAGE of the question's weight (idf; an unknown word
# weighs most). On the dev sets 0.28 sets aside 4 of 10 unanswerable questions ("how to roast a
# chicken") and about 1 in 6 paraphrased ones, nearly all answered wrongly anyway. The margin is
# thin: the closest unanswerable question covers 0.27, the closest one answered right 0.28; at
# 0.3 three paraphrased questions answered right are lost, at 0.25 an unanswerable one gets in.
MIN_WORDS_COVERAGE = 0.28
COVERAGE_PASSAGES = 5
# What a passage carrying an attribution gains when the question asks what someone said: the
# answer to "what did the NYU professor say …" is a quote, not the paragraph introducing her.
# 0.1 to 0.5 all help the speaker named; above 0.4 quote-word questions start to lose.
SAID_WEIGHT = 0.35
# And what a direct quotation gains besides, when the question asks for the words rather than
# the speaker: the paragraph introducing Revesz and reporting his view shares the question's
# words; the quotation after it is the answer. On the dev sets 0.2 to 0.35 lift paraphrased
# questions' passage@1 by 3 points; "who said …" questions, which give the words, are left alone
# (a bonus there costs reported speech 1 to 4 points).
DIRECT_WEIGHT = 0.3
# What a passage quoting the speaker the question names gains ("what did Mustafa say …"): as
# much as the best word match, so the speaker decides among passages about the same thing.
NAMED_WEIGHT = 1.0
# What the words of the passage before a quotation count for, beside its own (questions about
# what was said only). On the dev sets 0.2 lifts paraphrased questions' passage@1 by about 4
# points; 0.3 and up start to cost quote-word questions.
LEAD_IN_WEIGHT = 0.2
# And besides, when the question asks for someone's words and the passage before quotes or
# names the same speaker: the paragraph introducing a speaker and their view (or the question
# put to them: "Delegates questioned how Cruz could …"), then their quotation. On the dev sets
# 0.3 lifts paraphrased questions' passage@1 by 2 to 4 points, and 0.5 to 0.7 one question more
# (retuned after the role and letter changes; quote-word questions unchanged). Counting a lead-in
# that names the speaker, not only one quoting them, lifts 2 more to first place.
SAME_SPEAKER_LEAD_IN = 0.5
# The share of a question's weight a speaker's name and role must hold for the question to
# mean them ("the Seton Hall professor" -> Jo-Renee Formicola, a professor at Seton Hall).
ROLE_MATCH = 0.2
# What a passage with a number in it gains when the question asks for a quantity ("how many
# …", "what share …"): the paragraph that names the study or the vote shares the question's
# words, the one giving "73 percent" or "19-15" is the answer. Dates and times are no
# quantity ("after the Sept. 11 attacks"). On the dev sets 0.3 to 0.5 lift three paraphrased
# questions to first place and one into the top 3, and change nothing else.
NUMBER_WEIGHT = 0.3
# What a passage gains for having the question's words in the question's order: "voting
# system", "tax returns", "Apple Music" side by side, not scattered over the paragraph. The
# share of the question's adjacent term pairs the passage holds counts this much. On the dev
# sets 0.15 to 0.35 lift quote-word questions' passage@1 from 543 to 549 of 556 and factual
# ones' from 181 to 183 of 204, and leave paraphrased ones as they are (which share few words
# with their answer, let alone pairs); about twice as much starts to cost them.
PHRASE_WEIGHT = 0.25
CANDIDATES = 20  # passages re-ranked with their article's score (and nearest in meaning)
ARTICLE_CANDIDATES = 50  # articles whose score counts; the rest add nothing

# "What was the naval base called?": a name, not something said.
_NAMING = re.compile(r"\b(?:is|was|are|were|be|been|being)\s+(?:\w+\s+){0,3}?called\b", re.I)
# "Why does Larry King work with …?": news gives people's reasons in their own words.
_WHY = re.compile(r"\s*why\b", re.I)
_ASKS_WHO = re.compile(r"\s*(?:who|whom|which|according\s+to\s+whom)\b", re.I)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|'s|’s)\s+(?P<name>[^?]+?)\s*\??\s*$", re.I)
# Words that make a question about what someone said (or thought, wrote, wanted or feared)
# rather than a fact: a stance is known from what its holder said.
_SPEECH_VERBS = (
    r"say|says|said|saying|tell|tells|told|call|calls|called|claim\w*|argu\w*|warn\w*|"
    r"jok\w*|quip\w*|suggest\w*|insist\w*|describ\w*|compar\w*|liken\w*|vow\w*|think\w*|"
    r"thought|believ\w*|respond\w*|respons(?:e|es)|repl(?:y|ies|ied|ying)|frame\w*|scold\w*|"
    r"admit\w*|predict\w*|promis\w*|"
    r"explain\w*|blam\w*|accus\w*|invok\w*|dismiss\w*|brush\w*|quot\w*|comment\w*|"
    r"wrote|write|writes|react\w*|according|advice|reckon\w*|expect\w*|worr\w*|fear\w*|"
    r"hop(?:e|es|ed|ing)|feel|feels|felt|want\w*|soften\w*|justif\w*|defend\w*|urg(?:e|es|ed|ing)|"
    r"push(?:es|ed|ing)?\s+back|point(?:s|ed|ing)?\s+to"
)
_SPEECH = re.compile(rf"\b(?:{_SPEECH_VERBS})\b", re.I)


# The person a what-did-X-say question names as its speaker: "what did Jim Jordan think …",
# "did Gennifer Flowers ever comment …", "how did Ted Cruz justify …", "how did Richard Revesz
# push back …", "According to Megan Hester, …". A possessive ("what did Trump's spokesman
# say") names someone else, so it is no match.
_NAME = r"(?:[A-Z][\w.'’-]*|de|al|van|von)(?:\s+(?:[A-Z][\w.'’-]*|de|al|van|von))*"
_ASKED_SPEAKER = re.compile(
    rf"\b(?:did|does|do|has|have|had|would|will|could|was|is)\s+(?P<name>{_NAME})"
    rf"(?<!['’]s)\s+(?:\w+\s+)?(?:{_SPEECH_VERBS}|mean|tweet\w*)\b"
    rf"|\b(?i:according)\s+to\s+(?P<source>{_NAME})(?<!['’]s)\s*(?:[,?.]|$)"
    # "What's Bernie's advice …", "Trump's response to …": what the owner said.
    rf"|(?P<owner>{_NAME})['’]s\s+(?:\w+\s+)?(?:advice|comments?|response|reply|answer|"
    r"message|warning|remarks?|statement|argument|explanation|excuse|promise|pledge|"
    r"prediction|quip|joke|retort|rebuttal|assessment|verdict)\b"
)
_QUESTION_WORDS = frozenset("what what's whats who how why when where which did does".split())


_ASKS_NUMBER = re.compile(
    r"\bhow\s+(?:many|much|big|large|far|often|long|old|tall)\b"
    r"|\bwhat\s+(?:share|percentage|percent|proportion|fraction|portion|number|margin|score|"
    r"vote|tally|amount|sum|price|cost|age|rate)\b"
    r"|\bwhat\s+was\s+the\s+(?:\w+\s+){0,2}(?:vote|score|tally|margin|count)\b",
    re.I,
)
# Numbers that are no quantity: dates ("Sept. 11", "Oct. 19, 2016"), years, times of day.
_DATE_OR_TIME = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?:,\s+\d{4})?\b|\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b"
)
_NUMBER = re.compile(
    r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|million|billion|trillion|dozens?|half|quarter|third|percent|"
    r"twice|double|triple)\b",
    re.I,
)


class Kind(StrEnum):
    WHO_IS = "who is"  # who is Naji Mustafa?
    SAID = "said"  # who said …? what did X say about …? according to whom …?
    FACTUAL = "factual"  # how many …? where did …?
    NO_CONTENT = "no content"  # who said that?


@dataclass(frozen=True)
class Query:
    text: str
    terms: list[str]
    kind: Kind = Kind.FACTUAL
    subject: str | None = None  # "Naji Mustafa" in "who is Naji Mustafa?"
    asks_who: bool = False  # "who said …", "which pollster claimed …": the words are given
    asks_number: bool = False  # "how many …", "what share …": the answer is a quantity
    # Formal words for the question's informal ones ("veterans" for "vets"): their terms end
    # `terms`, after the question's own.
    alternatives: tuple[Alternative, ...] = ()
    added: int = 0  # how many of `terms`, at the end, are formal words for informal ones

    @property
    def own_terms(self) -> list[str]:
        """The terms of the question's own words."""
        return self.terms[: len(self.terms) - self.added]

    @property
    def pairs(self) -> set[tuple[str, str]]:
        """Each two terms next to each other in the question's own words."""
        return set(pairwise(self.own_terms))

    def credited(self, have: set[str]) -> set[str]:
        """`have`, and the question's informal terms whose formal words `have` holds."""
        out = set(have)
        for alternative in self.alternatives:
            if set(alternative.formal) <= have:
                out.update(alternative.informal)
        return out

    @property
    def asks_words(self) -> bool:
        """A question after what someone said ("what did X say …", "how did X describe …"),
        whose answer is best in the speaker's own words."""
        return self.kind is Kind.SAID and not self.asks_who


def analyse(question: str) -> Query:
    text = " ".join(question.split())
    terms = tokenize(text)
    if not terms:
        return Query(text=text, terms=terms, kind=Kind.NO_CONTENT)
    others = tuple(alternatives(text))
    formal = formal_terms(others, terms)
    terms += formal
    plain = Query(text, terms, alternatives=others, added=len(formal))
    if _SPEECH.search(_NAMING.sub("", text)) or _WHY.match(text):
        asks_who = bool(_ASKS_WHO.match(text))
        return replace(plain, kind=Kind.SAID, asks_who=asks_who, asks_number=_asks_number(text))
    if match := _WHO_IS.match(text):
        return replace(plain, kind=Kind.WHO_IS, subject=match.group("name"))
    return replace(plain, asks_number=_asks_number(text))


def _asks_number(text: str) -> bool:
    return bool(_ASKS_NUMBER.search(text))


def near_duplicate(a: str, b: str) -> bool:
    """The same passage twice (two copies of an article, two versions): most words shared."""
    wa, wb = set(words(a)), set(words(b))
    return bool(wa and wb) and len(wa & wb) >= SAME_TEXT * max(len(wa), len(wb))


def distinct(results: list[ScoredPassage], k: int) -> list[ScoredPassage]:
    """The first `k` results, leaving out any that repeats the text of a better one."""
    kept: list[ScoredPassage] = []
    for item in results:
        if not any(near_duplicate(item.passage.text, other.passage.text) for other in kept):
            kept.append(item)
            if len(kept) == k:
                break
    return kept


def article_terms(article: Article) -> list[str]:
    """What an article is found by: its title and its whole text (and the initials of the
    names in them)."""
    text = f"{article.title}\n{article.text}"
    return tokenize(f"{text}\n{party_words(text)}") + acronyms(text)


@dataclass(frozen=True)
class Context:
    """What ranks a passage besides its own words."""

    articles: dict[int, float]  # article id to its BM25 score
    meanings: dict[int, float] = field(default_factory=dict)  # passage id to cosine (dense)
    speaker: str | None = None  # the quoted speaker the question names
    # passage id to the passage before it (its id and BM25 score), for questions about speech
    lead_ins: dict[int, tuple[int, float]] = field(default_factory=dict)


def in_context(
    query: Query, results: list[tuple[int, ScoredPassage]], context: Context
) -> list[ScoredPassage]:
    """(passage id, result) pairs re-ranked by their own BM25 score and their article's, each
    scaled to the best so neither scale's size decides, plus, with the dense extra, their
    similarity in meaning to the question, the speaker the question names, and the words of
    the passage leading in to a quotation."""
    articles, meanings, speaker = context.articles, context.meanings, context.speaker
    best_passage = max((r.score for _, r in results), default=0.0) or 1.0
    best_article = max(articles.values(), default=0.0) or 1.0
    said, words = query.kind is Kind.SAID, query.asks_words
    passages = {pid: r.passage for pid, r in results}
    pairs = query.pairs

    def lead_in(pid: int, passage: Passage) -> float:
        before, score = context.lead_ins.get(pid, (-1, 0.0))
        weight = LEAD_IN_WEIGHT
        relevance = score / best_passage
        if words:
            if before in passages and _introduces(passages[before], passage):
                weight += SAME_SPEAKER_LEAD_IN
            # The lead-in's meaning too, when the question paraphrases the words it asks for:
            # "… told the Post when pressed on …", then the quotation.
            relevance += MEANING_WEIGHT * meanings.get(before, 0.0)
        return weight * relevance

    def combined(pid: int, result: ScoredPassage) -> float:
        article = articles.get(result.article.id or -1, 0.0)
        return (
            result.score / best_passage
            + lead_in(pid, result.passage)
            + ARTICLE_WEIGHT * article / best_article
            + MEANING_WEIGHT * meanings.get(pid, 0.0)
            + (SAID_WEIGHT if said and result.passage.attributions else 0.0)
            + (DIRECT_WEIGHT if words and any(a.direct for a in result.passage.attributions) else 0)
            + (NAMED_WEIGHT if speaker and _quotes(result.passage, speaker) else 0.0)
            + (NUMBER_WEIGHT if query.asks_number and has_quantity(result.passage.text) else 0)
            + PHRASE_WEIGHT * _phrases_held(pairs, result.passage)
        )

    rescored = [r.model_copy(update={"score": round(combined(pid, r), 4)}) for pid, r in results]
    return sorted(rescored, key=lambda r: -r.score)  # stable: ties keep the passage order


def _phrases_held(pairs: set[tuple[str, str]], passage: Passage) -> float:
    """The share of the question's word pairs (adjacent terms) the passage has side by side."""
    if not pairs:
        return 0.0
    terms = tokenize(passage.text)
    return len(pairs & set(pairwise(terms))) / len(pairs)


def asked_speaker(query: Query) -> str | None:
    """The person a question about what someone said names as the speaker, if it names one."""
    if query.kind is not Kind.SAID:
        return None
    match = _ASKED_SPEAKER.search(query.text)
    if match is None:
        return None
    if match.group("owner") and query.asks_who:
        return None  # "who said Obama's remarks were …": the words are someone else's
    name = match.group("name") or match.group("source") or match.group("owner")
    words = name.split()
    while words and words[0].lower().replace("’", "'") in _QUESTION_WORDS:
        words = words[1:]
    return " ".join(words) if any(w[:1].isupper() for w in words) else None


def coverage(query: Query, found: list[ScoredPassage], idf: dict[str, float]) -> float:
    """The largest share of the question's weight (the idf of its distinct terms) that one of
    the `found` passages holds, with its article's title. An informal word counts as held
    where its formal words are ("vets" by "veterans"), and the formal words add no weight."""
    asked = set(query.own_terms)
    return max(
        (
            _share(
                asked,
                query.credited(set(findable_terms(r.passage)) | set(tokenize(r.article.title))),
                idf,
            )
            for r in found
        ),
        default=0.0,
    )


def _share(asked: set[str], have: set[str], idf: dict[str, float]) -> float:
    """The share of the asked terms' weight (idf) that `have` holds."""
    total = sum(idf.get(t, 0.0) for t in asked)
    return sum(idf.get(t, 0.0) for t in asked & have) / total if total > 0 else 0.0


def speaker_by_role(
    query: Query, found: list[tuple[int, ScoredPassage]], idf: dict[str, float]
) -> str | None:
    """The speaker a question after someone's words means by a role ("what did the Seton Hall
    professor expect …"): of those quoted in the `found` passages, the one whose name and role
    hold the most of the question's weight, when that is at least ROLE_MATCH of it and no other
    speaker holds as much."""
    if not query.asks_words:
        return None
    asked = set(query.terms)
    held: dict[str, float] = {}
    for _, result in found:
        for a in result.passage.attributions:
            if a.speaker and a.speaker not in held:
                who = _with_synonyms(
                    set(tokenize(f"{a.speaker} {a.role or ''} {place_words(a.role or '')}")),
                    asked,
                )
                held[a.speaker] = _share(asked, who, idf)
    # Among equals a person beats a nominal source: "Homeland Security Secretary" Jeh Johnson,
    # not "a Homeland Security Department official".
    ranked = sorted(held.items(), key=lambda item: (-item[1], not _is_person(item[0])))
    if not ranked or ranked[0][1] < ROLE_MATCH:
        return None
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] and _is_person(ranked[1][0]):
        return None
    return ranked[0][0]


# How news and the people asking about it name the same role differently ("the Manhattan
# judge" is a Supreme Court Justice, "the AG" the Attorney General). Phrases of one group are
# one role: a speaker whose role holds one phrase in full holds the others the question uses.
_ROLE_SYNONYMS = [
    ["judge", "justice"],
    ["attorney general", "ag"],
    ["doctor", "physician"],
    ["police chief", "top cop", "police commissioner", "head of police", "police department head"],
    ["spokesman", "spokeswoman", "spokesperson", "press aide", "press secretary"],
    ["strategist", "adviser", "advisor", "guru", "consultant"],
    ["congressman", "congresswoman", "lawmaker", "representative"],
    ["senator", "lawmaker"],
    ["chairman", "chairwoman", "chair", "head"],
    ["mother", "mom"],
    ["father", "dad"],
]


@lru_cache(maxsize=1)
def _role_groups() -> list[list[set[str]]]:
    return [[set(tokenize(phrase)) for phrase in group] for group in _ROLE_SYNONYMS]


def _with_synonyms(terms: set[str], asked: set[str]) -> set[str]:
    """`terms` and the words of each role phrase the question holds in full that is
    synonymous with a phrase `terms` hold in full ("top cop" for "police chief")."""
    out = set(terms)
    for group in _role_groups():
        if any(phrase <= terms for phrase in group):
            out.update(*(phrase for phrase in group if phrase <= asked))
    return out


def _is_person(speaker: str) -> bool:
    return split_name(speaker) is not None


def _introduces(before: Passage, passage: Passage) -> bool:
    """Whether `before` is about someone `passage` quotes: it quotes them too, or names them
    (by surname: "Delegates questioned how Cruz could …", then "…," he said)."""
    quoted = {a.speaker for a in before.attributions if a.speaker}
    have = set(words(before.text))
    for a in passage.attributions:
        name = split_name(a.speaker or "")
        surname = set(words(name.surname)) if name else set()
        if a.speaker in quoted or (surname and surname <= have):
            return True
    return False


def _quotes(passage: Passage, speaker: str) -> bool:
    return any(a.speaker == speaker for a in passage.attributions)


# How many of the best passages a quantity question looks through for a number before it gives
# up. On the dev sets 1 or 2 set aside one more unanswerable question ("what was the final
# score of the game?") and cost no answerable one; 3 sets aside none.
NUMBER_PASSAGES = 2


def no_quantity(query: Query, results: list[ScoredPassage]) -> bool:
    """Whether a question after a quantity finds none: no number in its best passages, though
    ranking prefers passages with one. "What was the final score of the game?" over articles
    that only say the game was played."""
    # Any number will do here, dates too: "how long has she served?" may be answered by "since
    # 2009", and giving up wrongly costs more than ranking a date as a quantity.
    return query.asks_number and not any(
        _NUMBER.search(r.passage.text) for r in results[:NUMBER_PASSAGES]
    )


def has_quantity(text: str) -> bool:
    """Whether `text` gives a number that is no date or time: "50,000 workers", "19-15",
    "a quarter", "three times"; not "Sept. 11" or "in 2014"."""
    return bool(_NUMBER.search(_DATE_OR_TIME.sub(" ", text)))


def off_topic(covered: float, meanings: dict[int, float]) -> bool:
    """Whether nothing stored is about the question, so answering would show a random passage.
    `covered` is the question's `coverage` by the best-matching passages; `meanings` are the
    dense extra's cosines, when installed: then a passage close in meaning is enough to answer,
    and the bar for words alone is higher."""
    if meanings:
        return max(meanings.values()) < MIN_MEANING and covered < MIN_COVERAGE
    return covered < MIN_WORDS_COVERAGE


def findable_terms(passage: Passage) -> list[str]:
    """What a passage is found by: its words, and the names and roles of those it quotes, since
    the paragraph often gives only "he" or a surname. Context words the text already has are
    not added again: they would only lengthen a self-contained passage and lower its score."""
    own = tokenize(passage.text)
    context = " ".join(
        f"{a.speaker or ''} {a.mention or ''} {a.role or ''}" for a in passage.attributions
    )
    have = set(own)
    both = f"{passage.text} {context}"
    found_by = tokenize(f"{context} {party_words(both)} {state_words(context)}") + acronyms(both)
    extra = dict.fromkeys(t for t in found_by if t not in have)
    return own + list(extra)


def _overlap(query: Query, attribution: Attribution) -> tuple[int, int]:
    """How many question terms are quoted, then how many name the speaker (name or role)."""
    who = set(tokenize(f"{attribution.speaker or ''} {attribution.role or ''}"))
    quoted = set(tokenize(attribution.quote))
    asked = set(query.terms)
    return sum(t in quoted for t in asked), sum(t in who for t in asked)


def best_attribution(query: Query, passage: Passage) -> Attribution | None:
    """The attribution in `passage` the question is most about: the quote it shares most words
    with, and among equals the speaker it names ("what did Warren say …")."""
    if not passage.attributions:
        return None
    return max(passage.attributions, key=lambda a: _overlap(query, a))


def speaker_of(query: Query, results: list[ScoredPassage], meant: str | None = None) -> str | None:
    """Who said the best passage: the speaker the question means (`meant`, by name or role)
    when the passage quotes them, else its attribution the question is most about."""
    if not results:
        return None
    if meant and _quotes(results[0].passage, meant):
        return meant
    best = best_attribution(query, results[0].passage)
    return best.speaker if best else None
