"""Recall rules for a third author's shapes (issue 20): typographic spaces and dashes, name labels on
forms, signing pairs in drug registers, names after role words and on signature lines, JSON lists, HL7
person fields, facility names with particles, towns and postcodes after a street. Made-up examples only
(no evaluation text)."""

from __future__ import annotations

import pytest
from tests.support.phi import covered

from ai_workers.safety.phi import PhiDetector
from ai_workers.safety.phi.spaces import plain_spaces


@pytest.fixture(scope="module")
def detector() -> PhiDetector:
    return PhiDetector()


def test_typographic_blanks_dashes_and_quotes_keep_every_offset() -> None:
    text = "Ms\u00a0Quenby\u202fTarrow, DOB 03\u201304\u20131961, tel 021\u20114455 7788, \u201cname\u201d"
    plain = plain_spaces(text)
    assert len(plain) == len(text)
    assert plain == 'Ms Quenby Tarrow, DOB 03-04-1961, tel 021-4455 7788, "name"'
    assert plain_spaces("nothing odd here") == "nothing odd here"


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Reviewed by Orsolya\u00a0Brekkenfeld, FRCPath.", "Orsolya\u00a0Brekkenfeld"),
        ("DOB: 27\u201305\u20131948   Sex: F", "27\u201305\u20131948"),
        ("Call her on 0113\u2011496\u20110172 after six.", "0113\u2011496\u20110172"),
    ],
)
def test_identifiers_written_with_typographic_spaces_and_dashes(
    detector: PhiDetector, text: str, part: str
) -> None:
    # the span offsets point into the original text, not a normalised copy
    assert covered(detector, text, part)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Surname: TREVANNION Forename(s): Elowen\nDOB: 02/03/1950", "TREVANNION"),
        ("Surname: TREVANNION Forename(s): Elowen\nDOB: 02/03/1950", "Elowen"),
        ("Person taking consent: ottoline vardamis (research nurse)", "ottoline vardamis"),
        ("10-03-2024 21:15 PEVERILL, OSWIN morphine 10mg/1ml 1 T Quarrendon/B Ashdale-Wynne", "T Quarrendon"),
        (
            "10-03-2024 21:15 PEVERILL, OSWIN morphine 10mg/1ml 1 T Quarrendon/B Ashdale-Wynne",
            "B Ashdale-Wynne",
        ),
        ("hi, my son tobiah has had a temp since last night", "tobiah"),
        ("C: chest is tight, my wife orlaith made me ring", "orlaith"),
        ("fall on the ward at 04:10, found by hca zuberi. unwitnessed.", "zuberi"),
        ("C: Hollybank Surgery, dr okonjo\nHA: and a phone number?", "okonjo"),
        ("obs stable overnight, no concerns.\nferelith quarmby dn", "ferelith quarmby"),
        ("ICU DAILY REVIEW\nVANTERPOOL, Isaura   MRN40981122   Bed 4", "VANTERPOOL, Isaura"),
        ("I, ODALRIC PENHALIGON, of 14 Mill Lane, consent to photography.", "ODALRIC PENHALIGON"),
        ("pharm: pharmacy, Tancredi speaking\ncaller: hi", "Tancredi"),
        ("AGENT (Evadne) Thanks for calling, can I take a name?", "Evadne"),
        ("Message from quill ashcombe (ashcombeq) - 3/4/2024", "quill ashcombe"),
        ("consent for blood products\npatient ysolde marrack hosp no 55-123-456", "ysolde marrack"),
        ('{"name": {"family": "Penwarden", "given": ["Loveday"]}}', "Loveday"),
        ('encounter_id,patient,clinician\nVN-1,"Ferrow, Ada","Quellin, Barnaby"', "Quellin, Barnaby"),
        ("MSH|^~\\&|APP|SITE\nAIP|1||TREGLOWN^MORWENNA^K", "TREGLOWN^MORWENNA^K"),
        ("DEA REG (STORE): XY1234563 PIC: ORSINO VELLACOTT RPH LIC 55120", "ORSINO VELLACOTT"),
        ("leaflet given\nclinician: tamsin quarrell 04:30\npt agrees: yes", "tamsin quarrell"),
        ("histopathology\npenhallow, jory | 836 393 7606 | 1975-09-01", "penhallow, jory"),
        ("MEDICINES RECONCILIATION\nKERENZA TRELOAR | UNIT NO 9152025446 | DOB 1.2.1950", "KERENZA TRELOAR"),
    ],
)
def test_names_in_forms_registers_notes_and_records(detector: PhiDetector, text: str, name: str) -> None:
    assert covered(detector, text, name)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Admitted from Sisters of Mercy of Whitcombe Hospital overnight.", "Whitcombe Hospital"),
        ("Sacred Heart of Brambleford Hospital\nDISCHARGE SUMMARY", "Sacred Heart of Brambleford Hospital"),
        ("Report: Hopital du Sacre-Coeur de Montvallon - BIOCHIMIE", "Hopital du Sacre-Coeur de Montvallon"),
        ("resident of Residence des Peupliers (care home)", "Residence des Peupliers"),
        ("DISPENSING LOG   Pharmacie Brassard-Leduc   Store tel 555", "Pharmacie Brassard-Leduc"),
        ("was under CMHT (Quarrington Park Lodge).", "Quarrington Park Lodge"),
        ("From: 79 Wattlebird Road, Narrabeen North, Kooralong 4670 Tel 07 5555 0100", "Kooralong"),
        ("From: 79 Wattlebird Road, Narrabeen North, Kooralong 4670 Tel 07 5555 0100", "4670"),
        ("lives alone at 17/85 Larchmont Crescent (Tallowvale). Found by son.", "Tallowvale"),
        (
            "IN1|1|PLAN|GRP-1234|||||||||||||||||||||||||||||||||||55-12-345678-901-2345",
            "55-12-345678-901-2345",
        ),
        ('{"biometric_login": "FP-TPL-5550123"}', "FP-TPL-5550123"),
        ("scene_city: Quillabah\nscene_postcode: 4821\ncallback: none", "4821"),
        ("scene_city: Quillabah\nscene_postcode: 4821\ncallback: none", "Quillabah"),
        ("Patient details\nPostcode: 2790\n", "2790"),
        ("During admission (27/2-5/3) treated for UTI.", "5/3"),
        ("Location: bowls club car park, Quillabah Heights.\nPT: approx 60s male", "Quillabah Heights"),
        ("device ip 10.1.2.3 | biometric sign-in: IRS-5521-Q", "IRS-5521-Q"),
        ("Rx renewal request\naccount: qpenhallow | device ip 10.0.0.9", "qpenhallow"),
        ("# exported by marlo_442 from 10.20.30.40", "marlo_442"),
        ("review in 2/52. GP letter cc Dr Quellbrook, Ysolde.\nA. Smith, ST5", "Quellbrook, Ysolde"),
        ("switched to MRI mode by cardiac physiologist Zebedee Quarrington at 10:45.", "Zebedee Quarrington"),
        ("collateral from GP.\nIsolde Tregenza FY2 bleep 2652", "Isolde Tregenza"),
        ("Operator: Ada Quell (badge penrose_71)", "penrose_71"),
        (
            "HANDOVER\nBED  NAME                AGE  ISSUES\n"
            "1    TRELAWNEY, ZENNOR   96   post op day 1, frame\n2    QUILLER, ANSEL   41   NBM",
            "96",
        ),
        ("pre-authorisation call REF QX551234\nREP: thanks", "REF QX551234"),
        ("sleep study referral (order PO 0066 301). Review in 6/52", "PO 0066 301"),
        ('{"src_ip":"192.0.2.1","patient_mrn":"63-212-394"}', "63-212-394"),
        ("Message from quill ashcombe (ashcombeq) - 3/4/2024", "ashcombeq"),
        ("H&P (surgery)\nOSWALDA TREMAINE / RX41/556120 / seen 2.3.2024", "OSWALDA TREMAINE"),
        ("H&P (surgery)\nOSWALDA TREMAINE / RX41/556120 / seen 2.3.2024", "RX41/556120"),
    ],
)
def test_facilities_places_and_plan_numbers(detector: PhiDetector, text: str, part: str) -> None:
    assert covered(detector, text, part)


