"""Hand-written skeletons of clinical documents that contain no PHI at all.

They are built to be hard: eponyms, drug and brand names, device models, departments, rooms and
bays, doses, ratios, scores, lab units and reference ranges, versions, years alone, times, ages of
89 or under and decades, capitalised headings and all-caps sections. Following SPEC.md they carry
no person names (eponyms only), no calendar dates (years alone only), no facility names, phone or
extension numbers, web addresses, serial numbers or patient-linked ids.
"""

from __future__ import annotations

from collections.abc import Callable

import vocab as V
from engine import Ctx

LABS = [
    ("Sodium", "mmol/L", "135-145", (128, 149)),
    ("Potassium", "mmol/L", "3.5-5.3", (3.0, 6.2)),
    ("Urea", "mmol/L", "2.5-7.8", (2.1, 21.0)),
    ("Creatinine", "umol/L", "59-104", (45, 380)),
    ("eGFR", "mL/min/1.73m2", ">60", (12, 90)),
    ("Haemoglobin", "g/L", "130-170", (72, 168)),
    ("WCC", "x10^9/L", "4.0-11.0", (1.2, 24.0)),
    ("Platelets", "x10^9/L", "150-400", (40, 610)),
    ("Neutrophils", "x10^9/L", "2.0-7.5", (0.4, 19.0)),
    ("CRP", "mg/L", "<5", (1, 310)),
    ("ALT", "U/L", "<41", (8, 420)),
    ("ALP", "U/L", "30-130", (40, 690)),
    ("Bilirubin", "umol/L", "<21", (3, 140)),
    ("Albumin", "g/L", "35-50", (18, 48)),
    ("INR", "", "0.8-1.2", (0.9, 6.5)),
    ("HbA1c", "mmol/mol", "20-41", (30, 110)),
    ("TSH", "mU/L", "0.27-4.2", (0.01, 40.0)),
    ("Troponin T (hs)", "ng/L", "<14", (3, 2400)),
    ("Lactate", "mmol/L", "0.5-2.2", (0.6, 9.8)),
    ("Magnesium", "mmol/L", "0.70-1.00", (0.4, 1.4)),
    ("Ferritin", "ug/L", "30-400", (6, 1900)),
    ("Vitamin B12", "ng/L", "197-771", (90, 1200)),
    ("D-dimer", "mg/L FEU", "<0.5", (0.2, 9.0)),
    ("Glucose (fasting)", "mmol/L", "3.9-5.5", (3.1, 19.0)),
]
INTERACTIONS = [
    ("warfarin", "clarithromycin", "Major", "raised INR; monitor INR within 3-5 days"),
    ("simvastatin", "clarithromycin", "Contraindicated", "myopathy/rhabdomyolysis"),
    ("sertraline", "tramadol", "Major", "serotonin syndrome; seizure threshold lowered"),
    ("lithium", "ramipril", "Moderate", "lithium toxicity; check levels"),
    ("methotrexate", "trimethoprim", "Major", "bone marrow suppression"),
    ("clopidogrel", "omeprazole", "Moderate", "reduced antiplatelet effect; prefer pantoprazole"),
    ("spironolactone", "ramipril", "Moderate", "hyperkalaemia; check K+ at 1 week"),
    ("amiodarone", "digoxin", "Major", "halve digoxin dose"),
    ("sildenafil", "isosorbide mononitrate", "Contraindicated", "profound hypotension"),
    ("allopurinol", "azathioprine", "Major", "reduce azathioprine to 25%"),
    ("apixaban", "rifampicin", "Avoid", "reduced anticoagulant effect"),
    ("levothyroxine", "calcium carbonate", "Minor", "separate doses by 4 h"),
]
CLASSES = {
    "apixaban": "direct oral anticoagulant (factor Xa inhibitor)",
    "warfarin": "vitamin K antagonist",
    "enoxaparin": "low molecular weight heparin",
    "metformin": "biguanide",
    "insulin": "long-acting insulin analogue",
    "atorvastatin": "statin (HMG-CoA reductase inhibitor)",
    "furosemide": "loop diuretic",
    "bisoprolol": "beta-blocker",
    "ramipril": "ACE inhibitor",
    "amoxicillin": "penicillin antibiotic",
    "piperacillin-tazobactam": "penicillin + beta-lactamase inhibitor",
    "vancomycin": "glycopeptide antibiotic",
    "oxycodone": "opioid analgesic",
    "morphine": "opioid analgesic",
    "tramadol": "opioid analgesic",
    "sertraline": "SSRI antidepressant",
    "haloperidol": "butyrophenone antipsychotic",
    "co-careldopa": "dopamine precursor + decarboxylase inhibitor",
    "levothyroxine": "thyroid hormone",
    "pantoprazole": "proton pump inhibitor",
    "salbutamol": "short-acting beta-2 agonist",
    "prednisolone": "corticosteroid",
    "gabapentin": "gabapentinoid",
    "ondansetron": "5-HT3 antagonist",
}
PROTOCOL_TOPICS = [
    (
        "SEPSIS SIX - ADULT INPATIENTS",
        [
            "Give high-flow oxygen to target SpO2 94-98% (88-92% if at risk of hypercapnia).",
            "Take blood cultures before antibiotics, ideally two sets.",
            "Give IV antibiotics within 1 hour as per the Trust antimicrobial guideline (e.g. piperacillin-tazobactam 4.5 g IV q8h).",
            "Give IV fluid bolus 500 mL crystalloid over 15 min if SBP <90 or lactate >2.",
            "Measure lactate and FBC; repeat lactate at 1 h if >2 mmol/L.",
            "Start hourly urine output monitoring; consider Foley catheter if unable to void.",
        ],
    ),
    (
        "VTE PROPHYLAXIS",
        [
            "Assess all adult admissions within 14 hours using the national risk tool.",
            "Enoxaparin 40 mg SC daily; 20 mg if CrCl <30 mL/min.",
            "Weight >100 kg: 40 mg BD. Weight <50 kg: 20 mg daily.",
            "Anti-embolism stockings are contraindicated in peripheral arterial disease.",
            "Reassess at 24 h and whenever the clinical situation changes.",
        ],
    ),
    (
        "DIABETIC KETOACIDOSIS (DKA) - FIRST 60 MINUTES",
        [
            "Confirm: ketones >3.0 mmol/L, glucose >11.0 mmol/L or known diabetes, bicarbonate <15.0 mmol/L and/or pH <7.3.",
            "0.9% sodium chloride 1 L over 1 hour (500 mL over 15 min if SBP <90 mmHg).",
            "Fixed rate IV insulin infusion 0.1 units/kg/h; continue long-acting insulin.",
            "Potassium: add 40 mmol/L if K+ 3.5-5.5; senior review if K+ <3.5.",
            "Hourly capillary glucose and ketones; VBG at 60 min, 2 h then 2-hourly.",
        ],
    ),
    (
        "ALCOHOL WITHDRAWAL (CIWA-Ar)",
        [
            "Score CIWA-Ar 4-hourly; hourly if score >15.",
            "Chlordiazepoxide symptom-triggered: score 10-15 give 20 mg, >15 give 30 mg.",
            "Pabrinex 2 pairs IV TDS for 3 days if any risk of Wernicke's encephalopathy, then thiamine 100 mg TDS PO.",
            "Seizure: lorazepam 4 mg IV; escalate to ICU if status.",
        ],
    ),
    (
        "HYPOGLYCAEMIA IN ADULTS",
        [
            "Capillary blood glucose <4.0 mmol/L.",
            "Conscious and able to swallow: 15-20 g quick-acting carbohydrate (e.g. 150-200 mL pure fruit juice).",
            "Repeat CBG after 10-15 min; repeat up to 3 times.",
            "Unconscious: glucose 10% 150-200 mL IV over 15 min or glucagon 1 mg IM.",
            "Do not omit insulin in type 1 diabetes.",
        ],
    ),
    (
        "STROKE THROMBOLYSIS PATHWAY",
        [
            "FAST positive or ROSIER >0: pre-alert the stroke team.",
            "CT head within 20 minutes of arrival; CT angiogram if NIHSS >=6.",
            "Alteplase 0.9 mg/kg (max 90 mg): 10% bolus, remainder over 60 min; or tenecteplase 0.25 mg/kg.",
            "BP must be <185/110 before and <180/105 for 24 h after.",
            "No antiplatelets for 24 h; repeat CT at 24 h.",
        ],
    ),
]
LEAFLETS = [
    (
        "Going home after your hip replacement",
        [
            "Keep your wound dry for 10 days. Small amounts of oozing are normal.",
            "Use your walking frame or sticks until the physiotherapist says otherwise.",
            "Do not bend your hip past 90 degrees for 6 weeks - avoid low chairs and crossing your legs.",
            "Take your blood-thinning injections (Clexane) for 28 days.",
            "Contact the ward if your leg becomes hot, swollen or very painful.",
        ],
    ),
    (
        "Warfarin: what you need to know",
        [
            "Take warfarin at the same time each day, usually 6 pm.",
            "Your INR target is usually 2.0-3.0 (2.5-3.5 for some heart valves).",
            "Tell any doctor, dentist or pharmacist that you take warfarin.",
            "Avoid cranberry juice and large amounts of alcohol.",
            "Seek help urgently if you have black stools, blood in urine or a severe headache.",
        ],
    ),
    (
        "Living with Parkinson's disease",
        [
            "Take your co-careldopa (Sinemet) on time, every time - even a 30-minute delay can matter.",
            "Protein-rich meals can reduce how well levodopa works for some people.",
            "Tell the ward staff your medication times on admission.",
            "Exercise, speech therapy and physiotherapy all help.",
            "Constipation and low blood pressure on standing are common.",
        ],
    ),
    (
        "Bell's palsy - looking after your eye",
        [
            "Use lubricating drops hourly during the day and ointment at night.",
            "Tape your eye closed at night if it does not shut fully.",
            "Prednisolone 50 mg daily for 10 days works best when started within 72 hours.",
            "Most people recover fully within 3 to 6 months.",
        ],
    ),
    (
        "Your Foley catheter at home",
        [
            "Wash your hands before and after touching the catheter.",
            "Keep the bag below the level of your bladder.",
            "Drink 1.5-2 litres of fluid a day unless told otherwise.",
            "Change the leg bag every 5-7 days; the night bag is single use.",
            "Call your district nurse if no urine drains for 2 hours.",
        ],
    ),
]
IT_NOTICES = [
    "EPR upgrade to version {v} is scheduled for Sunday 02:00-04:00. Read-only mode will be available. Downtime forms (form DT-{n}) are in the blue folder at each nurses' station.",
    "The {m} infusion pumps are receiving drug library update {v}. Pumps showing an older library version after Friday should be sent to EBME (Clinical Engineering). Do not use pumps with an amber 'Library out of date' banner.",
    "PACS viewer {v} introduces a new hanging protocol for CT chest. Known issue KI-{n}: measurement tool may freeze when more than 4 series are open. Workaround: close unused series.",
    "Single sign-on tap badges are being replaced. Old badges stop working at 23:59 at the end of the month. Collect a replacement from IT Service Desk (Level 1, Main Building) with staff ID.",
    "Pathology order-comms template {v}: the coagulation screen now includes fibrinogen by default. Template version numbers are printed in the footer of each request.",
]
COMMITTEE_ITEMS = [
    "Hand hygiene compliance {p}% (target 95%). Theatres and Endoscopy below target for two quarters.",
    "Falls per 1,000 bed days: {f} (previous year {g}). Sensor mats now in all Orthogeriatrics bays.",
    "C. difficile cases: {k} against a trajectory of 14. Two linked to Ward 7B; ribotyping showed no cross-infection.",
    "Pressure ulcer category 2+: {k}. Braden scale training completion 81%.",
    "Sepsis screening in ED: {p}% screened within 1 h; antibiotics within 1 h in 76%.",
    "VTE risk assessment completion {p}%. Action: pharmacy to flag missing assessments at 24 h.",
    "Medication incidents: {k} reported, no severe harm. Most frequent: omitted time-critical doses (Parkinson's medicines, insulin).",
    "Deteriorating patient: NEWS2 escalation audit shows {p}% appropriate escalation.",
]


