# ruff: noqa: E501, SIM905
"""Names in contexts that mark them even where no capital does: nursing and call-centre shapes.

- a relation word and a name, then what people do or how they are reached ("husband allen visited",
  "daughter-in-law Keya by phone", "her daughter Will ((0199) ...)"): a lower-case word there is a name
  when it is not safe (a first name also when common: "jasmine"); a capitalised one in mid-sentence is
  a name unless it is a function word;
- "pt" and one to three lower-case words before a bracket ("pt jo bloggs (ur123456)");
- a speaker label with only a name after it on its line ("Agent: Marcel"), and a name said after
  "speaking with", "this is", "it's", "my name is" up to the end of the clause.

Every pattern is anchored on a cue word and bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from ai_workers.safety.phi.zipf import zipf

Emit = Callable[[int, int, str, float], None]
_SCORE = 0.6

KIN_WORDS = (
    r"husband|wife|partner|spouse|son|daughter|mother|father|mum|mom|dad|brother|sister|niece|nephew|"
    r"grandson|granddaughter|grandmother|grandfather|grandma|grandpa|aunt|uncle|cousin|friend|neighbou?r|"
    r"carer|caregiver|fianc[ée]e?|stepson|stepdaughter|boyfriend|girlfriend|pedestrian|visitor|"
    # people around a patient or a practice named in passing: "our secretary, Otto, on ...",
    # "staff there (Stacy) updated", "her flatmate Priya brought ..."
    r"secretary|receptionist|colleague|housemate|flatmate|roommate|landlord|landlady|staff[ \t]there|"
    r"key[ \t]worker|keyworker|support[ \t]worker|care[ \t]worker|"
    # people at a scene or a test named in passing: "other driver Gaetan Roy refused transport",
    # "reversed into pedestrian Meiling Sun (staff", "cardiac physiologist Jean Roy at 01:12"
    r"driver|physiologist|radiographer|technician|chaplain|advocate|guardian|identified[ \t]as"
)
# The relation and role words as plain lower-case words ("daughter's number is": nobody named): the
# words of ``KIN_WORDS``' plain alternatives, its two patterned spellings written out, and the words for
# the patient and their clinicians.
KIN_KEYS = (
    frozenset(w for alt in KIN_WORDS.split("|") for w in alt.replace("[ \\t]", " ").split() if w.isalpha())
    | frozenset(["neighbour", "neighbor", "fiance", "fiancee", "fiancé", "fiancée"])
    | frozenset(["patient", "pt", "doctor", "nurse", "gp"])
)
SPEAKER_WORDS = r"agent|caller|operator|speaker|interpreter|call[ \t]taker"
SAID_WORDS = (
    r"speaking[ \t]with|speaking[ \t]to|this[ \t]is|it['’]s|my[ \t]name[ \t]is|thanks|"
    r"i['’]?m[ \t]the[ \t]patient|i[ \t]am[ \t]the[ \t]patient"
)
_WORD = r"[A-Za-zÀ-ÿ][a-zà-ÿ'’\-]{1,30}+"
_NAME_WORDS = (
    r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]{1,30}+(?:[ \t](?:[A-Za-z]\.|[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]{1,30}+)){0,2}+"
)
_FOLLOW = (
    r"\(|,|visited|visiting|called|rang|phoned|telephoned|is[ \t]aware|was[ \t]present|present|at[ \t]bedside|"
    r"at[ \t]home|by[ \t]phone|on[ \t]\+?[0-9(]|who[ \t]|has[ \t]been|\)|$|"
    r"has[ \t]|had[ \t]|made[ \t]|holds[ \t]|wants[ \t]|lives[ \t]|can[ \t]be[ \t]|at[ \t][0-9A-Z]|\+?[0-9]|"
    r"normally[ \t]|usually[ \t]|often[ \t]|always[ \t]|rings[ \t]|calls[ \t]|brought[ \t]|drove[ \t]|took[ \t]|"
    r"will[ \t]|would[ \t]|is[ \t]|was[ \t]|['’]s[ \t]|says[ \t]|said[ \t]|and[ \t]i[ \t]|and[ \t]I[ \t]|"
    r"(?i:refused|arrived|attended|confirmed|by)[ \t]"
)
# Each starts with ``(?<![A-Za-z])`` and a cue word, so recall.py tries it only where a letter run
# begins like one of the cue words (its ``RunIndex``), not at every character.
KIN_NAME = re.compile(
    r"(?<![A-Za-z])(?i:"
    + KIN_WORDS
    + r")(?i:-in-law)?,?[ \t]++\(?("
    + _WORD
    + r")(?:[ \t]++("
    + _WORD
    + r"))?\)?"
    r"(?=[ \t]*+(?:" + _FOLLOW + r"))",
    re.MULTILINE,
)
SPEAKER_ALONE = re.compile(
    r"(?<![A-Za-z])(?i:" + SPEAKER_WORDS + r")[ \t]*+:[ \t]*+(" + _NAME_WORDS + r")[ \t]*+$", re.MULTILINE
)
SAID_NAME = re.compile(
    r"(?<![A-Za-z])(?i:" + SAID_WORDS + r")[ \t]++(" + _NAME_WORDS + r")(?=[ \t]*+(?:[.,?!]|$))", re.MULTILINE
)
# A field labelled with a person's role, then its value alone: "Reporter: Grace Ward (charge nurse)",
# "NAME.......... NATHANIEL BARIA", "interpreter (tamil): thea munro, id ...", "patient: jo b. bloggs  hosp #".
LABEL_WORDS = (
    r"patient[ \t]name|patient|name|reporter|reported[ \t]by|attending|interpreter|witness|notified|"
    r"manager[ \t]notified|verified[ \t]by|signed[ \t]by|crew|consultant|clinician|prescriber|"
    r"surname|forenames?|first[ \t]names?|given[ \t]names?|family[ \t]name|name[ \t]of[ \t]participant|"
    r"person[ \t]taking[ \t]consent|requested[ \t]by|ordering|operator|referrer|picked[ \t]up[ \t]by|"
    r"responsible[ \t]health[ \t]professional|contact[ \t]for[ \t]family|signed|crew[ \t]sig|pcp|"
    r"record[ \t]accessed|sec|pic|authori[sz]ed(?:[ \t]by)?|manager[ \t]review|privacy[ \t]officer|paramedic|"
    r"staff[ \t]involved|staff[ \t]member|owner|person[ \t]affected|pharmacist[ \t]in[ \t]charge|"
    r"pharmacist|dispensed[ \t]by|checked[ \t]by|counted[ \t]by|witnessed[ \t]by"
)
_NAME_WORD = r"(?:[A-Za-zÀ-ÿ]\.|[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'’\-]{1,30}+)"
LABELLED_NAME = re.compile(
    r"(?<![A-Za-z])(?i:"
    + LABEL_WORDS
    + r")(?:\(s\))?(?:[ \t]\([a-z]{2,20}\))?[ \t]*+(?:\.{2,40}+|:)[ \t]*+(?i:dr\.?[ \t]++)?"
    r"(" + _NAME_WORD + r"(?:,?[ \t]" + _NAME_WORD + r"){0,3})"
    # the name ends the line, or a bracket, two blanks, a credential or the next "Label:" follows
    r"(?=[ \t]*+(?:$|\((?!s\))|<|[ \t]{2}|,[ \t]*+(?:[A-Za-z][A-Za-z\-]{1,8}|id|dob)\b|,[ \t]*+[(+0-9])"
    r"|[ \t]++[A-Za-z][a-z]{1,15}+(?:\(s\))?:|[ \t]++[0-9]{1,2}[:.][0-9]{2}(?![0-9])|[ \t]*+\|"
    r"|[ \t]++(?i:rph|rn|md|np|do|mbbs|frcs|fy[12]|st[1-8]|lic|dea|reg)(?![A-Za-z]))",
    re.MULTILINE,
)
# Two staff who sign a controlled-drug entry together, given by/witness: "G Dabrowski/D Whitfield",
# "R EL-AMIN/G KAUR": an initial and a surname on each side of one slash.
_INITIAL_NAME = r"[A-Z]\.?[ \t]++[A-Z][A-Za-z'’\-]{1,30}+"
SIGNED_PAIR = re.compile(
    r"(?<![A-Za-z0-9/.])(" + _INITIAL_NAME + r")[ \t]*+/[ \t]*+(" + _INITIAL_NAME + r")(?![A-Za-z0-9/])"
)
_LOWER_WORD = r"[a-z][a-z'’\-]{1,30}+"
_CAP_WORD = r"[A-Z][A-Za-z'’\-]{1,30}+"
ROLE_WORDS = r"dr|hca|sn"
BRACKET_SPEAKER_WORDS = r"agent|operator|rep|call[ \t]taker"
# A role word and the person: "dr agyeman", "by hca robin.", "HCA Meiling on breaks", "dr mohamrned mansour,".
ROLE_NAME = re.compile(
    r"(?<![A-Za-z])(?i:"
    + ROLE_WORDS
    + r")\.?[ \t]++([A-Za-z][a-z'’\-]{1,30}+)(?:[ \t]++("
    + _LOWER_WORD
    + r"))?"
    r"(?![A-Za-z0-9'’\-])"
)
# A signature line: a name and a nursing credential alone on it ("morag gillies dn", "W. Do, RN").
SIGN_OFF = re.compile(
    r"^[ \t]*+((?:[A-Za-z0-9]\.[ \t]?)?[A-Za-z0-9][A-Za-z0-9'’\-]{1,30}+(?:[ \t][A-Za-z][A-Za-z'’\-]{1,30}+){0,2})"
    r",?[ \t]++(?i:rn|dn|en|rgn|rmn|hca|lpn|rpn|np|sn)[ \t]*+$",
    re.MULTILINE,
)
# A list row that starts with "SURNAME, Given" and then an identifier ("EL-AMIN, Huda   MRN4577...",
# "Ashworth, Noor S UR No 141 ...").
ROW_SURNAME_FIRST = re.compile(
    r"^(" + _CAP_WORD + r",[ \t]++[A-Z][a-z'’\-]{1,30}+(?:[ \t][A-Z](?![A-Za-z]))?)"
    r"(?=[ \t]++(?:[A-Z]{0,4}[0-9#]|(?i:mrn|ur|dob|chart|nhs|hosp|unit)(?![a-z])))",
    re.MULTILINE,
)
# Consent wording: "I, IFEANYI SUN, of 2172 ..."
I_NAME_OF = re.compile(
    r"(?<![A-Za-z])I,[ \t]++(" + _CAP_WORD + r"(?:[ \t][A-Z][A-Za-z'’\-.]{0,30}+){0,3}+),[ \t]++of[ \t]"
)
# Who answers the phone: "pharmacy, Grzegorz speaking", "AGENT (Rodel) Thanks for calling".
NAME_SPEAKING = re.compile(r"(?:,|^)[ \t]*+([A-Z][a-z'’\-]{1,30}+)[ \t]speaking(?![A-Za-z])", re.MULTILINE)
SPEAKER_BRACKET = re.compile(
    r"(?<![A-Za-z])(?i:" + BRACKET_SPEAKER_WORDS + r")[ \t]*+\(([A-Z][a-z'’\-]{1,30}+)\)"
)
# "Message from eoin mulcahy (mulcahye8)": a portal sender before their user name.
MESSAGE_FROM = re.compile(
    r"(?<![A-Za-z])(?i:message[ \t]from)[ \t]++([A-Za-z][a-z'’\-]{1,30}+(?:[ \t][A-Za-z][a-z'’\-]{1,30}+){0,2}+)[ \t]*+\("
    r"(?:([A-Za-z][A-Za-z0-9._\-]{2,30}+)\))?"
)
# A header line that starts with the patient and an identifier of five digits or more: "JO BLOGGS /
# IP52/178366 / seen 3.5.24", "bloggs, jo | 836 393 7606 | 1975-09-01", "JO BLOGGS | UNIT NO 91520 |".
HEADER_NAME = re.compile(
    r"([A-Za-z][A-Za-z'’\-]{1,30}+(?:,?[ \t][A-Za-z][A-Za-z'’\-]{1,30}+){1,2}+)[ \t][/|][ \t]"
    r"(?:[A-Za-z]{1,6}+[ \t]){0,2}+([A-Z0-9][A-Za-z0-9/\-]*+(?:[ \t][0-9]{2,}+)*+)(?=[ \t][/|][ \t]|[ \t]*+$)"
)
# "patient khalid farouk hosp no ...", "pt dafydd vaughan Resus 2": a lower-case name before an id or a bed.
PT_NAME_ID = re.compile(
    r"(?<![A-Za-z])(?:pt|patient)[ \t]++(" + _LOWER_WORD + r"(?:[ \t]++" + _LOWER_WORD + r"){1,2})[ \t]++"
    r"(?=(?i:hosp|mrn|dob|nhs|ur|bed|room|resus|hdu|icu|ward|cubicle)(?![a-z]))"
)
_PT_NAME = re.compile(r"pt[ \t]++([a-z][a-z'’\-]{1,30}+(?:,?[ \t]++[a-z][a-z'’\-]{1,30}+){0,2}+)[ \t]*+\(")
# Words that follow a relation word or a speaker label and are never a name.
_NEVER = frozenset(
    [
        "i",
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "is",
        "was",
        "are",
        "were",
        "has",
        "had",
        "have",
        "be",
        "been",
        "at",
        "in",
        "on",
        "of",
        "to",
        "for",
        "by",
        "with",
        "from",
        "who",
        "also",
        "then",
        "again",
        "not",
        "no",
        "yes",
        "ok",
        "okay",
        "thanks",
        "thank",
        "hello",
        "hi",
        "hey",
        "sure",
        "right",
        "sorry",
        "please",
        "good",
        "fine",
        "well",
        "present",
        "aware",
        "here",
        "there",
        "today",
        "tomorrow",
        "yesterday",
        "unavailable",
        "unwell",
    ]
)


# What follows a name after a comma and is no part of it: credentials and the labels of a licence.
_AFTER_NAME = frozenset(
    """md do rn np pa dds phd pharmd rph mbbs mbchb frcp frcpc frcs fracp fracgp frcr franzcr mrcp mrcgp ccfp
    facp facs faap dnp fnp lpn lvn crna emt paramedic en rgn srn rpn hca sn mrpharms dea npi licence license
    lic gphc gmc nmc hcpc ahpra cpso cpsbc mci reg id dob mrn""".split()
)


def _name_part(value: str, safe: Callable[[str], bool]) -> str:
    """``value`` up to a credential, a licence label or a role after a comma ("Edwin Shepherd, MD",
    "Unni Palla MD", "GILL, ERIC, EMT-P", "Tracy Jackson, DEA MJ5862291", "Jo Bloggs, Charge Nurse")."""
    end = 0
    upper_name = True
    for part_index, part in enumerate(value.split(",")):
        offset = value.find(part, end) if part_index else 0
        words = part.split()
        if part_index and (not words or all(safe(w) for w in words)):
            break  # ", Charge Nurse": a role
        stop = False
        for w in words:
            k = w.lower().strip(".")
            if end and (k in _AFTER_NAME or ("-" in w and w.isupper())):
                stop = True
                break
            if end and part_index and w.replace(".", "").isupper() and len(w) <= 6 and not upper_name:
                stop = True
                break
            upper_name = upper_name and w.isupper()
            end = value.find(w, offset) + len(w)
            offset = end
        if stop:
            break
    return value[:end]


# What a relative named by a common word ("wife faith", "daughter joy") does next: a plain verb of
# calling, coming or asking, so the word between is the name ("daughter joy rang x2").
_ACTS = re.compile(
    r"[ \t]++(?:rang|phoned|called|visited|made|wants|wanted|arrived|updated|brought|came|asked|says|said|"
    r"will[ \t]bring|will[ \t]phone|will[ \t]call|will[ \t]visit)(?![a-z])"
)
_ADVERBS = frozenset(
    "still never always often sometimes usually just now later already only even soon recently".split()
)


def _acts_after(text: str, end: int, word: str) -> bool:
    """A lower-case common word after a relation word is a name when a verb of calling or coming
    follows it and it is no frequent word or adverb ("wife faith made me ring", not "son still rang")."""
    k = word.lower()
    return k not in _ADVERBS and zipf(k) < 5.5 and _ACTS.match(text, end) is not None


def _function_word(word: str, first: bool = False) -> bool:
    """A word after a relation word that names nobody: a function word, a frequent word, or an
    adverb, participle or gerund ("-ly", "-ed", "-ing"). Right after the relation word (``first``)
    only an English one of five letters or more: "Meiling", "Jing", "Xiaoming" are names there."""
    k = word.lower()
    if k in _NEVER:
        return True
    z = zipf(k)
    if z >= 6.0:
        return True
    if not k.endswith(("ly", "ed", "ing")):
        return False
    return not first or (len(k) >= 5 and z > 0.0)


_COUNT = re.compile(r"[xX×][0-9]{1,2}")
# A nursing note's subject at the start of a line or sentence, before what nurses record of a patient:
# "julie ate 97% of breakfast", "nicolas hall mobilised to toilet", "ct alexia is 104 yrs old",
# "OVIYA TEARFUL RE HER FRIEND" (the note's own case, lower or upper).
_CARE_VERBS = (
    "mobilised",
    "mobilized",
    "ate",
    "tearful",
    "slept",
    "refused",
    "declined",
    "settled",
    "aware",
    "voided",
    "tolerated",
    "tolerating",
    "mobilising",
    "mobilizing",
)
_CARE_VERB_NAME = re.compile(
    r"(?m)(?:^|(?<=\. )|(?<=\.  )|(?<=[ \t]-[ \t])|(?<=\b(?:ct|pt|CT|PT)[ \t]))"
    r"([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]{1,30}+(?:[ \t][A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]{1,30}+)?)[ \t]++"
    r"(?i:(?:" + "|".join(_CARE_VERBS) + r")(?![a-z])|is[ \t][0-9]{1,3}[ \t]?(?:yrs|years|yo|y/o))"
)


# Signatures and consents as lower-case notes write them: "b. patla rn 0910", "brijesh h. jhoveri, md",
# "i, maria c. frank, born may 27", "signed barbarigo, santino 15/4/24", "signature: m. frank".
_LOWER_WORD = r"[a-zà-ÿ][a-zà-ÿ'’\-]{1,30}+"
_LOWER_NAME = rf"(?:[a-z]\.[ \t]?)?{_LOWER_WORD}(?:,?[ \t](?:[a-z]\.|{_LOWER_WORD})){{0,2}}"
_LOWER_SIGNED = re.compile(
    rf"(?m)(?:(?:^|(?<=[.;]))[ \t]*+(?:-[ \t]*+)?({_LOWER_NAME}),?[ \t]++\(?(?:rn|md|np|sn|rgn|rmn|en|hca|mbbs|frcp|frcs|do|pa-c|ms|fy[12]|st[1-8])"
    rf"(?![a-z])"
    rf"|^[ \t]*+i,[ \t]++({_LOWER_NAME}),[ \t]++(?:born|of|dob|agree|consent|the[ \t]undersigned|hereby)"
    rf"|(?<![a-z])(?:signed|signature:?)[ \t]++({_LOWER_NAME})(?=[ \t]*+(?:[0-9]|$|[ \t]{{2}})))"
)


# A lower-case note's honorific before the name: "pt mr. anand krishnan 46/M", "mrs ewa nowicka bed 8",
# "smt. gowri shankar", "sr. beena kurian", "miss oyelowo (bed 3".
_LOWER_TITLED = re.compile(
    rf"(?<![A-Za-z])(?:mr|mrs|ms|miss|mstr|smt|shri|sr|mme|mlle)\.?[ \t]++({_LOWER_WORD}(?:[ \t]{_LOWER_WORD}){{0,2}})"
)


def lower_case_titled(
    text: str, safe: Callable[[str], bool], first_names: Collection[str], emit: Emit
) -> None:
    """The name after a lower-case honorific: its words up to the first safe one."""
    for m in _LOWER_TITLED.finditer(text):
        start = m.start(1)
        end = start
        for w in re.finditer(r"[^ \t]+", m.group(1)):
            k = w.group().lower()
            if k in _NEVER or (safe(k) and k not in first_names):
                break
            end = start + w.end()
        if end > start:
            emit(start, end, "NAME", _SCORE)


def lower_case_signatures(
    text: str, safe: Callable[[str], bool], first_names: Collection[str], emit: Emit
) -> None:
    """The names of ``_LOWER_SIGNED``'s shapes, when a word of them is no safe word."""
    if not any(cue in text for cue in ("rn", "md", "i,", "signed", "signature", "sn", "mbbs")):
        return
    for m in _LOWER_SIGNED.finditer(text):
        g = 1 if m.group(1) is not None else (2 if m.group(2) is not None else 3)
        words = [w.strip(".,") for w in m.group(g).split()]
        keys = [w.lower() for w in words]
        if any(k in _NEVER for k in keys):
            continue
        long_words = [w for w in keys if len(w) > 2]
        # every word a name could be ("obs stable rn 0910" is a note, not a signature)
        if long_words and all(not safe(w) or w in first_names for w in long_words):
            emit(m.start(g), m.end(g), "NAME", _SCORE)


