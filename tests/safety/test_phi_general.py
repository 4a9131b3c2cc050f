"""The detector on PHI-free text written by others: headings and prepositions before common words.

Made-up examples (no evaluation text): a capitalised or upper-case common English word that is no
name (WordNet's lower-case lemmas ranked common by wordfreq, less every name list) is not redacted in a
position only its shape or a preposition makes suspect, while names after a title or relation word,
"LAST, FIRST" pairs and towns made of common words are still found.
"""

from __future__ import annotations

import pytest

from ai_workers.safety.phi import PhiDetector
from ai_workers.safety.phi.commonwords import COMMON_ENGLISH
from ai_workers.safety.phi.recall import common_cased


@pytest.fixture(scope="module")
def detector() -> PhiDetector:
    return PhiDetector()


def _found(detector: PhiDetector, text: str) -> list[str]:
    return [text[s.start : s.end] for s in detector.detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        "WARD STOCK AUDIT - NIGHT SHIFT",
        "Referred with SUSPECTED APPENDICITIS to theatre.",
        "Bed 3: WOUND, DRESSING changed",
        "Quarterly Infection Summary",
    ],
)
def test_headings_of_common_words_are_left_alone(detector: PhiDetector, text: str) -> None:
    assert _found(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My niece Rosemary says hello.", "Rosemary"),
        ("Discussed with Dr Finch today.", "Finch"),
        ("STEWART, CHAD  RX12345", "STEWART, CHAD"),
    ],
)
def test_names_that_are_also_words_are_still_found_after_a_cue(
    detector: PhiDetector, text: str, name: str
) -> None:
    assert name in _found(detector, text)


def test_a_patient_label_keeps_a_surname_that_is_a_word(detector: PhiDetector) -> None:
    found = _found(detector, "Patient: Tank, Lila  DOB 01/02/1950")
    assert "Tank" in " ".join(found) and "Lila" in " ".join(found)


def test_a_town_of_common_words_is_still_a_place(detector: PhiDetector) -> None:
    assert _found(detector, "moved to Cedar Rapids last year") == ["Cedar Rapids"]


def test_common_words_exclude_names_and_towns() -> None:
    assert "register" in COMMON_ENGLISH and common_cased("register")
    assert common_cased("theatres") and common_cased("approved")  # inflections of listed lemmas
    for name in ("victor", "jay", "max", "brown", "hunter", "victoria", "dave"):
        assert not common_cased(name), name


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("my gran is ninety-six now and walks daily", "ninety-six"),
        ("He's one hundred and one, so call the landline", "one hundred and one"),
        ("She was ninety.", "ninety"),
    ],
)
def test_ages_over_89_in_words_said_of_a_person(detector: PhiDetector, text: str, age: str) -> None:
    assert age in _found(detector, text)


@pytest.mark.parametrize("text", ["the drive is ninety minutes", "infusion over ninety minutes"])
def test_durations_in_words_are_no_ages(detector: PhiDetector, text: str) -> None:
    assert _found(detector, text) == []


def test_a_span_of_years_is_no_identifier(detector: PhiDetector) -> None:
    assert _found(detector, "Data are from 2015-2019. Percentages may not add up.") == []
    assert "2019-2015" in _found(detector, "Ref 2019-2015 on file")  # no range: still an id


def test_a_compound_of_common_words_ends_no_signature(detector: PhiDetector) -> None:
    assert _found(detector, "AUDIT THEMES - DE-IDENTIFIED\n* falls down") == []
    assert _found(detector, "Signed - Smith-Jones\nok") == ["Smith-Jones"]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("My NI No. is PX 12 34 56 C.", "PX 12 34 56 C", "SSN"),
        ("the last four of my social are 4321.", "4321", "SSN"),
        ("pt was driver of 451 KRT, hit a wall", "451 KRT", "VEHICLE"),
        ("CAR REG AB12CDE parked outside", "AB12CDE", "VEHICLE"),
        ("the car is 7XYZ12.", "7XYZ12", "VEHICLE"),
        ("Shivaji Road, Pune - 411001, Maharashtra", "411001", "ZIP"),
    ],
)
def test_national_ids_plates_and_postcodes_by_shape_and_cue(
    detector: PhiDetector, text: str, value: str, kind: str
) -> None:
    spans = {(text[s.start : s.end], s.type) for s in detector.detect(text)}
    assert (value, kind) in spans