def _fmt_lab(c: Ctx, n: int) -> str:
    rows = []
    for name, unit, ref, (lo, hi) in c.rng.sample(LABS, n):
        val = c.rng.uniform(lo, hi)
        v = f"{val:.1f}" if hi < 50 else f"{val:.0f}"
        flag = c.pick(["", "", "H", "L", "", "*"])
        rows.append(f"{name:<20} {v:>7} {flag:<2} {unit:<14} {ref}")
    return "\n".join(rows)


def _tick(c: Ctx) -> str:
    return c.pick(["[ ]", "[x]", "[X]", "\u2610", "\u2611", "( )"])


# ---------------------------------------------------------------- discharge_summary
def cl_ds_teaching(c: Ctx) -> str:
    dec = c.pick(["sixties", "seventies", "eighties", "fifties", "forties"])
    return f"""TEACHING CASE (de-identified) - DISCHARGE SUMMARY
A <<man|woman>> in <<his|her>> {dec} with a background of [[eponym]], type 2 diabetes and CKD 3a was admitted via the Emergency Department with a 4-day history of fever and rigors. Blood cultures grew Staphylococcus aureus (MSSA). Transthoracic echo: no vegetation; TOE on day 6: 8 mm mobile vegetation on the mitral valve. Treated with flucloxacillin 2 g IV q6h for 6 weeks via PICC (OPAT).
Course complicated by AKI (creatinine peak 244 umol/L), managed with fluids and holding ramipril/metformin.
DISCHARGE MEDICATIONS: [[drug]]; [[drug2]]; metformin restarted at 500 mg BD.
FOLLOW-UP: Cardiology OPD in 4 weeks; OPAT weekly bloods (FBC, U&E, LFT, CRP).
Learning points: (1) S. aureus bacteraemia always warrants echo; (2) Duke criteria; (3) early ID involvement reduces mortality.
Case prepared for the {c.rng.randint(2019, 2025)} <<Grand Round|registrar teaching programme|MDT education half-day>>. All identifiers removed."""