def care_verb_names(text: str, safe: Callable[[str], bool], first_names: Collection[str], emit: Emit) -> None:
    """The subject of a nursing note's care verb (``_CARE_VERB_NAME``) when it is no safe word."""
    low = text.lower()
    if not any(verb in low for verb in _CARE_VERBS) and " yrs" not in low and " years" not in low:
        return
    for m in _CARE_VERB_NAME.finditer(text):
        start = m.start(1)
        words = m.group(1).split()
        if words[0].lower() in ("ct", "pt") and len(words) > 1:
            start = m.end(1) - len(words[1])  # "ct alexia is 104 yrs old": the cue, then the name
            words = words[1:]
        keys = [w.lower() for w in words]
        if any(k in _NEVER for k in keys):
            continue
        if any((not safe(w) and len(w) > 2) or k in first_names for w, k in zip(words, keys, strict=True)):
            emit(start, m.end(1), "NAME", _SCORE)


def context_names(
    text: str,
    kin: list[re.Match[str]],
    said: list[re.Match[str]],
    labelled: list[re.Match[str]],
    safe: Callable[[str], bool],
    first_names: Collection[str],
    emit: Emit,
) -> None:
    """Emits the NAME spans of the shapes above; ``kin`` and ``said`` are the matches of ``KIN_NAME``
    and of ``SPEAKER_ALONE`` and ``SAID_NAME`` (found by the caller at its cue-word candidates)."""
    for m in kin:
        end = m.end(1)
        first = m.group(1)
        if first[0].isupper():
            # a capital in mid-sentence marks a name even on a common word ("her daughter Will (...)")
            k = first.lower()
            ok = k not in _NEVER and not k.endswith(("ly", "ed", "ing")) and text[m.start()].islower()
        else:
            ok = not _function_word(first, first=True) and (
                not safe(first) or first in first_names or _acts_after(text, m.end(1), first)
            )
        if not ok:
            continue
        second = m.group(2)
        if second is not None and not _function_word(second) and not safe(second):
            end = m.end(2)
        emit(m.start(1), end, "NAME", _SCORE)
    if "pt " in text:
        for m in _PT_NAME.finditer(text):
            if m.start() > 0 and text[m.start() - 1].isalpha():
                continue
            words = re.findall(r"[a-z][a-z'’\-]+", m.group(1))
            if any(not safe(w) or w in first_names for w in words) and not any(w in _NEVER for w in words):
                emit(m.start(1), m.end(1), "NAME", _SCORE)
    for m in labelled:
        value = _name_part(m.group(1), safe)
        words = [w.strip(".,") for w in value.split()]
        # "Crew: paramedic x2": a count is no part of a name
        letters = [w for w in words if any(c.isalpha() for c in w) and _COUNT.fullmatch(w) is None]
        if not letters or any(w.lower() in _NEVER for w in words):
            continue
        if any(not safe(w) or w.lower() in first_names for w in letters if len(w) > 1):
            emit(m.start(1), m.start(1) + len(value), "NAME", _SCORE)
    care_verb_names(text, safe, first_names, emit)
    lower_case_signatures(text, safe, first_names, emit)
    lower_case_titled(text, safe, first_names, emit)
    for m in said:
        words = [w.strip(".") for w in m.group(1).split()]
        if any(w.lower() in _NEVER for w in words):
            continue
        if any((not safe(w) and len(w) > 1) or w.lower() in first_names for w in words):
            emit(m.start(1), m.end(1), "NAME", _SCORE)