@pytest.mark.parametrize(
    "text", ["driver of 2 cars", "Took 10000 Units, then rested", "PRESSURE AREA CARE 2HRLY."]
)
def test_no_plate_or_postcode_without_the_shape(detector: PhiDetector, text: str) -> None:
    assert _found(detector, text) == []


def test_a_heading_of_three_common_words_is_no_name(detector: PhiDetector) -> None:
    assert _found(detector, "Weekly Activity Statistics - Surgical Division") == []


def test_a_facility_run_of_common_words_is_still_caught(detector: PhiDetector) -> None:
    found = " ".join(_found(detector, "Referred to Coral Coast Diagnostic Imaging today"))
    assert "Coral Coast" in found


def test_a_registration_number_in_brackets_after_credentials(detector: PhiDetector) -> None:
    text = "JANE ROE, MBBS (ABCD 53711)"
    assert ("53711", "LICENSE") in {(text[s.start : s.end], s.type) for s in detector.detect(text)}
    assert _found(detector, "Coded as (CPT 99213) today") == []  # no credential before: a code


@pytest.mark.parametrize("sep", ["|", ";", "\t"])
def test_exports_with_other_separators_are_typed_by_their_header(detector: PhiDetector, sep: str) -> None:
    header = sep.join(["mrn", "surname", "first_name", "dob", "sex", "postcode"])
    row = sep.join(["R0851", "Vartok", "Bisha", "13/08/2000", "F", "728223"])
    found = "\n".join(_found(detector, header + "\n" + row))  # a tab may join the two names in one span
    for value in ("Vartok", "Bisha", "13/08/2000", "728223"):
        assert value in found


def test_json_name_parts_are_names(detector: PhiDetector) -> None:
    found = _found(detector, '{"name": {"family": "Kentish", "given": "Jillian"}}')
    assert "Kentish" in found and "Jillian" in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("[joan smithers] hi, can I move my appointment", "joan smithers"),
        ("obs stable overnight.\n- dorinda, srn", "dorinda"),
        ("- ridha bakta, en", "ridha bakta"),
    ],
)
def test_lower_case_speakers_and_sign_offs(detector: PhiDetector, text: str, name: str) -> None:
    assert name in _found(detector, text)


@pytest.mark.parametrize(
    "text", ["[x] aspirin 300 mg\n[ ] heparin", "[Reply from clinic] ok", "- see below, md"]
)
def test_checkboxes_and_bracketed_words_are_no_speakers(detector: PhiDetector, text: str) -> None:
    assert _found(detector, text) == []


@pytest.mark.parametrize(
    ("text", "town", "code"),
    [
        ("173, Gokhale Street\nNandipur - 802238, Uttarakhand", "Nandipur", "802238"),
        ("222 WINSLADE ST\nJAMESTOWNE QLD 4718\nAUSTRALIA", "JAMESTOWNE", "4718"),
        ("Unit 8, 184 Tannery Place\nHarbourton VIC 2855", "Harbourton", "2855"),
        ("Brockhaven NB  T9X2H0", "Brockhaven", "T9X2H0"),
    ],
)
def test_town_and_postcode_around_a_region(detector: PhiDetector, text: str, town: str, code: str) -> None:
    spans = {(text[s.start : s.end], s.type) for s in detector.detect(text)}
    assert (town, "LOCATION") in spans and (code, "ZIP") in spans


@pytest.mark.parametrize(
    "text",
    [
        "Mild AKI. Background Kawasaki disease.",
        "Line placed with Seldinger technique and flushed.",
        "treated for Addisonian crisis with hydrocortisone",
        "Recognise Lachman test early.",
    ],
)
def test_unlisted_eponyms_before_a_disease_word_are_no_names(detector: PhiDetector, text: str) -> None:
    assert _found(detector, text) == []


def test_a_person_after_with_is_still_a_name(detector: PhiDetector) -> None:
    assert _found(detector, "Seen with Mary Smith today.") == ["Mary Smith"]