def cl_ds_template(c: Ctx) -> str:
    return f"""DISCHARGE CHECKLIST (NURSING) - Form NUR-{c.rng.randint(100, 499)} rev {c.pick("BCDE")}
{_tick(c)} TTO medicines checked against drug chart and explained
{_tick(c)} Controlled drugs: quantities recorded in CD register
{_tick(c)} Cannula removed (site checked, VIP score 0)
{_tick(c)} Foley catheter: removed / TWOC booked / community referral
{_tick(c)} Wound care letter and dressings supplied (3 days)
{_tick(c)} Transport booked for <<10:30|14:00|after 16:00>>
{_tick(c)} Patient may shower; wound may get wet after day <<5|10|14>>
{_tick(c)} Discharge lounge informed
Time-critical medicines (Parkinson's disease, insulin, anticoagulants) must be given before leaving the ward.
Completed by: ______________ Designation: ______________ Time: ____:____"""


def cl_ds_criteria(c: Ctx) -> str:
    return f"""CRITERIA-LED DISCHARGE - ELECTIVE <<HIP AND KNEE|LAPAROSCOPIC CHOLECYSTECTOMY|TURP>> PATHWAY
Version {c.rng.randint(2, 6)}.{c.rng.randint(0, 9)} ({c.rng.randint(2020, 2025)}). Owner: Orthopaedics/Theatres governance group.
The patient may be discharged by a registered nurse without a further medical review when ALL criteria are met:
1. NEWS2 score 0-2 and stable for 12 h.
2. Pain controlled on oral analgesia (pain score <=4/10 on movement).
3. Passed urine; post-void residual <150 mL.
4. Mobile with aid, cleared by physiotherapy (stairs if required).
5. Wound dry or minimal ooze; Hb >90 g/L on day 1 bloods.
6. Eating and drinking; PONV controlled with ondansetron 4 mg PRN.
If any criterion is not met: escalate to the on-call registrar (Orthopaedics) via switchboard.
Ages 18-89 included; day-case pathway excludes BMI >40 and OSA on CPAP."""


# ---------------------------------------------------------------- nursing_note
def cl_nn_huddle(c: Ctx) -> str:
    bays = []
    for b in range(1, c.rng.randint(4, 7)):
        bays.append(
            f"Bay {b}: {c.pick(['2 x falls risk, sensor mats on', 'bed 3 NBM for theatre', 'side room C. diff precautions', 'bed 1 on 1:1 (delirium)', 'bed 2 insulin sliding scale', 'all settled', 'bed 4 TWOC today', 'bed 6 awaiting MDT, mobilising with frame'])}"
        )
    return f"""safety huddle 0800 - [[dept]]
staffing: 5 RN, 3 HCA, 1 student. <<bank RN for nights requested|no gaps|1 RN moved to ED at 0930>>
{chr(10).join(bays)}
Resus 2 trolley checked, defib self-test ok. fridge temps 4.1-6.8 degrees.
reminders: time critical meds (parkinsons, insulin) on time. hand hygiene audit this week. pt may shower before 0900 only (water works)
will review at 1400 huddle"""


def cl_nn_protocol(c: Ctx) -> str:
    return f"""PRESSURE AREA CARE - NURSING STANDARD (SSKIN)
Surface: high-risk foam for Braden 13-14; dynamic mattress for Braden <=12 or existing category 2+.
Skin inspection: every <<2|4>> hours for patients at risk; document in the SSKIN bundle.
Keep moving: 2-hourly repositioning at 30 degree tilt; heels floated.
Incontinence: barrier cream; Foley catheter is NOT a pressure ulcer prevention measure.
Nutrition: MUST score on admission and weekly; refer to dietitian if MUST >=2.
Escalation: category 3, 4 or unstageable - inform Tissue Viability and complete an incident report.
Note: a patient in their 80s with hip fracture has a high risk within the first 24 hours.
Review date: {c.rng.randint(2025, 2028)}."""


def cl_nn_obs(c: Ctx) -> str:
    return """OBSERVATION CHART - SCORING KEY (NEWS2)
PARAMETER        3       2        1        0          1         2        3
Resp rate       <=8      -      9-11     12-20        -       21-24    >=25
SpO2 scale 1    <=91   92-93   94-95     >=96
Systolic BP     <=90   91-100  101-110  111-219       -         -      >=220
Pulse           <=40     -     41-50    51-90      91-110   111-130   >=131
Consciousness                            Alert                         CVPU
Temperature    <=35.0    -   35.1-36.0 36.1-38.0  38.1-39.0  >=39.1
Score 5-6 or any single 3: urgent review by ward doctor. Score >=7: emergency response per local policy.
glasgow coma scale and pupils if new confusion. bm if diabetic"""


# ---------------------------------------------------------------- progress_note
def cl_pn_mdt(c: Ctx) -> str:
    return """MDT TEACHING - CASE <<3|7|12>> (ANONYMISED)
S: <<A man|A woman>> in <<their 50s|their 60s|their 70s|their 40s>>, 2 weeks post [[eponym]] diagnosis, reports fatigue and reduced appetite.
O: HR 96, BP 104/62, SpO2 96% RA. Hb 94 g/L, albumin 29 g/L, CRP 61 mg/L.
A: likely inflammatory flare vs infection; nutrition risk (MUST 2).
P: 1. blood cultures, urine dip; 2. dietitian; 3. consider [[drug]]; 4. review at 48 h.
Discussion points for trainees: how would the Glasgow-Blatchford score change management if melaena developed? When is a Whipple procedure considered?"""


def cl_pn_ward_round(c: Ctx) -> str:
    return f"""WARD ROUND PROFORMA (blank, v{c.rng.randint(1, 4)}.{c.rng.randint(0, 9)})
Patient label: ________________________    Bed: ____
S: ______________________________________________
O: NEWS2 ___  Fluid balance ___ mL  Bowels ___  Pain ___/10
   Lines: PVC / CVC / PICC / Foley catheter / NGT
A: ______________________________________________
P: {_tick(c)} VTE reviewed  {_tick(c)} Antimicrobials reviewed (day __ of __)  {_tick(c)} Escalation status
   {_tick(c)} EDD set   {_tick(c)} Medicines reconciliation done
Consultant / registrar initials: ____   Time: ____"""


