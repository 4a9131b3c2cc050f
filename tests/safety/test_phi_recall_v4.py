"""Shapes the fourth blind corpus showed missed or over-read once it became tuning data (issue 20):
HL7 segments ended by carriage returns, Indian and Quebec address lines, compass points after a street
type, letters beyond Latin-1 in names, CSV rows whose values hold another separator, an age after an
id in brackets; and, on PHI-free text, a table's lot column, drug-strength pairs, version numbers, a
crew count and British spellings. Made-up examples only (no evaluation text)."""

from __future__ import annotations

import pytest
from tests.support.phi import covered, found

from ai_workers.safety.phi import PhiDetector


@pytest.fixture(scope="module")
def detector() -> PhiDetector:
    return PhiDetector()


def test_hl7_segments_ended_by_carriage_returns(detector: PhiDetector) -> None:
    text = (
        "MSH|^~\\&|LAB|GEN|HIE|DW|202401021200||ADT^A01|MSG00017|P|2.5.1\r"
        "PID|1||K4412987^^^MR^MR||OKONJO^TEMPERANCE^B||19511207|F|||77 Quarry Lane^^Dunmore^PA^18512\r"
        "NK1|1|OKONJO^ISAAC^R|SPO||+1-570-555-0143|\r"
        "PV1|1|I|MED^12^2^MAIN||||55102^FARRAH^DESMOND^J^^^MD|||MED"
    )
    for part in ("OKONJO^TEMPERANCE^B", "OKONJO^ISAAC^R", "FARRAH^DESMOND^J", "K4412987", "19511207"):
        assert covered(detector, text, part), part


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Address: Plot No. 61, Sector 18, Rohtak 124001", "Plot No. 61, Sector 18"),
        ("She has moved to #218, 7th Main, 3rd Cross, Mysuru 570002.", "#218, 7th Main, 3rd Cross"),
        ("Lives at Door No. 5-2-117, K.R. Road, Nellore.", "Door No. 5-2-117, K.R. Road"),
        ("Flat No. 2B-410, Shubham Heights CHS, Thane", "Flat No. 2B-410, Shubham Heights CHS"),
        ("Are they still at 318 rue des Peupliers?", "318 rue des Peupliers"),
        ("Pt - 4471 Tamarind Sideroad West, Orillia", "4471 Tamarind Sideroad West"),
        ("Patient: Are they still at Flat D, 52 Heron Fold?", "Flat D, 52 Heron Fold"),
        ('"line": "Plot No. 9, Sector 4",', "Plot No. 9, Sector 4"),
    ],
)
def test_address_lines_without_a_final_street_type(detector: PhiDetector, text: str, address: str) -> None:
    assert covered(detector, text, address), found(text)


def test_the_town_and_pincode_after_an_indian_address(detector: PhiDetector) -> None:
    text = "I have moved to #57, 2nd Main, 9th Cross, Hubballi 580 021, please update."
    assert covered(detector, text, "Hubballi")
    assert covered(detector, text, "580 021")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("NAME.........TRƯƠNG, KHẢI\nDOB 01/02/1950", "TRƯƠNG, KHẢI"),
        ("Patient: WRÓBLEWSKA, ŁUCJA    MRN 448120", "WRÓBLEWSKA, ŁUCJA"),
    ],
)
def test_names_with_letters_beyond_latin_1(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name), found(text)


def test_a_csv_row_keeps_its_headers_separator(detector: PhiDetector) -> None:
    text = (
        "MRN;PATIENT;DOB;ADDRESS;CITY;PINCODE\n"
        "UH5510273;KAPOOR, ISHAAN;03/04/1961;Plot No. 7, Sector 2;Karnal;132001\n"
    )
    for part in ("Karnal", "132001", "KAPOOR, ISHAAN"):
        assert covered(detector, text, part), part


def test_an_age_over_89_after_an_id_in_brackets(detector: PhiDetector) -> None:
    text = "Please find a bed for Ada Quist (MRN 55021873), 96, currently in resus."
    assert covered(detector, text, "96")


def test_a_biometric_template_key_in_json(detector: PhiDetector) -> None:
    text = '{"biometricTemplate": "FPT-22-7781-K", "status": "active"}'
    assert covered(detector, text, "FPT-22-7781-K")


