"""Recall rules for whole classes of misses (issue 20, round 4): OCR-damaged numbers. Made-up
examples only (no evaluation text)."""

from __future__ import annotations

import pytest
from tests.support.phi import covered

from ai_workers.safety.phi import PhiDetector
from ai_workers.safety.phi.spaces import ocr_digits


@pytest.fixture(scope="module")
def detector() -> PhiDetector:
    return PhiDetector()


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("born 2I/O4/l957 here", "born 21/04/1957 here"),
        ("from l72.16.4O.9 today", "from 172.16.40.9 today"),
        ("call (617) 555-O142", "call (617) 555-0142"),
        ("stamp 2O19O3l2", "stamp 20190312"),
    ],
)
def test_ocr_look_alike_letters_in_numbers_are_read_as_digits(text: str, fixed: str) -> None:
    assert ocr_digits(text) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "vitamin B12 low",
        "SpO2 94% on air",
        "the 1970S",
        "CO2 retention",
        "Bed 4B",
        "IL6 level",
        "S100B raised",
        "V5K 7B9",
        "S24-08417",
        "I50.23",
    ],
)
def test_words_with_one_digit_stay_as_written(text: str) -> None:
    assert ocr_digits(text) is text


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("DOB 2I/O4/l957, seen in clinic", "2I/O4/l957"),
        ("login from l72.16.4O.9 flagged", "l72.16.4O.9"),
        ("Please ring her on (617) 555-O142 after six.", "(617) 555-O142"),
    ],
)
def test_ocr_damaged_identifiers_are_found(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("Still drives (QT 11 RB 5520 per her son) to church.", "QT 11 RB 5520"),
        ("DRIVES (WV19 PKX PER DAUGHTER)", "WV19 PKX"),
        ("driver of hatchback reg LM07 TZA (VIN withheld)", "LM07 TZA"),
        ("Drives (PG-41-XK per neighbour)", "PG-41-XK"),
        ("Drove (GHT 418) to the appointment.", "GHT 418"),
    ],
)
def test_plates_after_driving_and_registration_cues(detector: PhiDetector, text: str, plate: str) -> None:
    assert covered(detector, text, plate)


@pytest.mark.parametrize(
    "text", ["Drives (independently) to the shops.", "Reg diet, no restrictions.", "on reg 10 MG insulin"]
)
def test_driving_words_alone_are_no_plates(detector: PhiDetector, text: str) -> None:
    assert not [s for s in detector.detect(text) if s.type == "VEHICLE"]


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("FALL REVIEW - OKORO (QX07/228431)", "QX07/228431"),
        ("Pt Mira Holt K5521 904 seen on ward 6", "K5521 904"),
        ("HALE, Tomas   D304918K   Bed 2", "D304918K"),
        ("cultures (41R550183) pending", "41R550183"),
        ("Dossier: 31-502-877", "31-502-877"),
    ],
)
def test_record_numbers_by_shape(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


@pytest.mark.parametrize(
    "text",
    ["BP 120/80, HR 72.", "Dose 2.5 mg at 08:00 daily.", "ICD I48.91 and K21.9.", "Ref range 3.5-5.0"],
)
def test_measures_and_codes_are_no_record_numbers(detector: PhiDetector, text: str) -> None:
    assert not detector.detect(text)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ('She says she is "97 next spring" and laughs.', "97"),
        ("Age check: recorded as 101 on the transfer form.", "101"),
        ("AGE ............ ONE HUNDRED AND SIX", "ONE HUNDRED AND SIX"),
        ("Age :::: one hundred", "one hundred"),
        ("My father's one hundred and he still walks daily.", "one hundred"),
    ],
)
def test_ages_after_quotes_form_labels_and_documented_as(detector: PhiDetector, text: str, age: str) -> None:
    assert covered(detector, text, age)


