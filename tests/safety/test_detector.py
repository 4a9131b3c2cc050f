"""The PHI detector: each Safe Harbor identifier, validators, and clinical text that must stay intact.
Also checks the labelled evaluation set's targets, so a regression in recall or precision fails CI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ai_workers.safety.phi import PhiDetector, detect
from ai_workers.safety.phi.validators import card_ok, dea_ok, npi_ok, ssn_ok, vin_ok

ROOT = Path(__file__).resolve().parents[2]


def found(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in detect(text):
        out.setdefault(s.type, []).append(text[s.start : s.end])
    return out


def test_validators() -> None:
    assert luhn_cases()
    assert ssn_ok("123-45-6789") and not ssn_ok("000-12-3456") and not ssn_ok("666-12-3456")
    assert not ssn_ok("912-12-3456") and not ssn_ok("123-00-4567") and not ssn_ok("123-45-0000")
    assert npi_ok("1234567893") and not npi_ok("1234567890")
    assert dea_ok("AB1234563") and not dea_ok("AB1234567")
    assert vin_ok("1M8GDM9AXKP042788") and not vin_ok("1M8GDM9A1KP042788")


def luhn_cases() -> bool:
    return (
        card_ok("4111 1111 1111 1111") and not card_ok("4111 1111 1111 1112") and not card_ok("0000000000000")
    )


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Pt John Smith seen today.", "NAME", "John Smith"),
        ("Seen by Dr. Okonkwo-Bell in clinic.", "NAME", "Okonkwo-Bell"),
        ("Patient: Quimby, Thaddeus | MRN 1234567", "NAME", "Quimby, Thaddeus"),
        ("Sincerely,\nWinifred Achterberg, MD", "NAME", "Winifred Achterberg"),
        ("DOB: 3/14/1952", "DATE", "3/14/1952"),
        ("admitted on 2024-03-14 for chest pain", "DATE", "2024-03-14"),
        ("discharged 14 March 2024", "DATE", "14 March 2024"),
        ("seen March 3rd, 2021", "DATE", "March 3rd, 2021"),
        ("follow up on 6/12", "DATE", "6/12"),
        ("since Sept 2019", "DATE", "Sept 2019"),
        ("a 93-year-old woman", "AGE", "93"),
        ("age: 101", "AGE", "101"),
        ("lives at 1420 N. Main St., Apt. 3 with her son", "ADDRESS", "1420 N. Main St., Apt. 3"),
        ("Springfield, IL 62704", "ZIP", "62704"),
        ("Springfield, IL 62704", "LOCATION", "Springfield"),
        ("moved to Cedar Rapids last year", "LOCATION", "Cedar Rapids"),
        ("resides in Marin County", "LOCATION", "Marin County"),
        ("call (415) 555-0182 ext. 12", "PHONE", "(415) 555-0182 ext. 12"),
        ("fax +44 20 7946 0958", "PHONE", "+44 20 7946 0958"),
        ("email a.b@example.org", "EMAIL", "a.b@example.org"),
        ("SSN 123-45-6789", "SSN", "123-45-6789"),
        ("MRN: 00482913", "MRN", "00482913"),
        ("Medicare MBI 1EG4-TE5-MK73", "HEALTH_PLAN", "1EG4-TE5-MK73"),
        ("member ID XJH123456789", "HEALTH_PLAN", "XJH123456789"),
        ("Account #: 0099127341", "ACCOUNT", "0099127341"),
        ("card 4111 1111 1111 1111", "ACCOUNT", "4111 1111 1111 1111"),
        ("DEA AB1234563", "LICENSE", "AB1234563"),
        ("NPI: 1234567893", "LICENSE", "1234567893"),
        ("VIN 1M8GDM9AXKP042788", "VEHICLE", "1M8GDM9AXKP042788"),
        ("license plate 7KQM204", "VEHICLE", "7KQM204"),
        ("pacemaker serial number PJN123456H", "DEVICE", "PJN123456H"),
        ("see https://portal.example.org/p/123.", "URL", "https://portal.example.org/p/123"),
        ("login from 10.44.2.19", "IP", "10.44.2.19"),
        ("from 2001:db8:85a3::8a2e:370:7334", "IP", "2001:db8:85a3::8a2e:370:7334"),
        ("fingerprint ID FP-223188", "BIOMETRIC", "FP-223188"),
        ("claim # CLM88120934", "ID", "CLM88120934"),
        ("transferred to Mercy General Hospital", "FACILITY", "Mercy General Hospital"),
        ("admitted to St. Mary's Medical Center", "FACILITY", "St. Mary's Medical Center"),
    ],
)
def test_identifier_types(text: str, kind: str, value: str) -> None:
    assert value in found(text).get(kind, []), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Metformin 500 mg PO BID; lisinopril 10 mg daily.",
        "ICD-10 E11.9, I10; CPT 99213, 36415.",
        "Parkinson's disease, Alzheimer's disease, Crohn's disease, Hodgkin lymphoma.",
        "Apgar 8 and 9. Glasgow Coma Scale 15. Babinski sign negative.",
        "BP 120/80, HR 72, RR 16, SpO2 98%, T 36.9.",
        "Diagnosed in 2009. Colonoscopy in 2019.",
        "45-year-old with asthma; 67 yo M; age 89.",
        "Hgb 13.2 g/dL, WBC 7.2, platelets 250000/uL, Na 138.",
        "Follow-up in 3 months. Pain 5/10.",
        "The Epley maneuver and the Whipple procedure.",
    ],
)
def test_clinical_text_stays_intact(text: str) -> None:
    assert detect(text) == [], found(text)


def test_disabled_types_are_not_reported() -> None:
    det = PhiDetector(disabled=["FACILITY"])
    assert all(s.type != "FACILITY" for s in det.detect("admitted to Mercy General Hospital on 3/4/2024"))


def test_extra_names_extend_the_lexicon() -> None:
    text = "zxq Vrenna zxq"  # (two unknown capitalised words in a row are a name anyway: recall.py)
    # The rules alone: the learned tagger calls an unknown capitalised word between two others a name.
    assert not any(s.type == "NAME" for s in PhiDetector(learned=False).detect(text))
    assert any(s.type == "NAME" for s in PhiDetector(extra_names=["vrenna"], learned=False).detect(text))


def test_labelled_set_meets_the_targets() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from phi_eval import load_set, score

    result = score(load_set(), PhiDetector())
    assert len(load_set()) >= 300
    assert result["char_recall"] >= 0.99
    assert result["char_precision"] >= 0.90
    assert result["no_phi_touched"] <= 0.02


def test_span_cache_is_exact_and_holds_no_text() -> None:
    det = PhiDetector()
    text = "Patient: Thaddeus Quimby, DOB 04/22/1951, seen at Mercy General Hospital for a follow-up visit."
    first = det.detect(text)
    assert det.detect(text) == first and det.detect(text) is not first
    assert "Quimby" not in repr(det._cache) and "04/22/1951" not in repr(det._cache)
    # Cached earlier turns still take part in cross-message name propagation.
    later = det.detect_many([text, "Quimby called back about the results."])
    assert [(s.type, s.start, s.end) for s in later[1]] == [("NAME", 0, 6)]
    assert PhiDetector(cache_size=0).detect(text) == first


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("how to murder", "murder"),
        ("how to fix a flat tire", "fix a flat tire"),
        ("explain how to invest in bonds", "invest"),
        ("hi there, i need help with taxes", "taxes"),
        ("talk to grandma about dementia", "grandma"),
    ],
)
def test_common_words_of_lower_case_chat_are_not_names(text: str, kept: str) -> None:
    """A name position in lower-case text ("to ...") must not turn everyday words into names: the
    upstream would get "how to [NAME_1]", and Llama Guard would no longer see what was asked."""
    spans = detect(text)
    assert not any(text[s.start : s.end] in kept or kept in text[s.start : s.end] for s in spans), spans


def test_lower_case_names_after_relation_words_are_still_found() -> None:
    text = "pt seen by dr patel, wife mary at bedside; son joel called"
    found = {text[s.start : s.end] for s in detect(text) if s.type == "NAME"}
    assert {"patel", "mary", "joel"} <= found