@pytest.mark.parametrize(
    "text",
    [
        "dr to review in the morning. obs stable.",
        "Dose given by nurse and checked by pharmacist; balance correct.",
        "The kidney of the patient was imaged; the head of the femur is intact.",
        "AGENT (hold music) Please wait.",
        "I, the undersigned, of sound mind, agree.",
        "wife has had a cold; son was at the bedside.",
        "Pain score 3/10, mg/kg dosing, A/B testing.",
        "Account: overdue | Login: pending",
        "FOLLOW UP / REVIEW / DISCHARGE",
        "Total Bilirubin | 12 | umol/L\nSodium | 140 | mmol/L",
        "Paracetamol PO 500 mg QDS for 5 days; CASE 12 reviewed at MDT.",
        "Seen by the ward nurse. The physiotherapist Will Review tomorrow? No: Physio Team Lead notified.",
    ],
)
def test_cue_words_alone_are_no_names(detector: PhiDetector, text: str) -> None:
    assert not [s for s in detector.detect(text) if s.type == "NAME"], [
        text[s.start : s.end] for s in detector.detect(text)
    ]


@pytest.mark.parametrize(
    "text", ["Account: overdue | Login: pending", "exported by the system from the server"]
)
def test_account_labels_before_ordinary_words_are_no_ids(detector: PhiDetector, text: str) -> None:
    assert detector.detect(text) == []


def test_a_pain_score_range_is_no_date(detector: PhiDetector) -> None:
    text = "Pain 3/10-4/10 on movement, better with paracetamol."
    assert [s for s in detector.detect(text) if s.type == "DATE"] == []