# A doctor written surname first: "cc Dr Quell, Ada.", "routed to Dr Quell, Ada — approved".
DR_SURNAME_FIRST = re.compile(
    r"(?<![A-Za-z])(?:Dr|DR)\.?[ \t]++("
    + _CAP_WORD
    + r",[ \t]++[A-Z][a-z'’\-]{1,30}+)(?=[ \t]*+(?:[.;)]|$|[—–\-][ \t]))",
    re.MULTILINE,
)
# A staff role and then the person, capitalised: "cardiac physiologist Ada Quell at 10:45", "social worker
# previously Ada Quell-Morrow (...)".
STAFF_ROLE_WORDS = (
    r"physiologist|pharmacist|social[ \t]worker|midwife|physiotherapist|radiographer|dietitian|sonographer|"
    r"nurse|porter|clerk|chaplain|therapist|paramedic|registrar|consultant"
)
STAFF_ROLE_NAME = re.compile(
    r"(?<![A-Za-z])(?i:" + STAFF_ROLE_WORDS + r")[ \t]++(?:previously[ \t]++)?"
    r"([A-Z][a-z'’\-]{1,30}+(?:[ \t][A-Z][A-Za-z'’\-]{1,30}+){1,2}+)"
)
# A line that starts with a doctor's name and grade: "Ada Quell FY2 bleep 2652".
GRADE_LINE = re.compile(
    r"("
    + _CAP_WORD
    + r"(?:[ \t]"
    + _CAP_WORD
    + r"){1,2}+)[ \t]++(?i:fy[12]|st[1-8]|sho|spr|ct[1-3])(?![A-Za-z0-9])"
)
# The cheap tests that let a pattern be skipped on a text it cannot match.
_SLASH_PAIR = re.compile(r"/[ \t]*+[A-Z]\.?[ \t]++[A-Z]")
_CREDENTIAL_TAILS = frozenset("rn dn en rgn rmn hca lpn rpn np sn".split())


