"""Identifiers the digit rules miss: login names after their label ("account: bfeatherstone | device
ip ...", "ACCOUNT: KASANTEB", "# exported by tamati_846 from 203.0.113.34", "user = jbloggs2", "(badge
jbloggs_12)") and record numbers written with their system's prefix ("REF SK637570", "CSN 644737794").

A portal or export names the person behind it by their login, a word that is often no dictionary word
and carries no digit, so the id rules (which want digits) miss it. The value is one token, ended by a
field separator, a bracket, "from" or the line's end, and is kept when it has a digit, an underscore or
a dot, or is neither a safe word nor a common English one ("overdue", "admin"). One anchored
pattern, tried only where a label word starts (found with ``str.find``). A prefixed record number keeps
its prefix in the span, so no part of "REF SK637570" is left to name the system it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ai_workers.safety.phi.zipf import zipf

Emit = Callable[[int, int, str, float], None]
_SCORE = 0.6

USER_ID = re.compile(
    r"(?<![A-Za-z])(?i:account|username|user[ \t]?name|user[ \t]?id|user|login|exported[ \t]by|badge)"
    r"[ \t]*+[:=]?[ \t]*+([A-Za-z][A-Za-z0-9._\-]{2,30}+)"
    r"(?=[ \t]*+(?:\||$|\)|;|(?i:from)[ \t]))",
    re.MULTILINE,
)
_CUES = ("account", "user", "login", "exported by", "badge")


# A record number written with its system's prefix: "REF SK637570", "ENC 3130544", "CSN 644737794",
# "PO 8914 574", "DATIX 415932": the prefix is part of the identifier.
PREFIXED_ID = re.compile(
    r"(?<![A-Za-z0-9])(?:REF|ENC|CSN|PO|DATIX|CASE|INC|ORD|JOB|REQ|FIN|SPN)[ \t]"
    r"[A-Z]{0,3}+[0-9][0-9A-Za-z]{2,}+(?:[ \t][0-9]{3,}+){0,2}+(?![A-Za-z0-9])"
)
_PREFIXES = ("REF ", "ENC ", "CSN ", "PO ", "DATIX ", "CASE ", "INC ", "ORD ", "JOB ", "REQ ", "FIN ", "SPN ")


def prefixed_id_candidates(text: str, emit: Emit) -> None:
    """Emits ID spans for record numbers with their system's prefix (tried only where a prefix is)."""
    for prefix in _PREFIXES:
        i = text.find(prefix)
        while i >= 0:
            m = PREFIXED_ID.match(text, i)
            if m is not None and sum(c.isdigit() for c in m.group()) >= 6:
                emit(m.start(), m.end(), "ID", _SCORE)
            i = text.find(prefix, i + len(prefix))


def user_id_candidates(text: str, safe: Callable[[str], bool], emit: Emit) -> None:
    """Emits ID spans for login names after an account, user or export label (the pattern is tried only
    where a label word starts)."""
    low = text.lower()
    starts: list[int] = []
    for cue in _CUES:
        i = low.find(cue)
        while i >= 0:
            starts.append(i)
            i = low.find(cue, i + len(cue))
    end = 0
    for i in sorted(starts):
        m = USER_ID.match(text, i) if i >= end else None
        if m is None:
            continue
        end = m.end()
        value = m.group(1)
        if any(c.isdigit() or c in "._" for c in value) or (not safe(value) and zipf(value.lower()) < 3.0):
            emit(m.start(1), m.end(1), "ID", _SCORE)