def test_a_hundred_of_something_is_no_age(detector: PhiDetector) -> None:
    assert not detector.detect("The ward stocks one hundred and twenty gloves per box.")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Please send letters to Unit 3, 48 Quarry St Tallowby 4821 from now on.", "Tallowby"),
        ("Please send letters to Unit 3, 48 Quarry St Tallowby 4821 from now on.", "4821"),
        ("Notified in writing to 12 Ferndale Close, Mirrabool 3310.", "3310"),
        ("C: 9 Heron Row Glenmarra\nHA: your gp?", "Glenmarra"),
        ("Flat 2, 17 Osier Lane\nReading\nWestmoor\nKT4 9PL\n", "Reading"),
        ("Flat 2, 17 Osier Lane\nReading\nWestmoor\nKT4 9PL\n", "Westmoor"),
    ],
)
def test_towns_and_postcodes_after_a_street(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


def test_ordinary_words_after_a_street_are_no_town(detector: PhiDetector) -> None:
    text = "VISIT TO 40 TANNER WAY KEY SAFE CODE GIVEN BY SON."
    assert not [s for s in detector.detect(text) if s.type == "LOCATION"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Lives alone at Door No. 31/6, Peepal Tree Road normally.", "Door No. 31/6, Peepal Tree Road"),
        ("Letters to 47b Alderbrook Grove, Hexmoor.", "47b Alderbrook Grove"),
        ("Apt 9, 3120 Willowmere Gate, Stonebury", "Apt 9, 3120 Willowmere Gate"),
    ],
)
def test_door_numbers_house_letters_and_gates(detector: PhiDetector, text: str, address: str) -> None:
    assert covered(detector, text, address)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Patient: Xiaoling Sun   DOB 02.03.1961", "Xiaoling Sun"),
        ("Authorised: Thuy Do, Clinical Scientist", "Thuy Do"),
        ("HA: who is this\nC: its me, i'm the patient, maria wrzesniak\nHA: thanks maria", "maria wrzesniak"),
    ],
)
def test_a_short_or_rare_surname_after_a_found_given_name(
    detector: PhiDetector, text: str, name: str
) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Authorised: Petra Lindqvist, Clinical Scientist 4.2.25", "Petra Lindqvist"),
        ("Manager review: Osric Pellow, ward manager, closed", "Osric Pellow"),
        ("Privacy officer: Wren Castellano, (020) 7946 0011", "Wren Castellano"),
        ("PARAMEDIC: DUNCAN ABERNETHY REG 09-112233", "DUNCAN ABERNETHY"),
        ("staff involved: Ilse Varga\npatient informed: yes", "Ilse Varga"),
        ("owner (visitor): tobias grell, visiting his mother", "tobias grell"),
    ],
)
def test_names_after_incident_and_sign_off_labels(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("chest feels tight, my wife grace made me ring", "grace"),
        ("daughter hope rang x2 overnight, reassured.", "hope"),
    ],
)
def test_a_common_word_relative_who_calls_or_comes(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize("text", ["son still rang twice overnight.", "wife never visited on the ward."])
def test_adverbs_after_a_relation_word_are_no_names(detector: PhiDetector, text: str) -> None:
    assert not detector.detect(text)


@pytest.mark.parametrize(
    ("text", "facility"),
    [
        ("I had my bloods done at Harrowgate Reference Lab on 3/9.", "Harrowgate Reference Lab"),
        ("Bloods were taken at Wendmoor Blood Sciences yesterday.", "Wendmoor Blood Sciences"),
        ("She lives at Kestrel Vale Senior Living (care home).", "Kestrel Vale Senior Living"),
        ("PCP: Dr Ada Quell (Tamarisk Road GP)", "Tamarisk Road GP"),
        ("[recording] call with Market Street Apothecary, 3/9/2022", "Market Street Apothecary"),
    ],
)
def test_labs_living_homes_and_street_named_practices(
    detector: PhiDetector, text: str, facility: str
) -> None:
    assert covered(detector, text, facility)


@pytest.mark.parametrize(
    "text", ["TRANSPORTED TO CATH LAB.", "Pump: BD Alaris GP, MR conditional.", "Coded ICD-10 I48.91 today."]
)
def test_lab_and_gp_words_that_name_no_facility(detector: PhiDetector, text: str) -> None:
    assert not [s for s in detector.detect(text) if s.type == "FACILITY"]


def test_a_masked_national_number_keeps_its_last_four(detector: PhiDetector) -> None:
    text = "| Aadhaar         | XXXX XXXX 4821\n| Address | none"
    assert covered(detector, text, "XXXX XXXX 4821")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("HA: thanks, whats your postcode\nC 4821\nHA: and the address", "4821"),
        ("AGENT: zip code?\nCALLER: 60614\nAGENT: thanks", "60614"),
        ("REP: Last four of the SSN?\nCLINIC 7319\nREP: ok", "7319"),
    ],
)
def test_a_number_answered_on_the_next_speaker_line(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Insurance/plan: QWRT 5521 8830\nPC: cough", "QWRT 5521 8830"),
        ("Billing: VHA K442190  (ref)", "VHA K442190"),
    ],
)
def test_the_letters_that_open_a_plan_number(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


def test_a_label_abbreviation_stays_outside_the_number(detector: PhiDetector) -> None:
    text = "Hosp: MRN 7712345 seen"
    assert [text[s.start : s.end] for s in detector.detect(text)] == ["7712345"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "found on floor beside bed. dr reviewed, no fracture on exam\nOrlaith Brannigan",
            "Orlaith Brannigan",
        ),
        ("obs stable overnight, plan to continue.\nseona mcquarrie\n", "seona mcquarrie"),
    ],
)
def test_a_name_alone_on_the_last_line_signs_the_note(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize("text", ["Results reviewed.\nKind regards", "Plan as above.\nEnd of report\n"])
def test_a_closing_phrase_on_the_last_line_is_no_name(detector: PhiDetector, text: str) -> None:
    assert not detector.detect(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("vehicle reversed into pedestrian xiaoling pu (staff, porter).", "xiaoling pu"),
        ("his wife Meiling (ph 0411 222 333) wants a call", "Meiling"),
    ],
)
def test_given_names_ending_like_gerunds_after_a_relation_word(
    detector: PhiDetector, text: str, name: str
) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("referred to sw (oriel fanshaw ext 4410). plan: continue", "oriel fanshaw"),
        ("FAMILY (DOV KESTERMAN, +61 412 000 111) INFORMED", "DOV KESTERMAN"),
        ("MEDICATION CHECK - OKORO (QX07/228431)\nall given", "OKORO"),
    ],
)
def test_names_in_brackets_with_a_number_and_before_a_bracketed_id(
    detector: PhiDetector, text: str, name: str
) -> None:
    assert covered(detector, text, name)