@pytest.mark.parametrize(
    "text",
    [
        "ITEM                 NDC              LOT       OPENING  CLOSING  DIFF\n"
        "MORPHINE 10MG        0054-1234-56     QT4471    120      118      -2\n"
        "OXYCODONE/APAP 5/325 0093-5678-12     ZK0932    60       60       0\n",
        "Dispensed BUPRENORPHINE/NALOXONE 8/2 film as per chart.",
        "Discrepancies: none.\nForm template v4.17.",
        "Unit: Medic 7\nCrew: paramedic x2\n\nNARRATIVE: called to a fall.",
        "COMPARISON: Prior study from 2019.\n\nFINDINGS: no change.",
        "QC SUMMARY — HAEMATOLOGY ANALYSER\nAnalyser: XN-1000   Shift: PM",
        "Staging: she is in the 2nd stage of labour, phase 3 trial arm.",
    ],
)
def test_phi_free_lines_stay_untouched(detector: PhiDetector, text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("CALLER: My cousin Perpetua normally rings for me.", "Perpetua"),
        ("You can reach our receptionist, Ottilie, on 01632 960 118.", "Ottilie"),
        ("Call from Birchwood Care Home, staff there (Dervla) updated by phone.", "Dervla"),
        ("obs stable.\nmarisol ate 60% of lunch.", "marisol"),
        ("night shift\nteodor vance mobilised to toilet with frame.", "teodor vance"),
        ("ct henrike is 97 yrs old, lives w son.", "henrike"),
        ("ON 2 L O2.  FENELLA TEARFUL RE HER SON.", "FENELLA"),
    ],
)
def test_names_a_relation_role_or_care_verb_points_at(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Insurance: Allied Health Gold. Allergies: none.",
        "her son is well and her daughter, pleasant and chatty, will visit.",
        "Patient ate 50% of breakfast. She slept well.",
    ],
)
def test_plan_names_and_plain_care_sentences_stay_untouched(detector: PhiDetector, text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("AGENT: What's your registration?\nCALLER: It's KT71 WQX.\nAGENT: thanks", "KT71 WQX"),
        ("Nurse - And your postcode?\nCaller - Um... 2795, I think.\nNurse - ok", "2795"),
        ("RN: Do you have your Health card no.?\nPt: Yes, it's 4410-882-917-QX.\nRN: ok", "4410-882-917-QX"),
        ("Please don't share your login (pkeane77) with anyone.", "pkeane77"),
        ("- bleeped Dr Oyelaran (4417) re BP 88/50.", "4417"),
        ('{"vehiclePlate": "LK19 PZT", "status": "ok"}', "LK19 PZT"),
        ("Carers from Hollybank Residential Home visit twice daily.", "Hollybank Residential Home"),
        ("From: J. Ross, RN (Mildura Aboriginal Medical Service)", "Mildura Aboriginal Medical Service"),
    ],
)
def test_answers_logins_pagers_plates_and_care_homes(detector: PhiDetector, text: str, value: str) -> None:
    assert covered(detector, text, value), found(text)


def test_a_spoken_no_answer_and_a_filler_are_no_identifier(detector: PhiDetector) -> None:
    assert found("AGENT: What's your registration?\nCALLER: Um, no idea, sorry.\n") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("CALLER: My aunt Pip normally rings for me. Pip's number is 07700 900461.", "Pip's"),
        ("The wristband was not checked.\nOkafor, Ebele received heparin 5000 units.", "Okafor, Ebele"),
        ("Note: Varga, Imre early refill request declined.", "Varga, Imre"),
    ],
)
def test_whose_number_and_last_first_before_a_record_verb(
    detector: PhiDetector, text: str, name: str
) -> None:
    assert covered(detector, text, name.removesuffix("'s")), found(text)


def test_a_relations_number_names_nobody(detector: PhiDetector) -> None:
    assert [t for t, _ in found("my daughter's number is 0412 555 111.")] == ["PHONE"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Found beside bed 4 at 01:30 by HCA Hope. Unwitnessed.", "Hope"),
        ("Handover given to RN Grace at triage.", "Grace"),
    ],
)
def test_a_role_before_a_first_name_that_is_also_a_word(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name), found(text)


def test_a_device_model_after_dr_is_no_doctor(detector: PhiDetector) -> None:
    assert found("Pacemaker: Medtronic Azure XT DR MRI, MR Conditional 1.5T.") == []


