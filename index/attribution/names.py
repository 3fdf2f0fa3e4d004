"""Person names without a model: capitalised runs, honorifics and titles, surnames.

A name is a run of capitalised words, allowing initials ("Donald J. Trump"), Arabic and
European particles ("Jamil al-Saleh", "Charles de Gaulle") and suffixes ("Jr."). Titles before
it ("Captain", "Secretary of State") belong to the mention, not to the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.attribution.cues import FRONTED_CUES

HONORIFICS = frozenset(
    """mr mrs ms miss mx dr prof sen rep gov capt lt gen col sgt maj adm cmdr rev hon
    amb atty supt insp det pres del sir dame lord lady""".split()
)
TITLE_WORDS = frozenset(
    """president vice senator representative congressman congresswoman governor mayor captain
    general colonel lieutenant sergeant major admiral commander reverend judge justice
    secretary chairman chairwoman chair speaker leader sheikh imam father pope chancellor
    minister premier ambassador attorney officer detective agent coach director deputy
    prime former acting chief king queen prince princess first lady state defense homeland
    security house senate majority minority whip press white democratic republican gop
    party committee national nominee candidate treasury commerce labor interior justice
    energy education health foreign affairs council assistant associate executive
    special counsel inspector sen. rep. gov. lt. gen. col. capt. sgt. maj. adm. cmdr. dr.
    mr. mrs. ms. prof. rev. hon. pres. supt. insp. det. amb. atty. then-senator then-candidate
    u.s. us un army navy marine air force retired ret. sheriff police treasurer councilman
    councilwoman councillor councilor commissioner superintendent trustee auditor comptroller
    controller chancellor provost dean bishop cardinal rabbi pastor delegate assemblyman
    assemblywoman alderman lawmaker spokesman spokeswoman spokesperson ceo cfo chairperson
    professor doctor nurse sgt. cpl. pvt. gov.-elect editor publisher producer anchor host
    correspondent columnist""".split()
)
# Nouns for what someone is or does that news puts before a name in lower case ("columnist
# Ai Jun", "comedian George Lopez") and later uses for them ("the columnist").
ROLE_NOUNS = frozenset(
    """columnist commentator pundit pollster strategist economist analyst author writer
    novelist journalist filmmaker comedian actress actor star singer rapper entrepreneur
    businessman businesswoman billionaire mogul investor activist neurosurgeon surgeon
    physician marathoner athlete candidate nominee lawmaker speechwriter adviser advisor
    aide consultant lawyer attorney professor economist historian scientist""".split()
)
ORG_WORDS = frozenset(
    """university college school institute center centre foundation fund association
    council committee party department ministry agency office bureau service news times
    post journal press network company corporation corp inc group forces front army
    league union church street avenue road county city state states republic kingdom
    house senate court congress parliament campaign administration commission board
    project program initiative coalition alliance organization organisation society trust
    bank hospital magazine tribune herald gazette daily weekly radio television tv review
    club team airport station river mountain island province district region caucus
    federation conference panel museum library forum institution report command navy
    fleet convention""".split()
)
_NOT_NAMES = frozenset(
    """the a an this that these those it its in on at of for to from by with and but or so
    yet if when while after before as asked meanwhile however still now then also later
    earlier instead indeed though although because since last next first monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july
    august september october november december i we you he she they his her their our my
    there here what who why how where which yes no not""".split()
    # Closed-class words that open a sentence before a name and never are one: conjunctions
    # ("Neither Donald J. Trump nor …"), quantifiers ("Both Mr. Cruz and …"), prepositions
    # ("Like Allen, …"), focus adverbs ("Even Rendell, …"), auxiliaries ("Had Sanders won"),
    # and the cross-reference "(See Sexton's full timeline)".
    + """nor neither either both each every all any other another like unlike about against
    among despite during except into over through toward towards without even just only
    had has have was were is are did does do see under above below beneath behind beside
    beyond across along around amid upon within throughout via per near""".split()
    # contractions that open a question before a name: "Don't Republicans run the risk …"
    + [f"{w}{a}t" for w in "don doesn didn can won isn aren wasn weren".split() for a in "'’"]
)
# The word tests below are pure and asked of the same words again and again (a third of the
# attribution time over the training articles); bounded, so a flood of odd words cannot grow
# them without end.
WORDS_CACHED = 1 << 16

PARTICLES = frozenset(
    "al el de del della der den di da du van von bin ibn ben la le st. mac".split()
)
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|as|ash|ibn|bin|abu|abd)[-‑](?=[A-Z])")
SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
MALE = frozenset("mr mr. sir lord king prince father".split())
FEMALE = frozenset("mrs mrs. ms ms. miss dame lady queen princess".split())
# Nouns for a person that say whether a man or a woman is meant, in a title ("Murphy's
# spokeswoman Galia Slayen") or an appositive ("the first lady, Michelle Obama").
MALE_NOUNS = MALE | frozenset(
    """spokesman chairman congressman councilman assemblyman businessman actor husband son
    brother grandfather nephew uncle boyfriend widower""".split()
)
FEMALE_NOUNS = FEMALE | frozenset(
    """spokeswoman chairwoman congresswoman councilwoman assemblywoman businesswoman actress
    wife daughter sister mother grandmother niece aunt girlfriend widow""".split()
)


@lru_cache(maxsize=WORDS_CACHED)
def is_capitalised(word: str) -> bool:
    word = word.lstrip("(\"'“‘")
    return bool(word) and (word[0].isupper() or bool(_PARTICLE_PREFIX.match(word)))


_INITIALS = re.compile(r"[A-Z]\.(?:[A-Z]\.)*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_PARTY_TAG = re.compile(r"^\(?[RDI]-[A-Z][\w.]*\)?[,.;:]?$")


@lru_cache(maxsize=WORDS_CACHED)
def is_org_word(word: str) -> bool:
    bare = strip_possessive(word.strip(",.;:()")).lower()
    return bare in ORG_WORDS or (bare.endswith("s") and bare[:-1] in ORG_WORDS)


@lru_cache(maxsize=WORDS_CACHED)
def is_initial(word: str) -> bool:
    return bool(_INITIALS.fullmatch(word))


@lru_cache(maxsize=WORDS_CACHED)
def is_title(word: str) -> bool:
    low = word.lower()
    return low in TITLE_WORDS or low.rstrip(".") in HONORIFICS


@lru_cache(maxsize=WORDS_CACHED)
def is_honorific(word: str) -> bool:
    return word.lower().rstrip(".") in HONORIFICS


@lru_cache(maxsize=WORDS_CACHED)
def strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word)


@lru_cache(maxsize=WORDS_CACHED)
def is_name_word(word: str) -> bool:
    """A word that can be part of a person's name (not a title, not a function word)."""
    bare = strip_possessive(word.strip(',.;:()"“”'))
    if is_initial(word.strip(',;:()"“”')):
        return True  # "James A. Lewis", "I. Lewis Libby": an initial, not the word "a" or "I"
    if not bare or bare.lower() in _NOT_NAMES or is_title(bare) or _PARTY_TAG.match(word):
        return False
    if len(bare) <= 3 and word.endswith(".") and not is_initial(word):
        return False  # "Md.", "Va.": state abbreviations, not parts of a name
    if is_initial(word) or bare.lower() in SUFFIXES:
        return True
    return is_capitalised(bare) and any(c.isalpha() for c in bare) and not bare.isupper()


