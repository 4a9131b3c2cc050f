"""PHI-free clinical documents stay untouched (issue 20): lab reference ranges, units, role titles and
upper-case headings are not identifiers. Each case is paired with the identifier of the same shape
that must still be found, so precision is not bought with recall."""

from __future__ import annotations

import pytest
from tests.support.phi import found

LAB_REPORT = """LABORATORY REPORT
Test                Result    Units     Reference
WBC                 7.8       x10^9/L   4.0-11.0
Glucose             212 H     mg/dL     70-99
Creatinine          1.4 H     mg/dL     0.6-1.2
Hemoglobin          10.2 L    g/dL      12.0-16.0
Comment: specimen haemolysed, repeat requested."""

INCIDENT_REPORT = """INCIDENT REPORT (ANONYMISED FOR LEARNING BULLETIN)
LOCATION: ORTHOPAEDICS, BAY 4
FALL FROM BED. DISCUSSED WITH THE ON-CALL REGISTRAR AT 14:00. THE CHARGE NURSE AND THE ON-CALL DOCTOR
REVIEWED. NO INJURY. REVIEWED BY CASE MANAGER AT 15:20.
LEARNING: BED RAILS POLICY RE-CIRCULATED."""

PHI_FREE = [
    LAB_REPORT,
    LAB_REPORT.lower(),
    INCIDENT_REPORT,
    "CONTROLLED SUBSTANCE STOCK RECONCILIATION - WARD STOCK\n\n"
    "COUNT COMPLETED AT 22:20 BY CHARGE NURSE AND PHARMACIST.",
    "I may withdraw consent at any time. Patients aged 16 or over may consent for themselves.",
    "Dx: moderate depressive episode (F32.1). Transported to nearest emergency department.",
    "REPORTED BY CONSULTANT RADIOLOGIST. CPT 71046.",
    "Nurse: How old are you?\nPatient: I'm 73.\nPatient: I've had chest tightness since this morning.",
    "THANK YOU FOR SEEING THIS SEVENTY-NINE-YEAR-OLD LADY WITH COMMUNITY-ACQUIRED PNEUMONIA.",
    "NDC ref: 0781-5180-92. Count verified at 21:50 by 2 staff.",
    "known to have a moderate depressive episode (f32.1). physiotherapy reviewed.",
    # a credential glued to the word before it is part of that word
    "HISTORY OF PARKINSON DISEASE, ON CARBIDOPA/LEVODOPA 25/100 MG TID. ECG: SINUS RHYTHM.",
    # the minutes of a clock time before a month word
    "NDC 0409-1890-01 dispensed. \n04:20 May resume diet as tolerated. Case discussed.",
    # a letter after a number, or a unit, before an eponym in its clinical use
    "Moved to bay 3, bed 14 on Ward 7B. Foley catheter removed at 06:00, voided at 10:00.",
    "HR 72, RR 16, SpO2 97% on room air, T 37.1 C. Foley catheter documented. Started insulin glargine.",
    # a blood pressure as a field's value
    "Quit smoking in 1998.\nEXAM: BP 142/88, pulse 96 and regular, sats 94% on 2 L.",
]


@pytest.mark.parametrize("text", PHI_FREE)
def test_phi_free_documents_are_untouched(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Driver's license DL: D1234567 on file.", "D1234567"),
        ("Reviewed by Dr. Case at 15:20.", "Case"),
        ("Pt: CASE, VICKIE  DOB 03/04/1961", "CASE, VICKIE"),
        ("Discussed with Joel Registrar-Brown, MD.", "Joel Registrar-Brown"),
        ("Episode no. 4411-2290 opened.", "4411-2290"),
        ("Claim ref: 0781-5180-92 (denied).", "0781-5180-92"),
        ("methadone 1 mg/mL oral soln   C-II    30  G. Smith", "G. Smith"),
        ("Referred by Dr. Anne Smith-Jones for review.", "Smith-Jones"),
        ("CONTROLLED SUBSTANCE DISPENSING LOG - Oakview Drug\nPharmacist in charge: on duty", "Oakview Drug"),
        ("Seen by Ann Hollis, PA on ward rounds.", "Ann Hollis"),
        ("Admitted 04/20/2019 May 3 review.", "04/20/2019"),
        ("Letter from B. Foley about her mother.", "B. Foley"),
        ("Contact: 142/88 Tasman Rd, Hobart.", "142/88 Tasman Rd"),
    ],
)
def test_the_same_shapes_as_identifiers_are_still_found(text: str, value: str) -> None:
    spans = found(text)
    assert any(value in covered for _, covered in spans), spans


def test_a_name_found_once_is_whole_where_it_occurs_again() -> None:
    """Its words and the blank between them: one placeholder, no name character left."""
    text = "PATIENT: TAYLOR QUIMBY  MRN 5521\nHPI: TAYLOR QUIMBY IS A 100YO MAN."
    names = [covered for kind, covered in found(text) if kind == "NAME"]
    assert names == ["TAYLOR QUIMBY", "TAYLOR QUIMBY"]
