"""PHI-free clinical text from a third style of writing stays untouched (issue 20, v3 precision):
versions and score fractions are no dates, ward and service names, weekdays, English words, makers'
products, OCR-misread words and numbered bay labels are no names, a count or a phrase is no address, a
word fragment or a bare year is no id. Every case is made up and paired with an identifier of the
same shape that must still be found, so precision is not bought with recall."""

from __future__ import annotations

import pytest
from tests.support.phi import expect_learned_over_redaction, found

# (PHI-free text, text with an identifier of the same shape, that identifier)
PAIRS = [
    # a dotted version after a version word / a date after a date word
    (
        "Monitors need firmware 5.2.31 before the ECG upload works.",
        "Seen in clinic 5.2.31 and again after.",
        "5.2.31",
    ),
    ('{"device": "syringe driver", "build": "2.11.40"}', '{"dob": "2.11.40"}', "2.11.40"),
    # a score's fraction / a month and day
    ("Discharge when pain score <=3/10 at rest.", "Follow-up booked for 3/10 at the clinic.", "3/10"),
    # round the clock / a day and month
    ("Blood bank samples processed 24/7.", "Admitted 24/7 with chest pain.", "24/7"),
    # a ward's or service's name / a person's name
    ('{"name": "Stroke Unit", "beds": 24}', '{"name": "Corwen Stroud", "beds": 24}', "Corwen Stroud"),
    (
        "Queries: Duty Microbiologist via switchboard.",
        "Queries: Ysolde Merrick via switchboard.",
        "Ysolde Merrick",
    ),
    # a number in the guess / a name
    ('{"name": "Ward 4C", "beds": 28}', '{"name": "Tamsin Achterberg", "beds": 28}', "Tamsin Achterberg"),
    # a weekday after a cue / a name after a relation word
    ("Downtime is planned for Saturday night.", "Lift home arranged with her son Kelvin.", "Kelvin"),
    # an English word in an upper-case line / a name in the same line
    ("REPEAT ADRENALINE FOR ANAPHYLAXIS AFTER 5 MIN.", "CALL HANDED TO RN OKONKWO AFTER 5 MIN.", "OKONKWO"),
    # a maker and its product / a person's name
    (
        "QC: Siemens Dimension EXL passed all levels.",
        "QC signed by Wilhelmina Dimitrov, all levels passed.",
        "Wilhelmina Dimitrov",
    ),
    # a count before a small-letter word / a house number and street
    ("bay 4: 2 x falls risk, alarms on", "Lives at 14 Harlow Crescent, Millbrook.", "14 Harlow Crescent"),
    ("Frailty: 1 Very fit | 2 Managing well", "Address: 27 Orchard Way", "27 Orchard Way"),
    # a fragment of a word / a real id after its label
    (
        "PHARMACY USER NOTICE No. 4 of 2026\nChange of supplier",
        "Incident # 2019-440871 logged",
        "2019-440871",
    ),
    # a year after a date label / a full date
    ("Review date: 2028.", "Review date: 14/03/2028.", "14/03/2028"),
    # an OCR-misread word after a cue / a name after the same cue
    ("Apologies from the Clinical Lead for Surqery", "Apologies from Gwendolyn Trask", "Gwendolyn Trask"),
    # a numbered series' label / a one-word name
    (
        '{"name": "Resus", "bays": ["Resus 1", "Resus 2"]}',
        '{"name": "Thaddeus", "bays": ["Resus 1", "Resus 2"]}',
        "Thaddeus",
    ),
    # an acronym cut from a code / a name
    (
        "In HFrEF offer ACEi, beta-blocker, MRA, SGLT2i; titrate every 2 weeks.",
        "In HFrEF seen by Marisol Quintero; titrate every 2 weeks.",
        "Marisol Quintero",
    ),
    (
        "Trials (PARADIGM-HF, EMPEROR-Preserved) support this.",
        "Carers (QUINTERO, MARISOL) support this.",
        "QUINTERO",
    ),
    # a count before its plural noun / a specimen number
    (
        "Sample 1412 consecutive clinic letters were audited.",
        "Sample 41277 was haemolysed, repeat requested.",
        "41277",
    ),
    # a body's acronym before its guideline code / a town before its postcode
    ("Adapted from NICE NG999 and local policy.", "Moved from ALBANY 6330 in May.", "ALBANY"),
    # an acronym before a capitalised noun / a name before a lower-case word
    (
        "Pathways follow KDIGO 2024 and ADA Standards of Care.",
        "Plan agreed with KOWALSKI and the team.",
        "KOWALSKI",
    ),
    # a genus initial and a species / an initial and a surname
    (
        "bay 3: barrier nursing for c. diff, side room",
        "bay 3: handover from J. Okonkwo, side room",
        "Okonkwo",
    ),
    # "the" and a service's acronym before a facility noun / a named facility
    (
        "IF STEMI: NOTIFY THE PCI CENTRE EARLY.",
        "IF STEMI: NOTIFY THE ROSEWOOD CENTRE EARLY.",
        "ROSEWOOD CENTRE",
    ),
    # MR before a mixed-case word / Mr before a name
    ("Alaris 8100             MR Unsafe", "Seen by Mr Pemberton-Hale", "Pemberton-Hale"),
]


@pytest.mark.parametrize(("phi_free", "with_phi", "value"), PAIRS)
def test_phi_free_text_is_untouched(
    phi_free: str, with_phi: str, value: str, request: pytest.FixtureRequest
) -> None:
    expect_learned_over_redaction(request, phi_free)
    assert found(phi_free) == []


@pytest.mark.parametrize(("phi_free", "with_phi", "value"), PAIRS)
def test_identifier_of_the_same_shape_is_still_found(phi_free: str, with_phi: str, value: str) -> None:
    spans = found(with_phi)
    assert any(value in span for _, span in spans), spans