@dataclass(frozen=True)
class NameParts:
    """A noun phrase ending in a name: `title` words before it and the name itself."""

    title: str
    name: str

    @property
    def surname(self) -> str:
        words = [w for w in self.name.split() if w.lower() not in SUFFIXES]
        return words[-1] if words else self.name


@lru_cache(maxsize=WORDS_CACHED)
def split_name(phrase: str) -> NameParts | None:
    """The trailing person name of `phrase` ("Captain Naji Mustafa" -> "Naji Mustafa"), with
    the title words before it; None when the phrase does not end in a name."""
    words = phrase.split()
    while words and (words[-1].startswith("(") or _PARTY_TAG.match(words[-1])):
        words.pop()  # "Rep. Gwen Moore (D-Wis.)": the tag is no part of the name
    if not words:
        return None
    end = len(words)
    while end > 0 and words[end - 1].lower() in SUFFIXES:
        end -= 1
    if end == 0:
        return None
    i = end
    while i > 0 and (_is_name_part(words, i - 1, end)):
        i -= 1
    while i < end and words[i].lower() in PARTICLES and words[i][:1].islower():
        i += 1  # a name does not start with "de" (but may with "Van")
    while end - i > 1 and words[i].lower().endswith("ing") and is_name_word(words[i + 1]):
        i += 1  # "Following BSkyB's …", "Including John Smith": the verb is no part of a name
    if i > 1 and words[i - 1].lower() == "of" and is_title(words[i - 2]) and end - i >= 3:
        # "Chief of Staff Katie Walsh", "Secretary of Defense Leon Panetta": the title names
        # what it is of, and the person is the first and last name after it
        i = end - 3 if is_initial(words[end - 2]) and end - i >= 4 else end - 2
    name_words = [_clean(w) for w in words[i:]]
    named = any(is_name_word(w) for w in words[i:end]) or (
        end - i == 1 and _clean(words[i]).lower() in _TITLE_SURNAMES
    )
    if not named or len(name_words) > 4:
        return None
    if i > 0 and words[i - 1].lower() in ("and", "&", "of", "for", "at", "from", "in"):
        return None  # "Citizenship and Immigration Services", "Federation of Teachers"
    return NameParts(" ".join(words[:i]), " ".join(name_words))