def test_dotted_form_fields_and_phone_extensions(detector: PhiDetector) -> None:
    text = "SEX.......F\nPHONE..............02 9881 4410\nAGE .........71\n\nTel (03) 9555 0192 extn 4471"
    assert covered(detector, text, "02 9881 4410")
    assert covered(detector, text, "(03) 9555 0192 extn 4471")


@pytest.mark.parametrize(
    "text",
    [
        "Gave 2 x 500mg tablets, then x 250 ml bolus.",
        "NAME.......... [REDACTED]\nAGE ......... 56\nSEX ......... M",
    ],
)
def test_doses_and_placeholders_stay_untouched(detector: PhiDetector, text: str) -> None:
    assert found(text) == []


def test_upper_case_text_keeps_names_and_drops_word_runs(detector: PhiDetector) -> None:
    text = (
        "A STAFF MEMBER ACCESSED A RECORD WITHOUT A CARE RELATIONSHIP.\n"
        "PT: MAY BLACK, SEEN BY DR WILL JOY. SHE LIVES IN LEEDS WITH SON RAVI.\n"
    )
    spans = [t for _, t in found(text)]
    assert "ACCESSED A" not in spans
    for part in ("BLACK", "JOY", "LEEDS", "RAVI"):
        assert covered(detector, text, part), spans


def test_an_insurers_name_after_its_label_is_no_facility(detector: PhiDetector) -> None:
    assert found("Insurance: Bupa Hospital Gold. Allergies: nil.") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Good morning, CLSC Rivermont, this is Ana, how can I help?", "CLSC Rivermont"),
        ("Thanks for calling, Urban PHC Nashik, this is Ravi.", "Urban PHC Nashik"),
        ("Transferred to Government District Hospital Karur today.", "Government District Hospital Karur"),
        ("PICKUP: HOLLYOAK MANOR, 12 FERN DRIVE", "HOLLYOAK MANOR"),
        ("Scripts sent to Greaves Pharmacy, Dewsbury.\nReturn to clinic.", "Dewsbury"),
    ],
)
def test_health_centres_named_by_kind_and_the_town_after_a_facility(
    detector: PhiDetector, text: str, value: str
) -> None:
    assert covered(detector, text, value), found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Other driver Tomasz Wren refused transport. Police on scene.", "Tomasz Wren"),
        ("Later identified as Ravindra Kulal by wallet.", "Ravindra Kulal"),
        ("C: its me, i'm the patient oisin breathnach\nHA: thanks", "oisin breathnach"),
    ],
)
def test_names_at_a_scene_and_a_caller_naming_themself(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name), found(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("NI number: QQ 12 34 56 C", "QQ 12 34 56 C"),
        ("Her social security number ending in 4821 is on file.", "4821"),
        ("The caller gave the last 4 of her social as 7719.", "7719"),
        ("Mrs Quist (96) seen on the ward round.", "96"),
        ("Age/Sex: 97/F", "97"),
        ("Patient, 95, was seen in clinic.", "95"),
        ("AGE - 91", "91"),
    ],
)
def test_national_number_suffixes_last_four_and_ages(detector: PhiDetector, text: str, value: str) -> None:
    assert covered(detector, text, value), found(text)


def test_lab_values_in_brackets_are_no_age_and_an_id_keeps_out_its_bracket(detector: PhiDetector) -> None:
    assert found("Plt (95) and Hb (100) noted, WBC (100), ALT (120), Sodium (135).") == []
    text = "Ann Lee (MRN 4410), 93, lives alone."
    assert ("MRN", "4410") in found(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("CA medical license G 78231 verified.", "G 78231"),
        ("pharmacist licence RPh 004421", "RPh 004421"),
    ],
)
def test_a_licence_with_a_letter_prefix(detector: PhiDetector, text: str, value: str) -> None:
    assert covered(detector, text, value), found(text)
    assert ("ID", "is 4410 2231") not in found("MRN is 4410 2231")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("UDI on the label: +H123ABCD4567/$$3240117X9. Reported to the maker.", "+H123ABCD4567/$$3240117X9"),
        ("the pump serial on the back says QRT448120Z", "QRT448120Z"),
        ("serial number on the pump is XK-55-2291", "XK-55-2291"),
    ],
)
def test_device_identifiers_in_hibcc_form_and_in_words(detector: PhiDetector, text: str, value: str) -> None:
    assert covered(detector, text, value), found(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 Kensal Cres (Port Pirie), postcode 5540; key safe held by son", "5540"),
        ("pin code is 682011", "682011"),
        ('{"postal": "57539", "city": "Nashua"}', "57539"),
        ("Springdale, ME\n04401\nTel 207 555 0100", "04401"),
    ],
)
def test_postcodes_after_their_name_or_a_region_line(detector: PhiDetector, text: str, value: str) -> None:
    assert covered(detector, text, value), found(text)


