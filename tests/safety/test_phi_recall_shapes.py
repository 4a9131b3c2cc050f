# ruff: noqa: E501
"""Recall rules for shapes written by other authors (issue 20): facility names by their kind word
(also through OCR noise), fixed-width tables typed by their header, relation words before lower-case
first names, and more. Made-up examples only (no evaluation text)."""

from __future__ import annotations

import pytest
from tests.support.phi import covered

from ai_workers.safety.phi import PhiDetector


@pytest.fixture(scope="module")
def detector() -> PhiDetector:
    return PhiDetector()


def _found(detector: PhiDetector, text: str) -> list[str]:
    return [text[s.start : s.end] for s in detector.detect(text)]


@pytest.mark.parametrize(
    ("text", "facility"),
    [
        ("PT TRANSFERRED TO LAKEVIEW URGENT CARE BY AMBULANCE.", "LAKEVIEW URGENT CARE"),
        ("Follow-up booked at Quillan Ridge Health Service next week.", "Quillan Ridge Health Service"),
        ("Referred to Tamsworth Valley Orthopedics for review.", "Tamsworth Valley Orthopedics"),
        ("MARSHBROOK APOTHECARY - STOCK REGISTER\nDrug: morphine", "MARSHBROOK APOTHECARY"),
        ("Seen today at Fernhollow Gcneral Hosp1tal by the team.", "Fernhollow Gcneral Hosp1tal"),
        ("Location: Ward 3, Hôpital Montclair-Vignes\nReporter: nurse", "Hôpital Montclair-Vignes"),
        (
            "SILVER LAKE DIAGNOSTIC IMAGING\nCUMULATIVE REPORT\n\nResults below.",
            "SILVER LAKE DIAGNOSTIC IMAGING",
        ),
    ],
)
def test_facility_names_by_kind_word_and_through_ocr_noise(
    detector: PhiDetector, text: str, facility: str
) -> None:
    assert covered(detector, text, facility)


@pytest.mark.parametrize(
    "text",
    [
        "The scanner from GE HealthCare was serviced.",
        "Chemical Pathology results were reviewed on the ward round.",
        "25 mg po bid. labs in the morning.",
        "Please contact the Department of Radiology for bookings.",
    ],
)
def test_no_facility_without_a_name_before_its_kind_word(detector: PhiDetector, text: str) -> None:
    assert [s.type for s in detector.detect(text) if s.type == "FACILITY"] == []


def test_an_insurer_named_health_is_no_facility(detector: PhiDetector) -> None:
    text = "INSURANCE..... BRIGHTWELL HEALTH / AB-8849-3810"
    assert not [s for s in detector.detect(text) if s.type == "FACILITY"]


REGISTER = "\n".join(
    [
        "Hillcrest Pharmacy - CONTROLLED DRUG REGISTER",
        "Drug: Oxycodone 5 mg tab",
        "",
        "DATE        PAT1ENT                   RX#           QTY  PRESCRIBER            DEA/REG       BAL",
        "03/02/2024  QUARRINGTON, ELSPETH      Rx-551902      20  T. Vandermolen        7Q4411ZW      180",
        "04-Feb-2024 HOLLOWAY, DESMOND         RX7730114 ",  # a row that noise wrapped
        "",
        "   14  ABERNATHY, CORA       62281         166",
        "",
        "Count verified by pharmacist on duty",
    ]
)


@pytest.mark.parametrize(
    "cell",
    [
        "QUARRINGTON, ELSPETH",
        "Rx-551902",
        "T. Vandermolen",
        "7Q4411ZW",
        "HOLLOWAY, DESMOND",
        "RX7730114",
        "62281",
    ],
)
def test_fixed_width_register_columns_typed_by_header(detector: PhiDetector, cell: str) -> None:
    """The licence column is typed by its 'DEA/REG' label, also in a row that noise wrapped."""
    assert covered(detector, REGISTER, cell)