# ---------------------------------------------------------------- history_physical
def cl_hp_blank(c: Ctx) -> str:
    return f"""HISTORY AND PHYSICAL EXAMINATION
NAME..............
DOB...............
AGE ..............
MRN...............
PRESENTING COMPLAINT:
HISTORY OF PRESENTING COMPLAINT:
PAST MEDICAL HISTORY: (include [[eponym]], diabetes, IHD, stroke/TIA, COPD)
DRUG HISTORY / ALLERGIES:
SOCIAL HISTORY: smoking (pack-years), alcohol (units/week), occupation, mobility, package of care
SYSTEMS REVIEW
EXAMINATION: GCS __/15, HR __, BP __/__, RR __, SpO2 __%, T __
IMPRESSION / DIFFERENTIAL:
PLAN:
Form HP-ADULT v{c.rng.randint(3, 9)} - printed {c.rng.randint(2021, 2025)}"""


def cl_hp_teaching(c: Ctx) -> str:
    a = c.rng.randint(24, 89)
    return f"""OSCE STATION <<4|9|11>>: HISTORY TAKING
Candidate instructions: You are the FY1 in the Medical Assessment Unit. A {a}-year-old <<retired|self-employed|unemployed>> <<man|woman>> presents with 3 days of <<pleuritic chest pain|haemoptysis|breathlessness>>.
Simulated patient brief: symptoms began after a long-haul flight. Past history of Crohn's disease (on azathioprine). Takes the combined pill. Father had a DVT in his 50s. Ex-smoker, quit {c.rng.randint(1995, 2020)}.
Examiner mark scheme:
- Introduces self, confirms identity and consent (1)
- Characterises pain: SOCRATES (2)
- Asks about Wells score features: previous DVT/PE, haemoptysis, malignancy, immobilisation (3)
- Drug history including OCP (1)
- Summarises and suggests CTPA / D-dimer as per Wells (2)
Pass mark 7/10."""


# ---------------------------------------------------------------- ems_run_report
def cl_ems_protocol(c: Ctx) -> str:
    return f"""CLINICAL PRACTICE GUIDELINE {c.pick(["CPG", "PG", "CG"])} {c.rng.randint(1, 14)}.{c.rng.randint(1, 9)} - <<CHEST PAIN / STEMI|ANAPHYLAXIS|SEIZURES|HYPOGLYCAEMIA>>
Applies to: all paramedics and MICA crews. Medic and Rescue units carry the full kit list.
1. DRABCDE. 12-lead ECG within 10 minutes of patient contact.
2. Aspirin 300 mg chewed unless contraindicated. GTN 400 mcg SL if SBP >90 (not with PDE5 inhibitors in last 24-48 h).
3. STEMI criteria met: transmit ECG, pre-alert the PCI centre, consider heparin 5000 IU IV per local agreement.
4. Pain: fentanyl 25-50 mcg IV titrated, or methoxyflurane 3 mL (max 6 mL).
5. Adrenaline 1:1000 0.5 mg IM for anaphylaxis, repeat at 5 min.
MEDIC 12 / MICA 2 note: LIFEPAK 15 firmware {c.rng.randint(3, 5)}.{c.rng.randint(0, 9)}.{c.rng.randint(0, 20)} required for ECG transmission."""


def cl_ems_stats(c: Ctx) -> str:
    rows = []
    for cat in ["Cat 1", "Cat 2", "Cat 3", "Cat 4"]:
        rows.append(
            f"{cat:<10}{c.rng.randint(3000, 90000):>9}   {c.rng.randint(6, 12)}:{c.rng.randint(0, 59):02d}      {c.rng.randint(14, 140)}:{c.rng.randint(0, 59):02d}"
        )
    return f"""AMBULANCE RESPONSE TIMES - ANNUAL SUMMARY {c.rng.randint(2019, 2025)}
CATEGORY  INCIDENTS  MEAN      90TH CENTILE
{chr(10).join(rows)}
Hospital handover >60 min: {c.rng.randint(2, 19)}% of conveyances. Medic 12 and Medic 4 redeployed to the northern sector from 07:00.
Cardiac arrest ROSC at hospital handover (Utstein comparator group): {c.rng.randint(20, 55)}%."""


def cl_ems_vehicle_check(c: Ctx) -> str:
    return f"""VEHICLE DAILY INSPECTION - DOUBLE CREWED AMBULANCE (form VDI-{c.rng.randint(10, 99)})
{_tick(c)} Oxygen: main cylinder >50%, 2 x portable CD cylinders full
{_tick(c)} Defibrillator self-test passed (ZOLL X Series / LIFEPAK 15), pads in date
{_tick(c)} Suction: tested to -500 mmHg
{_tick(c)} Drugs pouch sealed: adrenaline 1:1000 x3, naloxone 400 mcg x5, glucagon 1 mg x1
{_tick(c)} Scoop, vacuum mattress, traction splint
{_tick(c)} Controlled drugs safe checked by two crew members (morphine 10 mg x <<4|6>>)
Fuel ____ %    Odometer ____    Shift start 07:00 / 19:00
Defects reported to fleet via the vehicle defect form."""


