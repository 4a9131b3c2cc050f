"""Account and user names after their label: "account: bfeatherstone | device ip ...", "ACCOUNT:
KASANTEB", "# exported by tamati_846 from 203.0.113.34", "user = jbloggs2".

A portal or export names the person behind it by their login, a word that is often no dictionary word
and carries no digit, so the id rules (which want digits) miss it. The value is one token, ended by a
field separator, a bracket, "from" or the line's end, and is kept when it has a digit, an underscore or
a dot, or is neither a safe word nor a common English one ("overdue", "admin"). One anchored
pattern, tried only where a label word starts (found with ``str.find``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wordfreq import zipf_frequency

Emit = Callable[[int, int, str, float], None]
_SCORE = 0.6

USER_ID = re.compile(
    r"(?<![A-Za-z])(?i:account|username|user[ \t]?name|user[ \t]?id|user|login|exported[ \t]by)"
    r"[ \t]*+[:=]?[ \t]*+([A-Za-z][A-Za-z0-9._\-]{2,30}+)"
    r"(?=[ \t]*+(?:\||$|\)|;|(?i:from)[ \t]))",
    re.MULTILINE,
)
_CUES = ("account", "user", "login", "exported by")


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
        if any(c.isdigit() or c in "._" for c in value) or (
            not safe(value) and zipf_frequency(value.lower(), "en") < 3.0
        ):
            emit(m.start(1), m.end(1), "ID", _SCORE)
