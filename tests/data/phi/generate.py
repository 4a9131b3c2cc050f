# ruff: noqa: E501, E741
"""Generate the synthetic PHI evaluation set (``generated.jsonl``) with exact gold spans.

Templates mark identifiers inline as ``«TYPE:value»``; ``parse_marked`` strips the marks and records
character offsets, so gold spans are exact by construction. Everything here is synthetic: names are
drawn from lists that deliberately include names the detector's lexicon does NOT know (so name
detection has to work from cues and context), numbers are random, phone numbers use the 555 range.

Run: ``python tests/data/phi/generate.py`` (deterministic, seed 5). Hand-written texts live in
``handwritten.txt`` with the same marks and are parsed by the scorer, not generated.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"«([A-Z_]+):(.*?)»", re.DOTALL)


def parse_marked(marked: str) -> tuple[str, list[dict[str, object]]]:
    """Plain text and gold spans from a marked-up text."""
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(marked):
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        value = m.group(2)
        spans.append({"start": length, "end": length + len(value), "type": m.group(1)})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


# Names: common ones (in most census lists) and uncommon ones the detector's lexicon lacks.
FIRST = """James Mary Robert Patricia Linda Michael Barbara William Elizabeth David Jennifer Richard Susan
Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Maria
Jose Luis Carmen Wei Mei Hiroshi Priya Rahul Fatima Mohammed Aisha Kwame Ngozi Olga Dmitri Siobhan
Thaddeus Oksana Nkechi Bartholomew Ileana Zoltan Marisela Temperance Evander Rosalind Cornelius Philippa
Augustin Leocadia Tiberius Winifred Anselm Perpetua Lazarus Gwendolyn Horatio Ottilie Cyprian Isidora
Alaric Briallen Eamon Jolanta Kazimierz Saoirse Thandiwe Oluwadamilare Xiadani Yesenia Fitzwilliam""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson
Anderson Taylor Thomas Moore Jackson Martin Lee Nguyen Patel Kim Chen Okafor Kowalski Ivanova OBrien Murphy
Quimby Bielawski Obiora Vantongeren Haverford Szczepanski Okonkwo-Bell Delacroix Fairweather Lindqvist
Abernathy Pemberton Ashworth Castellanos Oyelaran Tsosie Kealoha Wojcikowski Marchetti Vanderslice Ruehl
Blackwood Thistlewaite Achterberg Montgomery Beaumont Karamanlis Przybylski Nakashima Oyelowo Zhao""".split()
LAST = [n if n != "OBrien" else "O'Brien" for n in LAST]
STREETS = """Oak Maple Cedar Elm Pine Washington Lincoln Jefferson Park Lake Hillcrest Sunset Riverside Willow
Birch Chestnut Magnolia Dogwood Meadowbrook Foxglove Juniper Larkspur Quarry Tamarack""".split()
SUFFIXES = (
    "Street St Avenue Ave Road Rd Drive Dr Lane Ln Court Ct Way Boulevard Blvd Place Terrace Circle".split()
)
CITIES = [
    ("Springfield", "IL"),
    ("Portland", "OR"),
    ("Columbus", "OH"),
    ("Fairview", "TN"),
    ("Lakewood", "CO"),
    ("Greenville", "SC"),
    ("Franklin", "MA"),
    ("Riverton", "WY"),
    ("Bloomington", "Indiana"),
    ("Marietta", "GA"),
    ("Elk Grove", "CA"),
    ("Cedar Rapids", "IA"),
    ("Hollister", "California"),
    ("Ashtabula", "OH"),
    ("Tupelo", "MS"),
    ("Kalispell", "MT"),
]
FACILITIES = [
    "Mercy General Hospital",
    "St. Mary's Medical Center",
    "Riverside Family Clinic",
    "Lakeview Regional Hospital",
    "Sunnybrook Urgent Care",
    "Good Samaritan Hospital",
    "Cedar Hills Rehabilitation Center",
    "Northgate Pediatrics",
    "St. Jude's Hospice",
    "Hollister Valley Medical Center",
    "Pinecrest Nursing Home",
    "Mount Carmel Health System",
    "Oakwood Dialysis Center",
    "Bayside Cancer Center",
    "Westbrook Medical Group",
]
COUNTIES = ["Cook County", "Marin County", "Travis County", "Orange County", "Jefferson Parish"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
EMAIL_DOMAINS = ["example.com", "mail.example.org", "example.net"]

R = random.Random(5)


def pick(seq: list[str]) -> str:
    return R.choice(seq)


def name() -> str:
    return f"{pick(FIRST)} {pick(LAST)}"


def date() -> str:
    y, m, d = R.randint(1931, 2025), R.randint(1, 12), R.randint(1, 28)
    fmt = R.randrange(9)
    if fmt == 0:
        return f"{m:02d}/{d:02d}/{y}"
    if fmt == 1:
        return f"{m}/{d}/{y % 100:02d}"
    if fmt == 2:
        return f"{y}-{m:02d}-{d:02d}"
    if fmt == 3:
        return f"{MONTHS[m - 1]} {d}, {y}"
    if fmt == 4:
        return f"{d} {MONTHS[m - 1][:3]} {y}"
    if fmt == 5:
        return f"{MONTHS[m - 1][:3]}. {d}, {y}"
    if fmt == 6:
        return f"{d:02d}-{MONTHS[m - 1][:3].upper()}-{y}"
    if fmt == 7:
        return f"{m}-{d}-{y}"
    return f"{MONTHS[m - 1]} {d}"


def phone() -> str:
    a, b = R.randint(201, 989), R.randint(0, 99)
    fmt = R.randrange(5)
    if fmt == 0:
        return f"({a}) 555-01{b:02d}"
    if fmt == 1:
        return f"{a}-555-01{b:02d}"
    if fmt == 2:
        return f"{a}.555.01{b:02d}"
    if fmt == 3:
        return f"+1 {a} 555 01{b:02d}"
    return f"({a}) 555-01{b:02d} ext. {R.randint(10, 999)}"


def ssn() -> str:
    return f"{R.randint(100, 665)}-{R.randint(10, 99)}-{R.randint(1000, 9999)}"


def digits(n: int) -> str:
    return "".join(str(R.randint(0, 9)) for _ in range(n))


def mrn() -> str:
    return R.choice(
        [digits(8), digits(7), "MR" + digits(6), f"{digits(3)}-{digits(4)}-{digits(2)}", "E" + digits(9)]
    )


def member_id() -> str:
    return R.choice(
        [
            f"XJH{digits(9)}",
            f"W{digits(8)}",
            f"{digits(3)}{chr(65 + R.randint(0, 25))}{digits(5)}",
            f"MBR-{digits(7)}",
        ]
    )


def account() -> str:
    return R.choice([digits(10), f"ACCT-{digits(8)}", f"{digits(4)}-{digits(6)}"])


def npi() -> str:
    while True:
        base = "1" + digits(8)
        for check in range(10):
            cand = base + str(check)
            total = 0
            for i, ch in enumerate(reversed("80840" + cand)):
                d = int(ch)
                if i % 2 == 1:
                    d *= 2
                    if d > 9:
                        d -= 9
                total += d
            if total % 10 == 0:
                return cand


def dea() -> str:
    first = R.choice("ABFGM")
    second = R.choice("ABCDEFGHJKLMNPRSTWZ")
    d = [R.randint(0, 9) for _ in range(6)]
    check = ((d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])) % 10
    return first + second + "".join(map(str, d)) + str(check)


VIN_VAL = {
    **{str(i): i for i in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9))),
    **dict(zip("JKLMN", range(1, 6))),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10))),
}
VIN_W = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin() -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    while True:
        v = [R.choice(chars) for _ in range(17)]
        v[8] = "0"
        total = sum(VIN_VAL[c] * w for c, w in zip(v, VIN_W))
        rem = total % 11
        v[8] = "X" if rem == 10 else str(rem)
        s = "".join(v)
        if not s.isdigit():
            return s


def plate() -> str:
    return R.choice(
        [
            f"{digits(1)}{chr(65 + R.randint(0, 25))}{chr(65 + R.randint(0, 25))}{digits(3)}",
            f"{chr(65 + R.randint(0, 25))}{chr(65 + R.randint(0, 25))}{chr(65 + R.randint(0, 25))}-{digits(4)}",
        ]
    )


def ip() -> str:
    return R.choice(
        [
            f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"172.16.{R.randint(0, 31)}.{R.randint(1, 254)}",
        ]
    )


def street() -> str:
    unit = R.choice(
        [
            "",
            "",
            f", Apt {R.randint(1, 40)}{R.choice('ABCD')}",
            f" Unit {R.randint(1, 300)}",
            f", Suite {R.randint(100, 900)}",
        ]
    )
    return f"{R.randint(2, 9899)} {pick(STREETS)} {pick(SUFFIXES)}{unit}"


def zipc() -> str:
    return R.choice([digits(5), f"{digits(5)}-{digits(4)}"]).replace("00000", "60601")


def email(first: str, last: str) -> str:
    return f"{first.lower()}.{last.lower().replace(chr(39), '')}{R.randint(1, 99)}@{pick(EMAIL_DOMAINS)}"


def serial() -> str:
    return R.choice(
        [f"SN{digits(8)}", f"PJN{digits(6)}H", f"{digits(4)}-{digits(5)}-{digits(3)}", f"RXA{digits(7)}"]
    )


def age_over_89() -> str:
    return str(R.randint(90, 104))


def age_under_90() -> str:
    return str(R.randint(18, 89))


# ---------------------------------------------------------------------------------------------------
# Templates: each returns marked text. Several formats per kind so no two templates share a layout.


def note_hp() -> str:
    f, l = pick(FIRST), pick(LAST)
    doc = name()
    city, st = R.choice(CITIES)
    return (
        f"HISTORY AND PHYSICAL\nPatient: «NAME:{f} {l}»   DOB: «DATE:{date()}»   MRN: «MRN:{mrn()}»\n"
        f"Date of service: «DATE:{date()}»\nAttending: Dr. «NAME:{doc.split()[1]}»\n\n"
        f"HPI: {age_under_90()}-year-old with type 2 diabetes (E11.9) and hypertension presents with chest pain x2 days. "
        f"Metformin 500 mg BID, lisinopril 10 mg daily. Pain 6/10, worse with exertion.\n"
        f"Social: lives with his wife in «LOCATION:{city}», {st}. Former smoker, quit in 2015.\n"
        f"Labs: Na 138, K 4.1, Cr 1.02, troponin <0.01, A1c 7.8%.\n"
        f"Plan: stress test; follow up with Dr. «NAME:{doc.split()[1]}» at «FACILITY:{pick(FACILITIES)}».\n"
    )


def note_progress() -> str:
    n = name()
    return (
        f"Progress note {'«DATE:' + date() + '»'}\n"
        f"S: «NAME:{n}» reports improved breathing since starting albuterol; no fever. Glasgow Coma Scale 15.\n"
        f"O: BP 132/84, HR 78, SpO2 96% RA, T 37.1 C. Lungs with scattered wheeze.\n"
        f"A/P: COPD exacerbation, resolving (J44.1). Continue prednisone 40 mg x5 days. "
        f"Recheck on «DATE:{date()}». Call «PHONE:{phone()}» with questions.\n"
    )


def discharge() -> str:
    f, l = pick(FIRST), pick(LAST)
    return (
        f"DISCHARGE SUMMARY\nName: «NAME:{l}, {f}»\nAdmitted: «DATE:{date()}»  Discharged: «DATE:{date()}»\n"
        f"Facility: «FACILITY:{pick(FACILITIES)}»\nAccount #: «ACCOUNT:{account()}»\n"
        f"Diagnosis: community-acquired pneumonia (J18.9); Parkinson's disease.\n"
        f"Course: treated with ceftriaxone 1 g IV daily then amoxicillin. Apgar not applicable. "
        f"Discharged home to «ADDRESS:{street()}», «LOCATION:{R.choice(CITIES)[0]}», {R.choice(CITIES)[1]} «ZIP:{zipc()}».\n"
        f"Follow-up: PCP «NAME:{name()}» in 1 week.\n"
    )


def referral_letter() -> str:
    f, l = pick(FIRST), pick(LAST)
    doc = name()
    return (
        f"«DATE:{date()}»\n\nDear Dr. «NAME:{doc.split()[1]}»,\n\n"
        f"Thank you for seeing my patient, «NAME:{f} {l}», a {age_under_90()}-year-old woman with rheumatoid arthritis "
        f"on methotrexate 15 mg weekly. Her ESR was 42 and CRP 1.8 mg/dL on «DATE:{date()}». "
        f"She can be reached at «PHONE:{phone()}» or «EMAIL:{email(f, l)}».\n\n"
        f"Sincerely,\n«NAME:{name()}», MD\n«FACILITY:{pick(FACILITIES)}»\n"
    )


def lab_report() -> str:
    return (
        f"LABORATORY REPORT\nPatient Name: «NAME:{name().upper()}»\nMRN: «MRN:{mrn()}»   Accession: «ID:{'A' + digits(9)}»\n"
        f"Collected: «DATE:{date()}» 07:45   Reported: «DATE:{date()}» 13:10\n"
        f"Ordering provider: «NAME:{name()}», NPI «LICENSE:{npi()}»\n\n"
        f"WBC 7.2 x10^3/uL (4.0-11.0)\nHGB 13.4 g/dL (12.0-16.0)\nPLT 245 x10^3/uL\nGlucose 112 mg/dL (H)\n"
        f"LDL 131 mg/dL\nTSH 2.1 mIU/L\nLOINC 2345-7; CPT 80053\n"
    )


def patient_message() -> str:
    f, l = pick(FIRST), pick(LAST)
    return R.choice(
        [
            f"Hi, this is «NAME:{f} {l}». I had my knee replaced at «FACILITY:{pick(FACILITIES)}» on «DATE:{date()}» "
            f"and the swelling is worse. Can someone call me at «PHONE:{phone()}»? Thanks, «NAME:{f}»",
            f"Hello Dr. «NAME:{pick(LAST)}», my mom «NAME:{name()}» (born «DATE:{date()}») is out of her lisinopril. "
            f"Her pharmacy is the one on «ADDRESS:{street()}». My email is «EMAIL:{email(f, l)}».",
            f"hey its «NAME:{f}» again. still having headaches after the concussion. my insurance member ID is "
            f"«HEALTH_PLAN:{member_id()}». can i get a referral?",
            f"Good morning, I need to reschedule my appointment from «DATE:{date()}». I moved to «LOCATION:{R.choice(CITIES)[0]}» "
            f"so «FACILITY:{pick(FACILITIES)}» is closer now. - «NAME:{f} {l}»",
        ]
    )


def app_prompt() -> str:
    f, l = pick(FIRST), pick(LAST)
    return R.choice(
        [
            f"Summarize this visit for «NAME:{f} {l}», {age_under_90()}F, seen «DATE:{date()}» for UTI, started nitrofurantoin 100 mg BID.",
            f"Write a prior authorization letter for «NAME:{f} {l}» (member «HEALTH_PLAN:{member_id()}») for Ozempic 0.5 mg weekly, A1c 9.1.",
            f"Draft a reply to «NAME:{f}» explaining that her LDL of 160 is high and we should discuss statins.",
            f"Translate to Spanish: Mr. «NAME:{l}», your MRI on «DATE:{date()}» showed no fracture.",
            f"Is a «AGE:{age_over_89()}»-year-old with CKD stage 3b (eGFR 38) a candidate for apixaban 5 mg BID?",
            f"Pt «NAME:{f} {l}» age «AGE:{age_over_89()}» fell at home, on warfarin, INR 3.4. Next steps?",
            f"Create a discharge checklist for room 412 patient «NAME:{name()}», SSN «SSN:{ssn()}».",
            f"Extract the diagnoses from: «NAME:{name()}», seen at «FACILITY:{pick(FACILITIES)}», has CHF (I50.9) and gout.",
        ]
    )


def billing() -> str:
    f, l = pick(FIRST), pick(LAST)
    return (
        (
            f"Claim #: «ID:{'CLM' + digits(8)}»\nSubscriber: «NAME:{f} {l}»\nPolicy Number: «HEALTH_PLAN:{member_id()}»\n"
            f"Group: «HEALTH_PLAN:{digits(6)}»\nBilling account «ACCOUNT:{account()}»\nService date «DATE:{date()}»; CPT 99214, 36415; ICD-10 I10, E78.5.\n"
            f"Amount due: $145.20. Card on file «ACCOUNT:4111 1111 1111 1111» was declined.\n"
            f"Mail payment to PO Box 4471, Columbus, OH 43215.\n"
        )
        .replace("PO Box 4471", "«ADDRESS:PO Box 4471»")
        .replace("Columbus, OH 43215", "«LOCATION:Columbus», OH «ZIP:43215»")
    )


def pharmacy() -> str:
    return (
        f"Rx for «NAME:{name()}»   DOB «DATE:{date()}»\n"
        f"Prescriber: Dr. «NAME:{pick(LAST)}»  DEA «LICENSE:{dea()}»  NPI: «LICENSE:{npi()}»\n"
        f"Oxycodone 5 mg tab, 1 tab PO q6h PRN pain, #20, no refills. Lot 2231A exp 2027.\n"
    )


def device_note() -> str:
    return (
        f"Device check: dual-chamber pacemaker, serial number «DEVICE:{serial()}», implanted «DATE:{date()}» at "
        f"«FACILITY:{pick(FACILITIES)}». Battery 8.5 years. Patient «NAME:{name()}» tolerated interrogation well. "
        f"Remote monitor IP «IP:{ip()}», portal «URL:https://portal.example.org/pt/{digits(6)}».\n"
    )


def er_note() -> str:
    l = pick(LAST)
    return (
        f"ED NOTE — «DATE:{date()}» 23:14\n{R.choice(['Mr.', 'Ms.', 'Mrs.'])} «NAME:{l}» is a «AGE:{age_over_89()}» yo brought by EMS "
        f"after a fall. Driver's license «LICENSE:{chr(65 + R.randint(0, 25))}{digits(7)}» used for ID. "
        f"Vehicle involved: VIN «VEHICLE:{vin()}», plate «VEHICLE:{plate()}».\n"
        f"GCS 14, CT head negative. Admit to «FACILITY:{pick(FACILITIES)}» telemetry.\n"
    )


def social_work() -> str:
    f, l = pick(FIRST), pick(LAST)
    county = pick(COUNTIES)
    return (
        f"Social work: met with «NAME:{f} {l}» and daughter «NAME:{pick(FIRST)}». Patient resides in «LOCATION:{county}» "
        f"and has Medicaid ID «HEALTH_PLAN:{member_id()}». Emergency contact: «NAME:{name()}» «PHONE:{phone()}». "
        f"Fingerprint ID «BIOMETRIC:FP-{digits(6)}» on file for the medication cabinet.\n"
    )


def telehealth() -> str:
    f, l = pick(FIRST), pick(LAST)
    return (
        f"Telehealth visit with «NAME:{f} {l}» on «DATE:{date()}» via «URL:https://meet.example.com/{l.lower().replace(chr(39), '')}-{digits(4)}». "
        f"Connected from IP «IP:{ip()}». Reviewed home BP log (avg 128/79). Continue amlodipine 5 mg.\n"
    )


def family_hx() -> str:
    return (
        f"Family history: mother with Alzheimer's disease diagnosed at 71, father with Crohn's disease. "
        f"Patient «NAME:{name()}» ({age_under_90()} y/o) denies tobacco. Her sister «NAME:{name()}» donated a kidney "
        f"at «FACILITY:{pick(FACILITIES)}» in «DATE:{MONTHS[R.randint(0, 11)]} {R.randint(1990, 2020)}».\n"
    )


def ssn_form() -> str:
    f, l = pick(FIRST), pick(LAST)
    return (
        f"Patient registration\nLast name: «NAME:{l}»\nFirst name: «NAME:{f}»\nSSN: «SSN:{ssn()}»\n"
        f"Address: «ADDRESS:{street()}»\nCity: «LOCATION:{R.choice(CITIES)[0]}»  State: TX  Zip: «ZIP:{digits(5)}»\n"
        f"Home phone: «PHONE:{phone()}»\nEmail: «EMAIL:{email(f, l)}»\n"
    )


PHI_TEMPLATES = [
    note_hp,
    note_progress,
    discharge,
    referral_letter,
    lab_report,
    patient_message,
    app_prompt,
    billing,
    pharmacy,
    device_note,
    er_note,
    social_work,
    telehealth,
    family_hx,
    ssn_form,
]

# No-PHI texts with confusable clinical content: doses, lab values, codes, eponyms, years, young ages.
NO_PHI = [
    "Metformin 500 mg PO BID with meals; titrate to 1000 mg BID over 4 weeks. A1c goal < 7%.",
    "ICD-10 E11.9, I10, E78.5; CPT 99213 and 36415. Modifier 25 applied.",
    "Parkinson's disease with resting tremor; started carbidopa-levodopa 25/100 TID.",
    "Apgar scores 8 and 9 at 1 and 5 minutes. Birth weight 3.4 kg.",
    "Glasgow Coma Scale 15, no focal deficits. Babinski sign negative bilaterally.",
    "Crohn's disease flare; calprotectin 450 ug/g. Consider infliximab 5 mg/kg at weeks 0, 2 and 6.",
    "BP 142/88, HR 92, RR 18, SpO2 95% on 2 L NC. Temp 38.2 C.",
    "The patient is a 45-year-old with asthma since childhood; uses albuterol 2 puffs q4h PRN.",
    "Hashimoto's thyroiditis: TSH 8.2 mIU/L, free T4 0.7 ng/dL. Increase levothyroxine to 75 mcg daily.",
    "Diagnosed with type 1 diabetes in 2009; insulin glargine 22 units nightly, lispro sliding scale.",
    "Wells score 4.5; D-dimer 1.2 mg/L FEU. CT angiography ordered.",
    "Murphy's sign positive; RUQ ultrasound shows gallstones without wall thickening.",
    "Cushing's syndrome work-up: late-night salivary cortisol elevated x2.",
    "eGFR 52 mL/min/1.73m2, creatinine 1.4 mg/dL, BUN 28 mg/dL, potassium 5.1 mmol/L.",
    "Plan: PT/OT evaluation, fall precautions, DVT prophylaxis with enoxaparin 40 mg SC daily.",
    "Hodgkin lymphoma stage IIA, ABVD cycle 3 of 6. Neutrophils 1.8 x10^9/L.",
    "Bell's palsy on the left; prednisone 60 mg daily x7 days and eye protection.",
    "Trendelenburg position was used; estimated blood loss 150 mL.",
    "Pediatric dose: amoxicillin 90 mg/kg/day divided BID for 10 days.",
    "Hemoglobin 9.8 g/dL, MCV 72 fL, ferritin 8 ng/mL consistent with iron deficiency.",
    "Echo 2023: EF 35-40%, grade II diastolic dysfunction. Started sacubitril-valsartan 24/26 mg BID.",
    "Child is 7 years old, weight 24 kg, height 122 cm. Immunizations up to date.",
    "Lipid panel: total cholesterol 214, LDL 138, HDL 41, triglycerides 176.",
    "Ankle-brachial index 0.78 on the right, 0.92 on the left.",
    "Tinel's and Phalen's tests positive; nerve conduction study recommended.",
    "COVID-19 PCR negative. Influenza A/B negative. RSV negative.",
    "Down syndrome with congenital heart disease repaired in infancy.",
    "Administer ondansetron 4 mg IV q8h PRN nausea; hold if QTc > 500 ms.",
    "Colonoscopy every 10 years starting at 45; FIT yearly as an alternative.",
    "The 2024 ADA Standards recommend GLP-1 RA for patients with ASCVD.",
    "Urinalysis: SG 1.020, pH 6.0, leukocyte esterase 2+, nitrite positive, WBC 25-50/hpf.",
    "Heparin drip per ACS nomogram: bolus 60 units/kg, infusion 12 units/kg/h, aPTT in 6 h.",
    "Whipple procedure in 2019 for pancreatic adenocarcinoma; on pancrelipase with meals.",
    "Addison's disease on hydrocortisone 15 mg AM and 5 mg PM; stress dosing reviewed.",
    "Sodium 131 mmol/L; fluid restriction 1.5 L/day and recheck BMP in 48 hours.",
    "Mammogram BI-RADS 2. Next screening in 12 months.",
    "Fracture of the distal radius (Colles fracture), closed reduction, short arm cast.",
    "Vitamin D 25-OH 18 ng/mL; start cholecalciferol 2000 IU daily.",
    "HIV viral load undetectable, CD4 620 cells/uL. Continue bictegravir/emtricitabine/TAF.",
    "Guidelines: aspirin 81 mg for secondary prevention; avoid NSAIDs with warfarin.",
    "Summarize the side effects of lisinopril for a patient handout.",
    "What is the recommended dose of amoxicillin for acute otitis media in children?",
    "Explain the difference between type 1 and type 2 diabetes in plain language.",
    "List red-flag symptoms for headache that need urgent evaluation.",
    "Write a patient education sheet about low-sodium diets for heart failure.",
    "Huntington's disease is autosomal dominant with CAG repeat expansion > 36.",
    "Kawasaki disease: 5 days of fever plus 4 of 5 criteria; give IVIG 2 g/kg.",
    "Alzheimer's disease MMSE 22/30; donepezil 5 mg nightly.",
    "Post-op day 2 after laparoscopic cholecystectomy; tolerating diet, ambulating.",
    "Screening PHQ-9 score 12, GAD-7 score 9. Referred for CBT.",
    "SOFA score 6 on admission; lactate 3.1 mmol/L after 30 mL/kg crystalloid.",
    "Graves' disease: methimazole 10 mg daily, TRAb positive.",
    "CHA2DS2-VASc 4, HAS-BLED 2; start apixaban 5 mg BID.",
    "Ferritin 410, transferrin saturation 52% — evaluate for hemochromatosis (HFE C282Y).",
    "Ottawa ankle rules negative; RICE and ibuprofen 400 mg q6h PRN.",
    "Visual acuity 20/40 OD, 20/25 OS; IOP 16 and 17 mmHg.",
    "In 2021 the USPSTF lowered the colorectal screening age to 45 years.",
    "Reye syndrome risk: avoid aspirin in children with viral illness.",
    "Sjogren's syndrome with dry eyes; pilocarpine 5 mg TID.",
    "Follow-up in 3 months with repeat A1c and lipid panel.",
]


def main() -> None:
    rows = []
    n = 0
    for i in range(270):
        template = PHI_TEMPLATES[i % len(PHI_TEMPLATES)]
        text, spans = parse_marked(template())
        rows.append({"id": f"gen-{n:04d}", "kind": template.__name__, "text": text, "spans": spans})
        n += 1
    for text in NO_PHI:
        rows.append({"id": f"gen-{n:04d}", "kind": "no_phi", "text": text, "spans": []})
        n += 1
    with (HERE / "generated.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} texts to {HERE / 'generated.jsonl'}")


if __name__ == "__main__":
    main()