# ---------------------------------------------------------------- pharmacy_log
def cl_ph_stock(c: Ctx) -> str:
    rows = []
    for name, dose, _ in c.rng.sample(V.DRUGS, c.rng.randint(6, 10)):
        par = c.rng.randint(10, 200)
        on = par - c.rng.randint(-5, par // 2)
        rows.append(f"{name:<26}{dose:<10}{par:>6}{on:>8}{par - on:>8}")
    return f"""WARD STOCK RECONCILIATION - [[dept]] - topped up Tue & Fri
DRUG                      STRENGTH    PAR  ON HAND   ORDER
{chr(10).join(rows)}
CD cupboard checked by 2 RNs at 22:00; fridge 2-8 C log complete. Expiry checks: items expiring in {c.rng.randint(2026, 2028)} rotated to front.
NDC/PIP codes as per formulary; no patient-specific items on this sheet."""


def cl_ph_interactions(c: Ctx) -> str:
    rows = [
        f"{a:<22}{b:<24}{sev:<16}{note}"
        for a, b, sev, note in c.rng.sample(INTERACTIONS, c.rng.randint(5, 8))
    ]
    return f"""DRUG INTERACTION QUICK REFERENCE (Medicines Information, v{c.rng.randint(2, 9)}.{c.rng.randint(0, 9)})
DRUG A                DRUG B                  SEVERITY        ACTION
{chr(10).join(rows)}
Brand names for reference: {", ".join(c.rng.sample(V.BRANDS, 4))}.
Source: BNF/AMH/Lexicomp ({c.rng.randint(2022, 2025)} editions). Check renal dosing for CrCl <30 mL/min."""


def cl_ph_monograph(c: Ctx) -> str:
    name, dose, freq = c.pick(V.DRUGS)
    return f"""DRUG MONOGRAPH: {name.upper()}
Class: {CLASSES.get(name.split()[0].split("/")[0], "see formulary chapter")}.  Usual adult dose: {dose} {freq}.
Renal: reduce dose if eGFR 15-29 mL/min/1.73m2; avoid below 15.
Hepatic: Child-Pugh C - avoid.
Elderly (over 75): start low; monitor for falls and confusion.
Pregnancy: <<avoid|use only if benefit outweighs risk|compatible>>.
Interactions: strong CYP3A4 inhibitors (clarithromycin, itraconazole) increase levels.
Adverse effects: nausea (1 in 10), dizziness, rarely Stevens-Johnson syndrome.
NDC 0093-{c.rng.randint(1000, 9999)}-{c.rng.randint(10, 99)} | ATC code as per formulary | Formulary status: <<green|amber (specialist initiation)|red (hospital only)>>."""


# ---------------------------------------------------------------- lab_report
def cl_lab_qc(c: Ctx) -> str:
    rows = []
    for name, unit, _ref, (lo, hi) in c.rng.sample(LABS, 6):
        mean = (lo + hi) / 3
        sd = mean * c.rng.uniform(0.01, 0.05)
        rows.append(
            f"{name:<20}{unit:<14}L1 mean {mean:8.2f}  SD {sd:6.3f}  CV {100 * sd / mean:4.1f}%  {c.pick(['in control', 'in control', '1-2s warning', 'in control'])}"
        )
    return f"""INTERNAL QUALITY CONTROL SUMMARY - <<Roche cobas c503|Abbott Alinity c|Siemens Atellica CH|Beckman AU5800>> (analyser 2)
{chr(10).join(rows)}
Westgard rules applied: 1-3s reject, 2-2s reject, R-4s reject. EQA (UK NEQAS / RCPA QAP) round {c.rng.randint(100, 900)}: all analytes within acceptable limits.
Reviewed by: duty biomedical scientist (initials on the paper copy). No patient results affected."""


def cl_lab_ranges(c: Ctx) -> str:
    return f"""ADULT REFERENCE RANGES - CLINICAL BIOCHEMISTRY & HAEMATOLOGY (updated {c.rng.randint(2022, 2025)})
ANALYTE              VALUE   F  UNITS          RANGE
{_fmt_lab(c, c.rng.randint(10, 14))}
Critical values phoned to the requesting area: K+ >6.5 or <2.5 mmol/L; Na+ <120 mmol/L; glucose <2.5 mmol/L; Hb <70 g/L; platelets <20 x10^9/L.
(Example values shown for training only.)"""


def cl_lab_notice(c: Ctx) -> str:
    return f"""LABORATORY USER NOTICE No. {c.rng.randint(1, 40)} of {c.rng.randint(2023, 2025)}
Change of troponin assay: from the start of next month the laboratory will report high-sensitivity troponin I (99th centile: female 16 ng/L, male 34 ng/L). Results are not interchangeable with the previous troponin T assay.
The ESC 0/1 h algorithm applies. Samples: lithium heparin (green top) or SST (gold top).
Haemolysed samples (HIL index H >150) will be rejected for potassium, LDH and AST.
Phlebotomy hours: 07:30-17:00 weekdays; Emergency Department samples processed 24/7.
Queries: Duty Biochemist via switchboard."""


# ---------------------------------------------------------------- radiology_report
def cl_rad_protocol(c: Ctx) -> str:
    return f"""CT CONTRAST PROTOCOL - ADULTS (Radiology, v{c.rng.randint(2, 7)}.{c.rng.randint(0, 9)})
eGFR >=30 mL/min/1.73m2: proceed. eGFR <30: discuss with the referring team; pre-hydrate 0.9% NaCl 1 mL/kg/h for 12 h if appropriate.
Metformin: no need to stop if eGFR >30.
Previous reaction to iodinated contrast: mild (urticaria) - premedicate per policy; moderate/severe - consultant radiologist decision.
CT pulmonary angiogram: 60 mL iohexol 350 at 4 mL/s, bolus tracking on the pulmonary trunk at 100 HU.
CT abdomen/pelvis portal venous: 100 mL at 3 mL/s, 70 s delay.
Pregnancy check required for ages 12-55 (LMP or beta-hCG).
Scanner models in use: Siemens SOMATOM Force, GE Revolution Apex, Canon Aquilion ONE."""


def cl_rad_teaching(c: Ctx) -> str:
    return f"""TEACHING FILE - <<CHEST|NEURO|MSK|ABDOMEN>>: anonymised report
Clinical: patient in their <<30s|40s|60s|70s>>, <<fever and cough|headache and vomiting|knee locking|RUQ pain>>.
Technique: <<PA chest radiograph|CT head non-contrast|MRI knee 1.5T|US abdomen>>.
Findings: <<lobar consolidation RUL with air bronchograms; no effusion|hyperdense MCA sign on the left; no haemorrhage; ASPECTS 8|bucket-handle tear medial meniscus with double PCL sign|gallstones with wall thickening 5 mm and positive sonographic Murphy's sign>>.
Impression: classic appearance; compare with the {c.rng.randint(2015, 2025)} teaching set.
Key learning: know the Fleischner Society guidance and the Bosniak classification; recognise a Colles fracture vs Smith fracture."""


def cl_rad_drl(c: Ctx) -> str:
    rows = []
    for exam in c.rng.sample(
        [
            "CT head",
            "CT chest",
            "CT abdo/pelvis",
            "CT KUB",
            "CTPA",
            "CT C-spine",
            "XR chest PA",
            "XR lumbar spine AP",
            "Mammography 2-view",
        ],
        6,
    ):
        rows.append(
            f"{exam:<20}{c.rng.uniform(1, 60):7.1f} mGy   {c.rng.randint(60, 1500):>6} mGy.cm   local DRL {c.rng.randint(80, 120)}% of national"
        )
    return f"""DIAGNOSTIC REFERENCE LEVELS - ANNUAL AUDIT {c.rng.randint(2019, 2025)}
EXAM                  CTDIvol         DLP             COMPARISON
{chr(10).join(rows)}
Actions: CT KUB low-dose protocol adopted on scanner 2; paediatric protocols reviewed with the Medical Physics Expert."""


# ---------------------------------------------------------------- csv_export
def cl_csv_agg(c: Ctx) -> str:
    rows = []
    for dept in c.rng.sample(V.DEPARTMENTS, c.rng.randint(5, 9)):
        rows.append(
            f"{c.rng.randint(2020, 2025)},{dept},{c.rng.randint(100, 9000)},{c.rng.uniform(1.5, 14):.1f},{c.rng.uniform(2, 19):.1f}%,{c.rng.randint(0, 40)}"
        )
    return "year,department,admissions,mean_los_days,readmit_30d,falls\n" + "\n".join(rows)


def cl_csv_ageband(c: Ctx) -> str:
    rows = []
    for band in ["0-17", "18-39", "40-64", "65-74", "75-84", "85+"]:
        rows.append(
            f"{band},{c.rng.randint(50, 4000)},{c.rng.randint(0, 300)},{c.rng.uniform(0, 12):.2f},{c.pick(['I10', 'J44.1', 'E11.9', 'N39.0', 'S72.00', 'F05'])}"
        )
    return (
        f"# aggregate extract, small numbers suppressed (<5), year {c.rng.randint(2021, 2025)}\nage_band,attendances,admissions,mortality_pct,top_icd10\n"
        + "\n".join(rows)
    )


def cl_csv_formulary(c: Ctx) -> str:
    rows = []
    for name, dose, freq in c.rng.sample(V.DRUGS, c.rng.randint(6, 10)):
        rows.append(
            f'"{name}","{dose}","{freq}",{c.pick(["green", "amber", "red"])},{c.rng.uniform(0.05, 80):.2f},"0{c.rng.randint(100, 999)}-{c.rng.randint(1000, 9999)}-{c.rng.randint(10, 99)}"'
        )
    return "drug,strength,usual_frequency,traffic_light,unit_cost,ndc\n" + "\n".join(rows)


# ---------------------------------------------------------------- json_export
def cl_json_formulary(c: Ctx) -> str:
    items = []
    for name, dose, freq in c.rng.sample(V.DRUGS, c.rng.randint(3, 6)):
        items.append(
            f'    {{"generic": "{name}", "strength": "{dose}", "frequency": "{freq}", "renal_adjust": {c.pick(["true", "false"])}, "max_daily": "{c.pick(["4 g", "40 mg", "3 doses", "n/a"])}"}}'
        )
    return f"""{{
  "formulary_version": "{c.rng.randint(2020, 2025)}.{c.rng.randint(1, 12)}",
  "section": "<<4.7 Analgesics|2.8 Anticoagulants|5.1 Antibacterials|6.1 Diabetes>>",
  "items": [
{("," + chr(10)).join(items)}
  ]
}}"""


def cl_json_orderset(c: Ctx) -> str:
    return f"""{{"order_set": "<<Community acquired pneumonia - adult|Sepsis - ED|Hip fracture - orthogeriatric|Acute asthma - paediatric>>",
 "template_version": "v{c.rng.randint(1, 9)}.{c.rng.randint(0, 20)}",
 "owner": "Drugs and Therapeutics Committee",
 "orders": [
  {{"type": "lab", "code": "CBC", "default": true}},
  {{"type": "lab", "code": "U&E", "default": true}},
  {{"type": "imaging", "code": "71046", "label": "XR chest 2 views"}},
  {{"type": "med", "drug": "amoxicillin", "dose": "1 g", "route": "PO", "freq": "TDS", "days": 5}},
  {{"type": "nursing", "text": "CURB-65 score, NEWS2 4-hourly, patient may mobilise"}}
 ],
 "icd10": ["J18.9", "J15.9"], "updated_year": {c.rng.randint(2021, 2025)}}}"""


def cl_json_config(c: Ctx) -> str:
    return f"""{{"service": "bedboard", "build": "{c.rng.randint(3, 9)}.{c.rng.randint(0, 30)}.{c.rng.randint(0, 200)}", "wards": [
  {{"name": "Ward 7B", "beds": {c.rng.randint(20, 32)}, "side_rooms": {c.rng.randint(2, 8)}}},
  {{"name": "Stroke Unit", "beds": {c.rng.randint(18, 30)}, "hasu_beds": 6}},
  {{"name": "Resus", "bays": ["Resus 1", "Resus 2", "Resus 3"]}},
  {{"name": "Majors", "cubicles": {c.rng.randint(12, 30)}}}
 ], "refresh_seconds": {c.pick([30, 60, 120])}, "timezone_offset": "+00:00", "feature_flags": {{"show_news2": true, "show_names": false}}}}"""


# ---------------------------------------------------------------- incident_report
def cl_inc_bulletin(c: Ctx) -> str:
    return f"""LEARNING FROM INCIDENTS - BULLETIN NO. {c.rng.randint(10, 99)} ({c.rng.randint(2022, 2025)})
1. A patient in their <<70s|80s>> fell in Bay <<3|4|6>> overnight while walking to the toilet. The call bell was out of reach. Learning: "call bell, phone, glasses" within reach at every intentional rounding check.
2. An insulin dose was omitted in the Emergency Department during a long wait. Learning: time-critical medicines start in ED; the EPR now alerts after 30 min.
3. Look-alike, sound-alike: hydroxyzine and hydralazine. Pharmacy has separated stock locations.
4. A Foley catheter balloon was inflated in the urethra. Learning: confirm urine flow before inflating.
Themes this quarter: {c.rng.randint(5, 60)} falls, {c.rng.randint(1, 30)} pressure ulcers, {c.rng.randint(5, 80)} medication incidents; no never events."""


def cl_inc_minutes(c: Ctx) -> str:
    items = c.rng.sample(COMMITTEE_ITEMS, 4)
    body = "\n".join(
        f"{i + 1}. "
        + t.format(
            p=c.rng.randint(70, 99),
            f=f"{c.rng.uniform(3, 8):.1f}",
            g=f"{c.rng.uniform(3, 8):.1f}",
            k=c.rng.randint(2, 30),
        )
        for i, t in enumerate(items)
    )
    return f"""PATIENT SAFETY COMMITTEE - MINUTES (MEETING {c.rng.randint(1, 12)} OF {c.rng.randint(2022, 2025)})
Present: Chair (Medical Director), Director of Nursing, Head of Pharmacy, Lead for Infection Prevention, Risk Manager, two patient representatives.
Apologies: Clinical Director for Surgery.
{body}
Actions: Risk Manager to circulate the revised Datix taxonomy; Pharmacy to present the Parkinson's medicines audit next meeting.
Next meeting: first Thursday of next quarter, 14:00, Boardroom."""


def cl_inc_it(c: Ctx) -> str:
    return (
        "IT / EQUIPMENT NOTICE\n"
        + c.pick(IT_NOTICES).format(
            v=f"{c.rng.randint(2, 12)}.{c.rng.randint(0, 9)}.{c.rng.randint(0, 99)}",
            n=c.rng.randint(100, 999),
            m=c.pick(V.DEVICE_MODELS),
        )
        + "\nNo patient data was affected. Contact the IT Service Desk via the intranet self-service page."
    )


# ---------------------------------------------------------------- consent_form
def cl_consent_blank(c: Ctx) -> str:
    return f"""CONSENT FORM <<1|2|4>> - PATIENT AGREEMENT TO INVESTIGATION OR TREATMENT
(For adults with capacity / parental consent for a child)
Patient's surname/family name: ____________________
Patient's first names: ____________________
Date of birth: ___/___/______      Hospital number: ______________
Responsible health professional: ____________________  Job title: ____________
NAME OF PROPOSED PROCEDURE OR COURSE OF TREATMENT (include brief explanation if medical term not clear)
______________________________________________________________
Statement of interpreter (where appropriate): ____________________
{_tick(c)} A copy of the patient information leaflet "<<About your anaesthetic|Having a gastroscopy|Your operation and blood clots>>" has been given.
Form version {c.rng.randint(1, 9)}.{c.rng.randint(0, 9)} - review {c.rng.randint(2025, 2028)}"""


def cl_consent_leaflet(c: Ctx) -> str:
    title, points = c.pick(LEAFLETS)
    return f"""PATIENT INFORMATION: {title.upper()}
{title}
{chr(10).join("* " + p for p in points)}
This leaflet supports your consent discussion. You may withdraw consent at any time.
Leaflet code PIL-{c.rng.randint(100, 999)} v{c.rng.randint(1, 6)} | Next review {c.rng.randint(2025, 2028)}
Large print, audio and other languages available on request."""


def cl_protocol(c: Ctx) -> str:
    title, steps = c.pick(PROTOCOL_TOPICS)
    return f"""{title}
{chr(10).join(f"{i + 1}. {s}" for i, s in enumerate(steps))}
Escalate to the critical care outreach team if NEWS2 >=7. Document in the EPR using the relevant smart-phrase.
Guideline owner: <<Acute Medicine|Diabetes and Endocrinology|Stroke|Emergency Medicine>>. Approved by the Clinical Guidelines Group {c.rng.randint(2021, 2025)}."""


# ---------------------------------------------------------------- more PHI-free layouts
def cl_ds_audit(c: Ctx) -> str:
    rows = []
    ns = [c.rng.randint(10, 400) for _ in range(7)]
    total = sum(ns)
    for dec, n in zip(["20s", "30s", "40s", "50s", "60s", "70s", "80s"], ns, strict=True):
        rows.append(
            f"{dec:<8}{n:>6}{c.rng.uniform(1.2, 12.5):>8.1f}{c.rng.randint(40, 99):>7}%{c.rng.randint(0, 25):>7}%"
        )
    return f"""DISCHARGE SUMMARY QUALITY AUDIT - <<MEDICINE|SURGERY|ORTHOPAEDICS>> - {c.rng.randint(2021, 2025)}
Sample: {total} consecutive discharge summaries (identifiers removed before analysis).
AGE      N     LOS(d)  SENT<24H  MED ERRORS
{chr(10).join(rows)}
Findings: summaries for patients in their 80s were least likely to list changes to medicines (e.g. stopping [[brand]] or starting [[drug]]).
Standards: Professional Record Standards Body headings; Academy of Medical Royal Colleges.
Re-audit planned {c.rng.randint(2025, 2027)}."""


def cl_nn_rass(c: Ctx) -> str:
    return """SEDATION AND DELIRIUM - BEDSIDE REFERENCE CARD
RASS  +4 Combative | +3 Very agitated | +2 Agitated | +1 Restless | 0 Alert and calm
      -1 Drowsy | -2 Light sedation | -3 Moderate sedation | -4 Deep sedation | -5 Unrousable
CAM-ICU: feature 1 (acute onset or fluctuating course) AND feature 2 (inattention: "SAVEAHAART" letters, >2 errors) AND feature 3 or 4.
Target RASS 0 to -1 unless prescribed otherwise. Daily sedation hold at <<06:00|08:00|09:00>> unless contraindicated.
haloperidol 0.5-1 mg iv max 5 mg/24h; avoid in parkinson's disease and lewy body dementia.
4AT on the wards: score >=4 possible delirium."""


def cl_nn_fluid(c: Ctx) -> str:
    rows = "\n".join(
        f"{h:02d}:00   ____   ____   ____   ____   ____"
        for h in range(c.pick([6, 7, 8]), 24, c.pick([2, 3, 4]))
    )
    return f"""24 HOUR FLUID BALANCE CHART (blank) - form FB-{c.rng.randint(2, 9)}
Patient label here                         Bay ___ Bed ___
TIME    ORAL   IV     NG     URINE  DRAIN
{rows}
Running total carried to the next sheet at 24:00. Urine output <0.5 mL/kg/h for 2 consecutive hours: inform the nurse in charge.
Foley catheter bag emptied at 06:00 and 18:00."""


def cl_pn_guideline(c: Ctx) -> str:
    return f"""JOURNAL CLUB / GUIDELINE SUMMARY - <<HEART FAILURE|TYPE 2 DIABETES|ATRIAL FIBRILLATION|CKD>>
Key recommendations (summarised from NICE NG{c.rng.randint(100, 240)}, ESC {c.rng.randint(2019, 2024)}, KDIGO {c.rng.randint(2020, 2024)} and ADA Standards of Care {c.rng.randint(2022, 2025)}):
- SGLT2 inhibitors (dapagliflozin 10 mg, empagliflozin 10 mg) reduce hospitalisation for HF regardless of diabetes status (DAPA-HF, EMPEROR-Reduced).
- Offer "four pillars" in HFrEF: ACEi/ARNI, beta-blocker, MRA, SGLT2i; titrate every 2 weeks.
- Anticoagulate AF when CHA2DS2-VASc >=2 (men) or >=3 (women); HAS-BLED guides review, not withholding.
- Target HbA1c 53 mmol/mol (7.0%) for most adults; individualise for frailty.
- eGFR <30 mL/min/1.73m2: review metformin; avoid NSAIDs.
Evidence grading per GRADE. Presented at the departmental meeting; slides on the intranet."""


def cl_hp_frailty(c: Ctx) -> str:
    return """CLINICAL FRAILTY SCALE (CFS) - ADMISSION ASSESSMENT GUIDE
1 Very fit | 2 Fit | 3 Managing well | 4 Living with very mild frailty | 5 Mild frailty
6 Moderate frailty | 7 Severe frailty | 8 Very severe frailty | 9 Terminally ill
Score the patient's baseline two weeks before the acute illness. Use for patients aged 65 and over; not validated under 65 or in stable single-system disability.
Combine with: 4AT, Waterlow/Braden, MUST, Barthel index, timed up and go (>12 s = falls risk).
CFS >=6 prompts Comprehensive Geriatric Assessment within 72 h (Orthogeriatrics / Frailty Unit, Bay <<2|5|7>>)."""


def cl_ems_drugs(c: Ctx) -> str:
    rows = [
        "ADRENALINE 1:1000     0.5 MG IM         ANAPHYLAXIS, REPEAT 5 MIN",
        "AMIODARONE            300 MG IV         VF/PVT AFTER 3RD SHOCK",
        "GLUCAGON              1 MG IM           HYPOGLYCAEMIA, NO IV ACCESS",
        "NALOXONE              400 MCG IM/IV     OPIOID TOXICITY, TITRATE",
        "ONDANSETRON           4 MG IV/IM        NAUSEA/VOMITING",
        "MORPHINE              2.5-5 MG IV       SEVERE PAIN, MAX 20 MG",
        "SALBUTAMOL            5 MG NEB          WHEEZE, REPEAT",
        "GTN                   400 MCG SL        CARDIAC CHEST PAIN, SBP >90",
    ]
    return f"""PARAMEDIC DRUG FORMULARY - QUICK TABLE (V{c.rng.randint(1, 9)}.{c.rng.randint(0, 9)})
DRUG                  DOSE              INDICATION
{chr(10).join(c.rng.sample(rows, c.rng.randint(5, 8)))}
Paediatric doses by weight from the age-based table (age x 2 + 8 = weight in kg for ages 1-10).
Check expiry and seal every shift. [[medic]] crews: controlled drugs double-signed."""


def cl_lab_request_blank(c: Ctx) -> str:
    return f"""PATHOLOGY REQUEST FORM (blank) - ensure three identifiers on sample AND form
Surname ______________  Forename ______________  DOB __/__/____  Hosp no ________
Ward/Dept ____________  Consultant ____________  Bleep/ext ______
{_tick(c)} FBC  {_tick(c)} U&E  {_tick(c)} LFT  {_tick(c)} CRP  {_tick(c)} Coag  {_tick(c)} G&S  {_tick(c)} Crossmatch __ units
{_tick(c)} Blood cultures (aerobic + anaerobic, 8-10 mL each)  {_tick(c)} Lactate
Tube guide: purple EDTA (FBC, HbA1c), gold SST (U&E, LFT), light blue citrate (coag - fill to line), grey fluoride (glucose).
Unlabelled or mislabelled transfusion samples are rejected (zero tolerance)."""


def cl_rad_mri_safety(c: Ctx) -> str:
    rows = []
    for m in c.rng.sample(V.DEVICE_MODELS, 5):
        rows.append(
            f"{m:<28}{c.pick(['MR Conditional 1.5T', 'MR Conditional 1.5T/3T', 'MR Unsafe', 'MR Conditional 1.5T, SAR <2 W/kg'])}"
        )
    return f"""MRI SAFETY - IMPLANT AND DEVICE REFERENCE (MR Safety Expert, v{c.rng.randint(2, 8)})
MODEL                       STATUS
{chr(10).join(rows)}
Cardiac devices: MR Conditional systems only; cardiac physiologist to program MRI mode and restore after scan.
Zone III/IV access restricted; screening form completed by two staff. Quench button location checked weekly."""


def cl_json_device_catalog(c: Ctx) -> str:
    items = ",\n".join(
        f'  {{"model": "{m}", "category": "{c.pick(["infusion pump", "monitor", "ventilator", "CGM", "insulin pump", "defibrillator"])}", "firmware": "{c.rng.randint(1, 9)}.{c.rng.randint(0, 20)}.{c.rng.randint(0, 99)}", "drug_library": "v{c.rng.randint(10, 40)}", "approved": {c.pick(["true", "false"])}}}'
        for m in c.rng.sample(V.DEVICE_MODELS, c.rng.randint(3, 6))
    )
    return f"""[
{items}
]"""


def cl_inc_blank(c: Ctx) -> str:
    return f"""INCIDENT REPORTING FORM (paper downtime version {c.rng.randint(1, 5)}.{c.rng.randint(0, 9)})
Type: {_tick(c)} Slip/trip/fall  {_tick(c)} Medication  {_tick(c)} Pressure ulcer  {_tick(c)} Equipment  {_tick(c)} Information governance  {_tick(c)} Violence/aggression
Harm: none / low / moderate / severe / death
Location (ward/department, bay, bed): ______________
Description (facts only, no opinions; do not include names - use roles, e.g. "staff nurse", "HCA"):
______________________________________________________________
Immediate action taken: ______________________________________
Duty of candour applies if moderate harm or above.
Enter on the electronic system within 24 h when available."""


def cl_consent_vaccine(c: Ctx) -> str:
    return f"""<<SEASONAL INFLUENZA|COVID-19 BOOSTER|RSV|SHINGLES (HERPES ZOSTER)>> VACCINATION - INFORMATION AND CONSENT
Who is eligible: adults aged 65 and over, people aged 18-64 in clinical risk groups, pregnant women, frontline health and social care workers.
Common side effects: sore arm, tiredness, headache, mild fever for 1-2 days.
Do not have the vaccine if you had anaphylaxis to a previous dose or an ingredient.
Guillain-Barre syndrome after a previous dose: discuss with the clinician first.
{_tick(c)} I have read the information  {_tick(c)} I consent  {_tick(c)} I do not consent
Signature ____________   Date ____________
Batch and expiry recorded on the vaccination record, not on this form. Template version {c.rng.randint(2021, 2025)}-v{c.rng.randint(1, 4)}."""


CLEAN_LAYOUTS: dict[str, list[Callable[[Ctx], str]]] = {
    "discharge_summary": [cl_ds_teaching, cl_ds_template, cl_ds_criteria, cl_ds_audit],
    "nursing_note": [cl_nn_huddle, cl_nn_protocol, cl_nn_obs, cl_nn_rass, cl_nn_fluid],
    "progress_note": [cl_pn_mdt, cl_pn_ward_round, cl_protocol, cl_pn_guideline],
    "history_physical": [cl_hp_blank, cl_hp_teaching, cl_hp_frailty],
    "ems_run_report": [cl_ems_protocol, cl_ems_stats, cl_ems_vehicle_check, cl_ems_drugs],
    "pharmacy_log": [cl_ph_stock, cl_ph_interactions, cl_ph_monograph],
    "lab_report": [cl_lab_qc, cl_lab_ranges, cl_lab_notice, cl_lab_request_blank],
    "radiology_report": [cl_rad_protocol, cl_rad_teaching, cl_rad_drl, cl_rad_mri_safety],
    "csv_export": [cl_csv_agg, cl_csv_ageband, cl_csv_formulary],
    "json_export": [cl_json_formulary, cl_json_orderset, cl_json_config, cl_json_device_catalog],
    "incident_report": [cl_inc_bulletin, cl_inc_minutes, cl_inc_it, cl_inc_blank],
    "consent_form": [cl_consent_blank, cl_consent_leaflet, cl_consent_vaccine],
}
