"""The words that report speech, in one place: attribution finds them in articles as cues
("…," she said), and questions use them to ask what someone said ("what did X say …").

Questions reach wider than articles' cues: people ask what someone thought, feared or wanted, or
for their response or advice, and news gives those in the holder's own words.
"""

from __future__ import annotations

import re

# Verbs that introduce speech in news prose, each form as written (the cue finder matches
# whole words, longest first).
CUE_VERBS = tuple(
    """
say says said saying tell tells told telling adds added adding notes noted noting
writes wrote warn warns warned warning claimed claiming argue argues argued arguing
explain explains explained explaining stated declared declaring insist insists insisted
insisting announced announces announcing acknowledge acknowledges acknowledged acknowledging
suggest suggests suggested suggesting recalled recalls recalling responded replied
continued asked asks asking reported reports mentioned admit admits admitted admitting
concede concedes conceded conceding contend contends contended contending countered
predicted cautioned complain complains complained emphasized emphasizes emphasizing stressed
testified tweeted confirmed confirms denied denies alleged alleges joked quipped boasted
lamented remarked concluded reiterated reiterating asserted asserts asserting vowed
promised pledged urged wondered posted claims claim states charges vows promises
""".split()
)

# What a question adds to the cues: stems of saying, stance and reply words (regular
# expressions over whole words).
_QUESTION_ONLY = (
    r"call|calls|called|claim\w*|argu\w*|warn\w*|jok\w*|quip\w*|suggest\w*|insist\w*|"
    r"describ\w*|compar\w*|liken\w*|vow\w*|think\w*|thought|believ\w*|respond\w*|"
    r"respons(?:e|es)|repl(?:y|ies|ied|ying)|frame\w*|scold\w*|admit\w*|predict\w*|promis\w*|"
    r"explain\w*|blam\w*|accus\w*|invok\w*|dismiss\w*|brush\w*|quot\w*|comment\w*|write|"
    r"react\w*|according|advice|reckon\w*|expect\w*|worr\w*|fear\w*|hop(?:e|es|ed|ing)|feel|"
    r"feels|felt|want\w*|soften\w*|justif\w*|defend\w*|urg(?:e|es|ed|ing)|"
    r"push(?:es|ed|ing)?\s+back|point(?:s|ed|ing)?\s+to|talk\w*|spoke|speak\w*"
)

# Any word of a question asking what someone said, thought or wanted.
QUESTION_SPEECH = "|".join(sorted(CUE_VERBS, key=len, reverse=True)) + "|" + _QUESTION_ONLY
ASKS_SPEECH = re.compile(rf"\b(?:{QUESTION_SPEECH})\b", re.I)
