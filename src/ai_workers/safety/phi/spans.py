"""What the detector reports: typed character spans, never the identifier values themselves."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """One identifier found in a text: ``text[start:end]`` is of ``type`` with confidence ``score``."""

    start: int
    end: int
    type: str
    score: float


# The identifier types the detector reports (placeholder prefixes, e.g. ``[NAME_1]``), with the HIPAA
# Safe Harbor identifier each one covers.
PHI_TYPES: dict[str, str] = {
    "NAME": "(A) names",
    "ADDRESS": "(B) street address",
    "LOCATION": "(B) city, county or other geographic subdivision smaller than a state",
    "ZIP": "(B) ZIP code",
    "DATE": "(C) dates (except year) related to an individual",
    "AGE": "(C) ages over 89",
    "PHONE": "(D, E) telephone and fax numbers",
    "EMAIL": "(F) email addresses",
    "SSN": "(G) social security numbers",
    "MRN": "(H) medical record numbers",
    "HEALTH_PLAN": "(I) health plan beneficiary numbers",
    "ACCOUNT": "(J) account numbers",
    "LICENSE": "(K) certificate and license numbers (incl. DEA, NPI)",
    "VEHICLE": "(L) vehicle identifiers, serial numbers and license plates",
    "DEVICE": "(M) device identifiers and serial numbers",
    "URL": "(N) web URLs",
    "IP": "(O) IP addresses",
    "BIOMETRIC": "(P) biometric identifiers",
    "ID": "(R) any other unique identifying number or code",
    "FACILITY": "hospital and clinic names",
}