@pytest.mark.parametrize("text", ["the postcode lottery again", "zip up the bag", "pin site clean"])
def test_postcode_words_alone_are_no_postcode(detector: PhiDetector, text: str) -> None:
    assert found(text) == []


def test_a_fixed_width_log_keeps_its_columns_when_a_cell_runs_into_the_next(detector: PhiDetector) -> None:
    text = (
        "DATE        PATIENT                 DRUG                       QTY  PRESCRIBER            RPH\n"
        "03/01/2020  OKAFOR, NNEKA           MORPHINE SULF 15MG ER      28   R. PRADHAN            TQuillan\n"
        "04/01/2020  BRENNAN, ROISIN         BUPRENORPHINE/NALOXONE 8/2 56   PRADHAN, RADHIKA      TQuillan\n"
    )
    for part in ("OKAFOR, NNEKA", "BRENNAN, ROISIN", "PRADHAN, RADHIKA", "TQuillan"):
        assert covered(detector, text, part), found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("meds list from the ward.\nt. okonjo rn 0910\n", "t. okonjo"),
        ("no acute findings.\n\nsaoirse m. quill, md - consultant radiologist", "saoirse m. quill"),
        ("consent form\ni, ottoline r. vane, born may 27, 1948, of 7 elm st", "ottoline r. vane"),
        ("signed ferreira, joaquim 15/4/24 1:23", "ferreira, joaquim"),
    ],
)
def test_lower_case_signatures_and_consents(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name), found(text)


def test_a_lower_case_note_line_before_rn_is_no_signature(detector: PhiDetector) -> None:
    assert [t for t, _ in found("obs stable rn 0910\nwound clean, md aware\n")] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("pt mr. dinesh varkey 46/M, post op day 0", "dinesh varkey"),
        ("17:40 Sat 6/4 - mrs jadwiga nowak bed 8 (post TKR day 2).", "jadwiga nowak"),
        ("will monitor site. -r. tsosie, rn\n", "r. tsosie"),
        ("please update pas. - bisi (sn)\n", "bisi"),
        ("rm 6 - Nola Japaljarri (ninety-one), from Papunya", "ninety-one"),
    ],
)
def test_lower_case_honorifics_dashed_signatures_and_ages_in_brackets(
    detector: PhiDetector, text: str, value: str
) -> None:
    assert covered(detector, text, value), found(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Amara Eze, MD\nKestrel Valley Dermatology\n", "Kestrel Valley Dermatology"),
        ("To: IBD team, Harwell Vale Hospitals\nDate: 07/03", "Harwell Vale Hospitals"),
        ("agreed to community alcohol team input (Marsden Recovery Service).", "Marsden Recovery Service"),
        ('From: "Reception - Paddington Family Doctors" <r@example.org>', "Paddington Family Doctors"),
    ],
)
def test_more_facility_kinds(detector: PhiDetector, text: str, value: str) -> None:
    assert covered(detector, text, value), found(text)


@pytest.mark.parametrize(
    "text", ['{"name": "Stroke Unit", "beds": 24}', "PAST MEDICAL HISTORY: asthma", "Frailty Unit, Bay 5"]
)
def test_clinical_units_and_headings_are_no_facility(detector: PhiDetector, text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "1900-0700 NSG: pt A&Ox3, calm and settled.",
        "Shift summary 0700-1900. Pt is a 67 yo on POD 1.",
        "First medical contact to device: 71 min (goal < 90).",
    ],
)
def test_shift_hours_and_measures_are_no_identifiers(detector: PhiDetector, text: str) -> None:
    assert found(text) == []


def test_a_labelled_number_without_a_unit_stays_an_identifier(detector: PhiDetector) -> None:
    assert covered(detector, "Device ID: 4471 implanted", "4471")