def test_a_fixed_width_results_table_is_left_alone(detector: PhiDetector) -> None:
    text = "TEST        RESULT    UNITS     RANGE\nSodium      139       mmol/L    135-145\nPotassium   4.1       mmol/L    3.5-5.2\n"
    assert _found(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Obs stable. husband torvald visited from town and asked to be called.", "torvald"),
        ("sats 95% RA. daughter-in-law Ysolde by phone this morning.", "Ysolde"),
        ("Her daughter Will ((0161) 555 0199) would like an update.", "Will"),
        ("night note - bay 2 bed 4\npt wenonah quilby (ur551234) settled overnight.", "wenonah quilby"),
        ("pt may shower in am.\n- k. abernathy-pole, rn\n", "k. abernathy-pole"),
        ("CALL TRANSCRIPT   Ref: CR-111111   Agent: Thaddeus Quorn\n\nAGENT: Hello.", "Thaddeus Quorn"),
        ("agent: you're speaking with lisandro. who am i speaking to?", "lisandro"),
    ],
)
def test_names_marked_by_their_context_not_their_capital(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize(
    "text",
    [
        "Her husband also visited and brought clothes.",
        "Daughter present at bedside, aware of the plan.",
        "pt tolerating diet (see chart).",
        "AGENT: Thank you for calling.\nCALLER: Okay\nAGENT: Yes",
        "Thanks, it's fine. This is good.",
    ],
)
def test_context_words_alone_are_no_names(detector: PhiDetector, text: str) -> None:
    assert [s for s in detector.detect(text) if s.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "part"),
    [
        (
            "Pickup: Flat 12, Lakeshore Residency Apartments, Quillon Salai, Madurai",
            "Flat 12, Lakeshore Residency Apartments, Quillon Salai",
        ),
        ("Plot No. 47, Varsha Marg, Nashik", "Plot No. 47, Varsha Marg"),
        ("Moved to 712-4410 Tamsin Sideroad, Orillia ON", "712-4410 Tamsin Sideroad"),
        ("Home: 88 Pellow Stairs, Hobart", "88 Pellow Stairs"),
        ("CALLER: 5521 Orrin Roads Apt. 4C, 60614.\nAGENT: Thanks.", "60614"),
        ("CALLER: 2291 Wexley Turnpike #17, 48203.", "2291 Wexley Turnpike #17"),
    ],
)
def test_address_grammar_street_types_units_and_postcode(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Book online: clinic.example.ca/appointments\n", "clinic.example.ca/appointments"),
        ("Use PORTAL.SAMPLE.CO.UK/LOGIN to reset.", "PORTAL.SAMPLE.CO.UK/LOGIN"),
        ("See myhealth.example.com.au for results.", "myhealth.example.com.au"),
        ("pt quarrington, elspeth (41 882 190) settled.", "41 882 190"),
        ("URN......... 31 775 802\nADMIT DATE.... 1/2/24", "31 775 802"),
    ],
)
def test_bare_country_domains_and_spaced_record_numbers(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


@pytest.mark.parametrize(
    "text",
    [
        "13:05 call bell in reach, bed low.",
        "pt stable.In the morning review again.",
        "Continue 2 mg (1 tab) twice daily.",
    ],
)
def test_no_address_url_or_id_in_ordinary_notes(detector: PhiDetector, text: str) -> None:
    assert _found(detector, text) == []


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Yours sincerely,\n\nDr Tamsin Orrell\nMD\nCPSBC 71930\n", "71930"),
        ("Clinician: Dr Ivo Marsh, NMC PIN 47C2291E\n", "47C2291E"),
        ("Implant to be used (UDI/serial): QRT550182K\nRisks discussed: infection", "QRT550182K"),
        ("Visitor's vehicle (34-90817, parked in bay 2) was damaged.", "34-90817"),
        ("MVC: PT WAS DRIVER OF 7-55120K. ID CONFIRMED.", "7-55120K"),
        ("caller: the car is kdq 417.\nagent: thanks", "kdq 417"),
    ],
)
def test_licences_serials_and_plates_after_their_cue(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


@pytest.mark.parametrize("text", ["her car was 20 years old.", "The vehicle was towed away."])
def test_no_plate_from_ordinary_words(detector: PhiDetector, text: str) -> None:
    assert [s for s in detector.detect(text) if s.type == "VEHICLE"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Reporter: Grace Hollin (charge nurse)\n\nEvent: fall", "Grace Hollin"),
        ("NAME.......... THADDEUS ORNBY\nDOB........... 2/3/1950", "THADDEUS ORNBY"),
        ("interpreter (polish): wanda kroll, id it-55120\n", "wanda kroll"),
        ("patient: ysolde q. marr    hosp #: 55120\n", "ysolde q. marr"),
    ],
)
def test_a_role_label_then_a_name_alone(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize(
    ("text", "name", "after"),
    [
        ("Reporter: Wenna Calloway, Charge Nurse\n", "Wenna Calloway", "Charge Nurse"),
        ("Crew: ODRAN MULVEY, EMT-P (GMC 1234567)\n", "ODRAN MULVEY", "EMT-P"),
        ("Clinician: Tamsin Orrell MD\n", "Tamsin Orrell", "MD"),
    ],
)
def test_a_labelled_name_stops_before_role_and_credential(
    detector: PhiDetector, text: str, name: str, after: str
) -> None:
    assert covered(detector, text, name)
    start = text.index(after)
    assert not any(s.start <= start < s.end and s.type == "NAME" for s in detector.detect(text))


@pytest.mark.parametrize("text", ["Patient: stable overnight\n", "Name: ____\n", "Patient name: (print)\n"])
def test_a_role_label_before_ordinary_words_is_no_name(detector: PhiDetector, text: str) -> None:
    assert [s for s in detector.detect(text) if s.type == "NAME"] == []


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("pt may shower in am. family live out at moose jaw. \n- k. orr, rn", "moose jaw"),
        ("niece visited from thunder bay and asked to be called.", "thunder bay"),
        ("pt keen to get home to swift current. ", "swift current"),
    ],
)
def test_lower_case_towns_where_a_note_says_where_someone_lives(
    detector: PhiDetector, text: str, town: str
) -> None:
    assert covered(detector, text, town)


@pytest.mark.parametrize(
    "text", ["lives in a flat with her son.", "lives alone.", "pt keen to get home to bed."]
)
def test_no_lower_case_town_from_a_home_description(detector: PhiDetector, text: str) -> None:
    assert [s for s in detector.detect(text) if s.type == "LOCATION"] == []


def test_an_australian_medicare_number_with_its_reference_is_one_span(detector: PhiDetector) -> None:
    text = "INSURANCE..... MEDIBANK / 5512 40917 2/1\nPCP........... Dr. Orr"
    assert covered(detector, text, "5512 40917 2/1")