# Months that are also names: "Theresa May", "Rodney August". Only after a first name.
_MONTH_NAMES = frozenset("april may june august".split())


# Titles that are also common surnames: "Larry King", "Howard Dean", "John Major". Only last in
# a name, after a first name or an honorific ("Mr. King").
_TITLE_SURNAMES = frozenset("king major dean bishop marshal prince white chancellor".split())


def _is_name_part(words: list[str], i: int, end: int) -> bool:
    word = words[i]
    bare = strip_possessive(word.strip(',.;:()"“”'))
    if i == end - 1 and i > 0 and bare.lower() in _TITLE_SURNAMES and bare[:1].isupper():
        return is_name_word(words[i - 1]) or is_honorific(words[i - 1])  # "Mr. King"
    if is_org_word(word) or _PARTY_TAG.match(word):
        return False
    if bare.lower() in _MONTH_NAMES and bare[:1].isupper() and i > 0:
        return is_name_word(words[i - 1]) or is_honorific(words[i - 1])  # "Theresa May"
    if i < end - 1 and word.endswith(("'s", "’s", ",")):
        return False  # "Clinton's campaign manager Robby Mook": the name is Robby Mook
    if is_name_word(word):
        return True
    return word.lower() in PARTICLES and 0 < i < end - 1 and is_name_word(words[i + 1])


@lru_cache(maxsize=WORDS_CACHED)
def _clean(word: str) -> str:
    if _NICKNAME.fullmatch(word):
        return word  # a nickname keeps its quotation marks: Juan "Chico" Manriquez
    bare = word.strip(',;:()"“”')
    if is_initial(bare) or bare.lower() in SUFFIXES:
        return bare  # "Jr.," is "Jr.", "B." keeps its full stop
    return strip_possessive(bare.rstrip("."))


def gender_of_title(title: str) -> str | None:
    """ "m" or "f" when a word of the title says so ("Mrs.", "spokeswoman"), else None."""
    for word in title.lower().split():
        bare = word.strip(",;:()").rstrip(".")
        if bare in MALE_NOUNS:
            return "m"
        if bare in FEMALE_NOUNS:
            return "f"
    return None


_WORD = re.compile(r"\S+")


@lru_cache(maxsize=WORDS_CACHED)
def _joins_run(word: str) -> bool:
    bare = word.strip('("“‘')
    return is_capitalised(bare) or bare.lower() in PARTICLES or bare.lower() in SUFFIXES


_NICKNAME = re.compile(r"[\"“‘'][A-Z][\w.-]*[\"”’']")


@lru_cache(maxsize=WORDS_CACHED)
def _ends_run(word: str) -> bool:
    """A word after which a name cannot go on: "Reuters." ends a sentence, "Mr." does not."""
    if _NICKNAME.fullmatch(word):
        return False  # Juan "Chico" Manriquez: the name goes on
    if word[-1:] in ',;:!?)"”’' and not word.endswith(("’s",)):
        return True
    return word.endswith(".") and not (is_initial(word) or is_honorific(word) or is_title(word))


def _joins_titles(run: list[re.Match[str]], word: str, after: list[re.Match[str]]) -> bool:
    """ "of" between title words: "Secretary of State Jon Husted"."""
    return (
        word == "of"
        and bool(run)
        and is_title(run[-1].group(0))
        and bool(after)
        and is_capitalised(after[0].group(0))
    )


def _colon_after(text: str, word: re.Match[str]) -> bool:
    return word.group(0).endswith(":") or text[word.end() :].lstrip().startswith(":")


def name_mentions(text: str) -> list[tuple[int, NameParts]]:
    """(offset, name) of every capitalised run in `text` that ends in a plausible person name."""
    found: list[tuple[int, NameParts]] = []
    run: list[re.Match[str]] = []
    matches = list(_WORD.finditer(text))
    for k, match in enumerate([*matches, None]):
        word = match.group(0) if match else ""
        if match and (_joins_run(word) or _joins_titles(run, word, matches[k + 1 : k + 2])):
            run.append(match)
            if not _ends_run(word):
                continue
        if len(run) > 1 and run[0].group(0) in FRONTED_CUES and _colon_after(text, run[-1]):
            run = run[1:]  # "Said Ellis: …" is Ellis, speaking
        if run:
            parts = split_name(" ".join(m.group(0) for m in run))
            if parts is not None:
                first = max(0, len(run) - len(parts.name.split()))
                found.append((run[first].start(), parts))
            run = []
    return found


# A title's abbreviation spelt out (AP style), so "the Florida senator" finds Sen. Marco Rubio.
SPELLED_OUT = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "capt": "captain",
    "sgt": "sergeant",
    "maj": "major",
    "adm": "admiral",
    "cmdr": "commander",
    "rev": "reverend",
    "prof": "professor",
    "pres": "president",
    "atty": "attorney",
    "amb": "ambassador",
    "supt": "superintendent",
    "det": "detective",
    "insp": "inspector",
}