def more_names(
    text: str,
    role: list[re.Match[str]],
    cued: list[re.Match[str]],
    safe: Callable[[str], bool],
    first_names: Collection[str],
    emit: Emit,
) -> None:
    """Emits the NAME spans of the role, signature, list-row, consent, phone, portal and register shapes
    above. ``role`` are ``ROLE_NAME``'s matches and ``cued`` those of ``SPEAKER_BRACKET``,
    ``MESSAGE_FROM``, ``PT_NAME_ID`` and ``STAFF_ROLE_NAME`` (found by the caller at their cue words); the line shapes are
    tried only on lines that can hold them."""

    def named(words: list[str]) -> bool:
        ws = [w.strip(".,").lower() for w in words]
        return not any(w in _NEVER for w in ws) and any(
            (len(w) > 1 and not safe(w)) or w in first_names for w in ws if w
        )

    for m in role:
        first = m.group(1)
        if _function_word(first) or not (not safe(first) or first.lower() in first_names):
            continue
        end = m.end(1)
        second = m.group(2)
        if second is not None and not _function_word(second) and not safe(second):
            end = m.end(2)
        emit(m.start(1), end, "NAME", _SCORE)
    found = list(cued)
    if "speaking" in text:
        found += NAME_SPEAKING.finditer(text)
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if line[-1:] in "nNaApP \t" and (
            line.rstrip(" \t")[-4:].rpartition(" ")[2].lstrip(",").lower() in _CREDENTIAL_TAILS
        ):
            lm = SIGN_OFF.match(text, start, start + len(line))
            if lm is not None:
                found.append(lm)
        if not line[:1].isalpha():
            continue
        comma = line.find(",", 1, 33)
        if comma > 0 and line[0].isupper() and line.find(" ", 0, comma) < 0:  # "SURNAME, ..."
            lm = ROW_SURNAME_FIRST.match(text, start, start + len(line))
            if lm is not None:
                found.append(lm)
        sp = line.find(" ", 2, 32)
        if line[0].isupper() and sp > 0 and line[sp + 1 : sp + 2].isupper():  # two capitalised words
            lm = GRADE_LINE.match(text, start, start + len(line))
            if lm is not None:
                found.append(lm)
        if " / " in line or " | " in line:
            lm = HEADER_NAME.match(text, start, start + len(line))
            if lm is not None and sum(c.isdigit() for c in lm.group(2)) >= 5:  # an id, not a result
                found.append(lm)
    for m in found:
        if named(m.group(1).replace(",", " ").split()):
            emit(m.start(1), m.end(1), "NAME", _SCORE)
            if m.re is MESSAGE_FROM and m.group(2) is not None:
                emit(m.start(2), m.end(2), "ID", _SCORE)  # the sender's portal user name
            elif m.re is HEADER_NAME:
                emit(m.start(2), m.end(2), "MRN", _SCORE)  # the record number beside the name
    for title in ("Dr", "DR"):
        i = text.find(title)
        while i >= 0:
            dm = DR_SURNAME_FIRST.match(text, i)
            if dm is not None and named(dm.group(1).replace(",", " ").split()):
                emit(dm.start(1), dm.end(1), "NAME", _SCORE)
            i = text.find(title, i + 2)
    if "I," in text:
        for m in I_NAME_OF.finditer(text):
            emit(m.start(1), m.end(1), "NAME", _SCORE)
    if "/" in text and _SLASH_PAIR.search(text) is not None:
        for m in SIGNED_PAIR.finditer(text):
            surnames = [m.group(g).split()[-1].strip(".") for g in (1, 2)]
            if any(not safe(w) or w.lower() in first_names for w in surnames):
                emit(m.start(1), m.end(1), "NAME", _SCORE)
                emit(m.start(2), m.end(2), "NAME", _SCORE)
