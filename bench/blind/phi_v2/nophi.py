"""PHI-free clinical documents for the blind v2 corpus (no spans at all).

Hand-written paragraph pools, recombined with a per-document random generator. They are full of
hard negatives: eponyms, drug and brand names, doses and ratios, units, scores, codes, room/bed/ward
numbers, departments and roles, years alone, times, durations, ages <= 89, plan and manufacturer
names, capitalised headings and all-caps sections. No person, place, date (more specific than a
year), contact detail or identifier of an individual.
"""


def _pick(c, pool, lo, hi):
    n = min(len(pool), c.r.randint(lo, hi))
    return c.r.sample(pool, n)


def _n(c, a, b):
    return str(c.r.randint(a, b))


def _f(c, a, b, nd=1):
    return f"{c.r.uniform(a, b):.{nd}f}"


EPONYMS = ["Parkinson's disease", "Glasgow Coma Scale", "Foley catheter", "Hodgkin lymphoma", "Crohn's disease",
           "Alzheimer's disease", "Cushing's syndrome", "Addison's disease", "Graves' disease", "Hashimoto's thyroiditis",
           "Bell's palsy", "Guillain-Barré syndrome", "Kernig's sign", "Murphy's sign", "Wells score", "Whipple procedure",
           "Nissen fundoplication", "Hartmann's procedure", "Seldinger technique", "Valsalva manoeuvre", "Trendelenburg position",
           "Cheyne-Stokes respiration", "Wolff-Parkinson-White syndrome", "Brugada pattern", "Mallory-Weiss tear",
           "Barrett's oesophagus", "Kawasaki disease", "Stevens-Johnson syndrome", "Epley manoeuvre", "Dix-Hallpike test",
           "Romberg test", "Lachman test", "Tinel's sign", "Chvostek sign", "Mantoux test", "Gram stain", "Coombs test",
           "Snellen chart", "Bristol Stool Chart", "Beers criteria", "Ottawa ankle rules", "Centor criteria",
           "Mobitz type II block", "Wenckebach", "Colles fracture", "Weber B fracture", "Swan-Ganz catheter", "Hickman line",
           "Tenckhoff catheter", "Babinski sign", "Korotkoff sounds", "Kussmaul breathing", "Child-Pugh class B",
           "Gleason score 3+4", "Salter-Harris II", "Meckel's diverticulum", "Sjögren's syndrome", "Raynaud's phenomenon",
           "Huntington's disease", "Down syndrome", "Turner syndrome", "Marfan syndrome", "Wernicke encephalopathy",
           "Korsakoff syndrome", "Tourette syndrome", "Ménière's disease", "Paget's disease of bone", "Dupuytren's contracture",
           "Osgood-Schlatter disease", "Legionnaires' disease", "Lyme disease", "Burkitt lymphoma", "Kaposi sarcoma",
           "Wilms tumour", "Ewing sarcoma", "Bartholin cyst", "Baker's cyst", "Heberden's nodes", "Apgar 8/9"]
BRANDS = ["Eliquis", "Xarelto", "Lasix", "Keppra", "Januvia", "Jardiance", "Ozempic", "Lantus", "NovoRapid", "Ventolin",
          "Seretide", "Symbicort", "Spiriva", "Augmentin", "Tazocin", "Zofran", "Panadol", "Nurofen", "Lipitor", "Crestor",
          "Synthroid", "Coversyl", "Norvasc", "Zoloft", "Lexapro", "Seroquel", "Endone", "Targin", "OxyContin", "Entresto",
          "Brilinta", "Plavix", "Clexane", "Fragmin", "Humira", "Keytruda", "Dolo 650", "Crocin", "Pan-D", "Glycomet"]
MAKERS = ["Baxter", "Becton Dickinson", "Philips", "Medtronic", "Fresenius Kabi", "B. Braun", "Smiths Medical", "Abbott",
          "Roche Diagnostics", "Siemens Healthineers", "GE HealthCare", "Dräger", "Hamilton Medical", "Mindray", "ICU Medical"]
PLANS = ["BLUE SHIELD PPO", "Aetna Choice POS II", "Medicare Advantage HMO", "Bupa Comprehensive", "HCF Hospital Gold",
         "OHIP+", "PMJAY", "Medibank Silver Plus", "Kaiser Bronze 60", "CGHS"]
DEPTS = ["Cardiology", "ICU", "A&E", "Emergency Department", "Renal Unit", "Acute Medical Unit", "Theatre 4", "Endoscopy",
         "Pharmacy", "Microbiology", "Radiology", "Day Surgery", "Maternity", "NICU", "Oncology Day Unit", "Outpatients"]
ROLES = ["the attending", "charge nurse", "on-call registrar", "the consultant", "ward pharmacist", "the house officer",
         "nurse in charge", "duty manager", "resident", "the anaesthetist", "clinical nurse specialist", "site practitioner"]


def nophi_teaching_case(c, d, heading="DISCHARGE SUMMARY (TEACHING CASE - DE-IDENTIFIED)"):
    r = c.r
    age = r.randint(19, 88)
    sex = r.choice(["man", "woman"])
    dx = r.choice(["community-acquired pneumonia", "acute pancreatitis", "diabetic ketoacidosis", "Guillain-Barré syndrome",
                   "upper GI bleed from a Mallory-Weiss tear", "new atrial fibrillation", "Addisonian crisis", "cellulitis"])
    d.t(f"{heading}\n\nPRESENTATION\nA {age}-year-old {sex} presented to the Emergency Department with {r.randint(2, 10)} days of "
        f"{r.choice(['fever and productive cough', 'epigastric pain radiating to the back', 'polyuria and vomiting', 'ascending weakness'])}. "
        f"Past history of {r.choice(EPONYMS)} and type 2 diabetes (diagnosed in {r.randint(1995, 2020)}). Ex-smoker, {r.randint(5, 60)} pack-years.\n\n")
    d.t(f"FINDINGS\nT {_f(c, 36.5, 39.4)} C, HR {_n(c, 60, 130)}, BP {_n(c, 85, 160)}/{_n(c, 45, 95)}, RR {_n(c, 14, 32)}, SpO2 {_n(c, 86, 99)}% on "
        f"{r.choice(['room air', '2 L nasal cannula', '28% Venturi'])}. GCS 15. {r.choice(EPONYMS)} noted. "
        f"Na {_n(c, 124, 146)} mmol/L, K {_f(c, 2.9, 6.1)} mmol/L, urea {_f(c, 3, 30)} mmol/L, creatinine {_n(c, 55, 340)} umol/L, "
        f"WCC {_f(c, 3, 28)} x10^9/L, CRP {_n(c, 3, 320)} mg/L, lactate {_f(c, 0.6, 6)} mmol/L.\n\n")
    d.t(f"COURSE\nManaged on Ward {r.choice(['7B', '12', '4 North', 'AMU'])}, bed {_n(c, 1, 30)}, under the care of {r.choice(ROLES)}. "
        f"Treated for {dx} with {r.choice(['IV co-amoxiclav', 'fixed-rate insulin infusion', 'IVIG 0.4 g/kg/day for 5 days', 'IV hydrocortisone 100 mg QDS'])}. "
        f"Will continue {r.choice(BRANDS)} at the current dose. Patient may shower. Length of stay {r.randint(2, 19)} days.\n\n")
    d.t(f"LEARNING POINTS\n1. Recognise {r.choice(EPONYMS)} early.\n2. Check {r.choice(['CHA2DS2-VASc and HAS-BLED', 'CURB-65', 'Glasgow-Blatchford score', 'Ranson criteria'])} on admission.\n"
        f"3. Identifiers removed under the Safe Harbor method; years retained, all other date elements removed.\n")


def nophi_discharge(c, d):
    nophi_teaching_case(c, d, c.r.choice(["DISCHARGE SUMMARY (TEACHING CASE - DE-IDENTIFIED)", "Case Study: Discharge Summary",
                                          "M&M MEETING - ANONYMISED DISCHARGE SUMMARY"]))


def nophi_nursing(c, d):
    r = c.r
    lines = [f"Bay {_n(c, 1, 6)} bed {_n(c, 1, 6)}: obs stable, NEWS2 {_n(c, 0, 4)}, pain {_n(c, 0, 5)}/10, mobilising with frame.",
             f"Side room {_n(c, 1, 12)}: barrier nursing for C. diff, Bristol Stool Chart type {_n(c, 5, 7)} x{_n(c, 1, 4)} overnight.",
             f"Foley catheter in situ day {_n(c, 2, 9)}, draining clear urine {_n(c, 30, 90)} mL/hr.",
             f"Braden {_n(c, 9, 20)}, Waterlow {_n(c, 8, 25)}, Morse {_n(c, 15, 80)} - pressure area care 2hrly.",
             f"BM {_f(c, 3.5, 18)} mmol/L at 22:00, {_n(c, 2, 12)} units NovoRapid given per sliding scale.",
             "Will continue IV fluids at 83 mL/hr; patient may eat and drink as tolerated.",
             f"Charge nurse aware of falls risk; bed rails risk assessment done. {_n(c, 65, 88)}yo in bed {_n(c, 1, 8)} confused overnight, 4AT {_n(c, 4, 9)}.",
             "PEWS 1 in paeds bay; parents present.", "Handover given to day staff at 07:30.",
             f"Hickman line dressing changed, site clean. Flushed with 10 mL 0.9% sodium chloride.",
             f"Epidural running at {_n(c, 6, 12)} mL/hr, block to T{_n(c, 6, 10)}, Bromage 0.",
             f"Fluid balance +{_n(c, 200, 1400)} mL for last 24 h. Daily weight {_f(c, 48, 110)} kg."]
    d.t(r.choice(["NIGHT SHIFT HANDOVER - WARD 7B\n", "nursing handover (template example)\n", "Ward Handover Sheet - Example Entries\n", "SBAR handover training example\n"]))
    for ln in _pick(c, lines, 5, 9):
        d.t("- " + ln + "\n")
    d.t(r.choice(["Escalate to on-call registrar if NEWS2 >= 5.\n", "No incidents this shift.\n", "Staffing: 5 RN, 3 HCA. Bleep holder: site practitioner.\n"]))


def nophi_progress(c, d):
    r = c.r
    d.t(r.choice(["SOAP NOTE - EXAMPLE FOR STUDENTS\n", "Progress note template (day 3 post-op)\n", "WARD ROUND NOTE - SIMULATION CASE\n"]))
    d.t(f"S: Tolerating diet, pain controlled on {r.choice(BRANDS)}, passing flatus. Slept {_n(c, 3, 8)} hours.\n")
    d.t(f"O: T {_f(c, 36.2, 38.4)} BP {_n(c, 100, 160)}/{_n(c, 55, 95)} HR {_n(c, 55, 110)} SpO2 {_n(c, 92, 100)}%. Wound clean, Murphy's sign negative. "
        f"Hb {_n(c, 80, 150)} g/L, WCC {_f(c, 4, 18)}, K {_f(c, 3.2, 5.4)}, eGFR {_n(c, 25, 90)} mL/min/1.73m2. BUN/Cr {_n(c, 10, 30)}.\n")
    d.t(f"A: Day {_n(c, 1, 6)} post {r.choice(['laparoscopic cholecystectomy', 'Whipple procedure', 'Hartmann procedure', 'TKR', 'Nissen fundoplication'])}. "
        f"{r.choice(['Progressing well.', 'Ileus resolving.', 'Mild AKI, pre-renal.'])} Background {r.choice(EPONYMS)}.\n")
    d.t(f"P: Continue {r.choice(['enoxaparin 40 mg SC OD', 'apixaban 2.5 mg BD', 'metoprolol 25 mg BD'])}. Will continue physio. May shower. "
        f"Repeat bloods in {_n(c, 24, 72)} hours. Discuss with the consultant on ward round. ICD-10 {r.choice(['K80.20', 'Z48.81', 'N17.9', 'I48.91'])}.\n")


def nophi_hp(c, d):
    r = c.r
    age = r.randint(21, 89)
    d.t(r.choice(["HISTORY AND PHYSICAL - OSCE EXAMPLE\n\n", "H&P TEMPLATE (COMPLETED EXAMPLE)\n\n", "Admission Clerking - Worked Example\n\n"]))
    d.t(f"NAME.......... [REDACTED]\nAGE ......... {age}\nSEX ......... {r.choice(['M', 'F'])}\nADMIT ....... Day 0\n\n")
    d.t(f"CC: {r.choice(['Chest pain for 2 hours', 'Fall with long lie', 'Headache and photophobia', 'Breathlessness'])}.\n"
        f"HPI: {age}-year-old with {r.choice(EPONYMS)} and hypertension. Pain {_n(c, 3, 9)}/10, radiating to the jaw. No syncope.\n"
        f"PMH: {', '.join(r.sample(EPONYMS, 3))}.\n"
        f"DH: {r.choice(BRANDS)} {r.choice(['5 mg OD', '20 mg nocte', '500 mg BD'])}; {r.choice(['carbidopa/levodopa 25/100 mg TDS', 'oxycodone/APAP 5/325 mg PRN', 'co-codamol 30/500 QDS'])}. NKDA.\n"
        f"SH: Retired teacher, quit smoking in {r.randint(1980, 2019)}, {_n(c, 0, 20)} units alcohol/week. Lives with spouse, 2 children in their {r.choice(['40s', '50s', '30s'])}.\n"
        f"EXAM: GCS 15 (E4 V5 M6). HS I+II+0. Chest clear. Abdomen soft. Babinski sign downgoing. Romberg test negative.\n"
        f"IMPRESSION: {r.choice(['ACS - NSTEMI likely', 'Subarachnoid haemorrhage to exclude', 'Mechanical fall, rhabdomyolysis'])}. TIMI {_n(c, 1, 5)}, Wells {_f(c, 0, 6)}.\n"
        f"PLAN: ECG, troponin at 0 and 3 hours, CT if indicated. Will continue home meds.\n")


def nophi_ems(c, d):
    r = c.r
    d.t(r.choice(["EMS PROTOCOL 4.12 - SUSPECTED STROKE\n\n", "PARAMEDIC CLINICAL PRACTICE GUIDELINE: ANAPHYLAXIS\n\n",
                  "Service bulletin: de-identified run review\n\n", "PATIENT CARE REPORT - TRAINING SCENARIO\n\n"]))
    paras = [f"Medic {_n(c, 1, 40)} and Engine {_n(c, 1, 30)} respond priority 1. Time to scene target < {_n(c, 8, 12)} minutes.",
             f"Assess using FAST / BE-FAST; record GCS, BGL (treat if < 4.0 mmol/L) and onset time. Pre-alert the stroke unit if LAMS >= {_n(c, 3, 4)}.",
             f"Adrenaline 1:1000 0.5 mg IM (adult), repeat every 5 minutes. Salbutamol 5 mg nebulised for wheeze. Hydrocortisone 200 mg IV.",
             f"{_n(c, 60, 88)}-year-old male, chest pain, 12-lead ECG shows ST elevation in II, III and aVF. Aspirin 300 mg PO, GTN 400 mcg SL. Transported to cath lab.",
             f"Vitals: BP {_n(c, 80, 180)}/{_n(c, 40, 100)}, HR {_n(c, 40, 140)}, RR {_n(c, 8, 36)}, SpO2 {_n(c, 80, 99)}%, GCS {_n(c, 8, 15)}, pain {_n(c, 2, 10)}/10.",
             "Consider CPAP 5-10 cmH2O for acute pulmonary oedema. Crew may withhold GTN if systolic < 90 mmHg.",
             f"Unit Rescue {_n(c, 1, 9)} on standby. Ambulance 3 diverted. Turnaround {_n(c, 18, 55)} minutes.",
             "Document refusals using the capacity checklist. Will continue to monitor en route.", f"Glasgow Coma Scale and AVPU both recorded; Cincinnati scale positive."]
    for p in _pick(c, paras, 4, 7):
        d.t(p + "\n")


def nophi_pharmacy(c, d):
    r = c.r
    d.t(r.choice(["CONTROLLED DRUG STOCK RECONCILIATION - WARD 7B\n", "Monthly CD Stock Check (Pharmacy Department)\n", "STOCK BALANCE REPORT - THEATRES\n"]))
    d.t(f"{'ITEM':<34}{'NDC/CODE':<16}{'EXPECTED':>9}{'COUNTED':>9}{'VAR':>5}\n")
    items = ["Oxycodone 5 mg tab", "Morphine sulfate 10 mg/mL inj", "Fentanyl 100 mcg/2 mL inj", "Midazolam 5 mg/mL inj",
             "Hydromorphone 2 mg tab", "Lorazepam 1 mg tab", "Ketamine 200 mg/20 mL inj", "Methadone 1 mg/mL oral soln",
             "Diamorphine 10 mg inj", "Tramadol 50 mg cap", "Buprenorphine 5 mcg/h patch", "Oxycodone/APAP 5/325 mg tab"]
    for it in _pick(c, items, 5, 10):
        e = r.randint(5, 200)
        cnt = e if r.random() < 0.8 else e - r.randint(1, 3)
        code = f"{r.randint(0, 99):04d}-{r.randint(1000, 9999)}-{r.randint(10, 99)}"
        d.t(f"{it:<34}{code:<16}{e:>9}{cnt:>9}{cnt - e:>5}\n")
    d.t(f"\nDiscrepancies escalated to the ward pharmacist and nurse in charge. Two-signature check. Supplier: {r.choice(MAKERS)}. Form CD-{_n(c, 1, 9)} v{_n(c, 2, 6)}.\n")


def nophi_lab(c, d):
    r = c.r
    d.t(r.choice(["INTERNAL QUALITY CONTROL - CHEMISTRY ANALYSER 2\n", "LAB QC SHEET: LEVEL 1 / LEVEL 2 CONTROLS\n", "Reference Intervals - Adult Haematology\n"]))
    d.t(f"Analyser: {r.choice(MAKERS)} {r.choice(['cobas c 503', 'Atellica CH', 'Alinity c', 'XN-1000'])}   Westgard rules 1-3s, 2-2s, R-4s\n\n")
    d.t(f"{'ANALYTE':<16}{'TARGET':>8}{'SD':>6}{'RESULT':>8}  {'UNITS':<10}{'STATUS':<8}\n")
    rows = [("Sodium", 140, 1.5, "mmol/L"), ("Potassium", 4.5, 0.1, "mmol/L"), ("Creatinine", 88, 3, "umol/L"), ("Glucose", 5.6, 0.2, "mmol/L"),
            ("ALT", 42, 2, "U/L"), ("Troponin T", 14, 1, "ng/L"), ("TSH", 2.1, 0.1, "mU/L"), ("Haemoglobin", 132, 2, "g/L"),
            ("Platelets", 250, 8, "x10^9/L"), ("WBC", 7.2, 0.3, "x10^9/L"), ("INR", 2.5, 0.1, ""), ("HbA1c", 48, 1.5, "mmol/mol")]
    for a, t, sd, u in _pick(c, rows, 5, 9):
        res = round(t + r.uniform(-2.5, 2.5) * sd, 1)
        st = "PASS" if abs(res - t) <= 2 * sd else "WARN"
        d.t(f"{a:<16}{t:>8}{sd:>6}{res:>8}  {u:<10}{st:<8}\n")
    d.t(f"\nLot changes verified by parallel testing (n={_n(c, 10, 40)}). Reviewed by the duty biomedical scientist. Next calibration in {_n(c, 7, 30)} days.\n")


def nophi_radiology(c, d):
    r = c.r
    d.t(r.choice(["CT PROTOCOL: PULMONARY ANGIOGRAM\n", "RADIOLOGY TEACHING FILE - CASE 14\n", "MRI SAFETY CHECKLIST AND PROTOCOL NOTES\n"]))
    paras = [f"Contrast: {r.choice(['Omnipaque 350', 'Visipaque 320', 'Gadovist 1.0'])} {_n(c, 50, 100)} mL at {_n(c, 3, 5)} mL/s, bolus tracking at the pulmonary trunk, trigger {_n(c, 100, 150)} HU.",
             f"eGFR must be > {_n(c, 30, 45)} mL/min/1.73m2 within 3 months; metformin need not be withheld if eGFR > 30.",
             f"FINDINGS (teaching case): {_n(c, 40, 88)}-year-old with {r.choice(EPONYMS)}. Filling defects in the segmental arteries of the right lower lobe. RV/LV ratio {_f(c, 0.8, 1.4)}.",
             "IMPRESSION: Acute pulmonary embolism without CT evidence of right heart strain. BI-RADS and LI-RADS not applicable.",
             f"Pacemakers labelled MR-conditional ({r.choice(MAKERS)}) may be scanned in 1.5 T only, with cardiology present and the device in MRI mode.",
             f"Dose: CTDIvol {_f(c, 4, 18)} mGy, DLP {_n(c, 150, 900)} mGy.cm. Slice thickness {_f(c, 0.6, 5)} mm.",
             "Fleischner Society guidance applies to incidental nodules < 6 mm in low-risk patients: no routine follow-up.",
             f"Salter-Harris II fracture of the distal radius; Colles-type dorsal angulation {_n(c, 10, 35)} degrees."]
    for p in _pick(c, paras, 4, 7):
        d.t(p + "\n\n")


def nophi_csv(c, d):
    r = c.r
    v = r.randrange(3)
    if v == 0:
        d.t("age_band,sex,admissions,mean_los_days,readmit_30d_pct,mortality_pct\n")
        for band in ["0-17", "18-39", "40-64", "65-79", "80+"]:
            for sx in ["F", "M"]:
                d.t(f"{band},{sx},{r.randint(40, 2400)},{r.uniform(1.5, 11):.1f},{r.uniform(2, 19):.1f},{r.uniform(0, 9):.2f}\n")
    elif v == 1:
        d.t("year,quarter,ward,falls,falls_with_harm,pressure_ulcers_cat2plus,occupied_bed_days\n")
        y = r.randint(2019, 2025)
        for q in range(1, 5):
            for w in r.sample(["7B", "AMU", "ICU", "4N", "Ward 12", "CCU"], 3):
                d.t(f"{y},Q{q},{w},{r.randint(0, 30)},{r.randint(0, 4)},{r.randint(0, 9)},{r.randint(800, 3200)}\n")
    else:
        d.t("icd10,description,count,pct\n")
        rows = [("I21.4", "NSTEMI"), ("J18.9", "Pneumonia, unspecified"), ("N39.0", "UTI, site not specified"), ("G20", "Parkinson's disease"),
                ("K50.9", "Crohn's disease, unspecified"), ("C81.9", "Hodgkin lymphoma, unspecified"), ("E11.9", "Type 2 diabetes"),
                ("I48.0", "Paroxysmal atrial fibrillation"), ("S72.0", "Fracture of neck of femur"), ("F03", "Unspecified dementia")]
        for code, desc in _pick(c, rows, 5, 10):
            d.t(f'{code},"{desc}",{r.randint(5, 900)},{r.uniform(0.2, 14):.1f}\n')


def nophi_json(c, d):
    r = c.r
    drugs = [("apixaban", "Eliquis", "2.5 mg, 5 mg", "B01AF02"), ("furosemide", "Lasix", "20 mg, 40 mg", "C03CA01"),
             ("levetiracetam", "Keppra", "250 mg, 500 mg", "N03AX14"), ("empagliflozin", "Jardiance", "10 mg, 25 mg", "A10BK03"),
             ("sitagliptin", "Januvia", "50 mg, 100 mg", "A10BH01"), ("ticagrelor", "Brilinta", "60 mg, 90 mg", "B01AC24"),
             ("sacubitril/valsartan", "Entresto", "24/26 mg, 49/51 mg", "C09DX04"), ("quetiapine", "Seroquel", "25 mg, 100 mg", "N05AH04"),
             ("rosuvastatin", "Crestor", "10 mg, 20 mg", "C10AA07"), ("enoxaparin", "Clexane", "40 mg/0.4 mL", "B01AB05")]
    d.t('{\n  "formulary": "Adult Inpatient Formulary",\n  "version": "' + f"{r.randint(3, 9)}.{r.randint(0, 9)}" + '",\n  "review_year": ' + str(r.randint(2024, 2027)) + ',\n  "items": [\n')
    sel = _pick(c, drugs, 3, 6)
    for i, (g, b, s, atc) in enumerate(sel):
        d.t(f'    {{"generic": "{g}", "brand": "{b}", "strengths": "{s}", "atc": "{atc}", "restricted": {str(r.random() < 0.3).lower()}, '
            f'"renal_adjust_below_egfr": {r.choice([15, 30, 45, 50])}, "ndc": "{r.randint(0, 99):04d}-{r.randint(1000, 9999)}-{r.randint(10, 99)}"}}'
            + ("," if i < len(sel) - 1 else "") + "\n")
    d.t('  ],\n  "approved_by": "Drugs and Therapeutics Committee"\n}')


def nophi_incident(c, d):
    r = c.r
    d.t(r.choice(["PATIENT SAFETY BULLETIN (ANONYMISED)\n\n", "Learning from Incidents - Quarterly Summary\n\n", "SERIOUS INCIDENT THEMES - DE-IDENTIFIED\n\n"]))
    paras = [f"Falls: {_n(c, 10, 80)} reported this quarter, {_n(c, 0, 6)} with moderate harm. Most occurred between 02:00 and 06:00 in side rooms.",
             f"Medication errors: {_n(c, 5, 40)} incidents; the commonest was omitted enoxaparin doses. Insulin errors remain a never-event risk.",
             "A patient in bed 4, bay 2 received a tenfold dose of morphine from a 10 mg/mL ampoule. No lasting harm. Actions: stock 1 mg/mL only.",
             f"Infusion pump alarms ({r.choice(MAKERS)}): free-flow risk when the cassette is removed with the clamp open. Manufacturer field notice circulated.",
             "EHR access audit found inappropriate record access by staff; the individuals have been managed through HR. Reminder: access only records of patients in your care.",
             "Car park barrier damage at level 2 - estates have repainted the height markings.",
             f"Pressure ulcers: {_n(c, 2, 20)} category 2+ acquired on wards, Braden < 12 in most cases.",
             "The charge nurse and the on-call registrar should be informed of any fall with head strike; neuro obs for 24 hours using the Glasgow Coma Scale."]
    for p in _pick(c, paras, 4, 7):
        d.t("* " + p + "\n")


def nophi_consent(c, d):
    r = c.r
    d.t(r.choice(["CONSENT FORM 1 - PATIENT AGREEMENT TO INVESTIGATION OR TREATMENT\n(blank template)\n\n",
                  "Consent for Blood Transfusion - Template v4\n\n", "INFORMED CONSENT: ENDOSCOPY (BLANK)\n\n"]))
    d.t("Patient name: ______________________\nDate of birth: ____ / ____ / ________\nHospital number: ______________\n\n")
    d.t(f"Procedure: {r.choice(['Colonoscopy', 'Gastroscopy (OGD)', 'Transfusion of red cells', 'Laparoscopic cholecystectomy'])}\n")
    d.t("Intended benefits: diagnosis, treatment of bleeding, relief of symptoms.\nSerious or frequent risks: perforation (1 in 1,500), bleeding, missed lesion, reaction to sedation (midazolam/fentanyl).\n")
    d.t("I understand that I may withdraw consent at any time. The clinician will explain any additional procedures.\n\n")
    d.t("Signature of patient: ______________   Date: ___________\nInterpreter (if used): ______________\nWitness: ______________\n")
    d.t(f"Form ref CF{_n(c, 1, 4)} version {_n(c, 2, 9)}.{_n(c, 0, 9)} (reviewed {r.randint(2022, 2026)})\n")


def nophi_monograph(c, d):
    r = c.r
    g, b, ind = r.choice([("Apixaban", "Eliquis", "Prevention of stroke in non-valvular AF; treatment of DVT/PE."),
                          ("Levetiracetam", "Keppra", "Focal and generalised seizures."),
                          ("Empagliflozin", "Jardiance", "Type 2 diabetes; heart failure; CKD."),
                          ("Furosemide", "Lasix", "Oedema due to heart failure, renal or hepatic disease."),
                          ("Oxycodone", "OxyContin", "Severe pain requiring an opioid analgesic."),
                          ("Carbidopa/levodopa", "Sinemet", "Parkinson disease and parkinsonism."),
                          ("Metformin", "Glycomet", "Type 2 diabetes mellitus, first line.")])
    d.t(f"{g.upper()} ({b})\nDRUG MONOGRAPH\n\n")
    d.t(f"INDICATIONS\n{ind}\n\n")
    d.t(f"DOSING\nAdult: {_n(c, 2, 10)}{r.choice([' mg', '0 mg'])} {r.choice(['BD', 'once daily', 'TDS'])}. Reduce in CrCl {_n(c, 15, 50)}-{_n(c, 50, 60)} mL/min. "
        f"Elderly (over 80) or weight <= 60 kg: see dose-reduction table. Max {_n(c, 20, 3000)} mg/day.\n\n")
    d.t(f"INTERACTIONS\nStrong CYP3A4 inhibitors (ketoconazole, clarithromycin) increase levels by ~{_n(c, 40, 120)}%. Rifampicin and St John's wort reduce exposure. "
        f"Avoid with {r.choice(['Xarelto', 'Brilinta', 'Plavix', 'NSAIDs'])}.\n\n")
    d.t(f"ADVERSE EFFECTS\nBleeding ({_n(c, 1, 12)}%), nausea, dizziness. Rare: Stevens-Johnson syndrome, angioedema.\n\n")
    d.t(f"MONITORING\nFBC, U&E, LFTs at baseline then every {_n(c, 3, 12)} months. Pregnancy category {r.choice('BCD')}.\nManufacturer: {r.choice(MAKERS)}. NDC {r.randint(0, 99):04d}-{r.randint(1000, 9999)}-{r.randint(10, 99)}.\n")


def nophi_interactions(c, d):
    r = c.r
    pairs = [("warfarin", "clarithromycin", "major", "INR rise; monitor INR within 3-5 days"),
             ("simvastatin", "amiodarone", "major", "myopathy; max simvastatin 20 mg"),
             ("sertraline", "tramadol", "major", "serotonin syndrome"),
             ("lithium", "ramipril", "moderate", "lithium toxicity; check levels"),
             ("methotrexate", "trimethoprim", "major", "bone marrow suppression"),
             ("clopidogrel", "omeprazole", "moderate", "reduced antiplatelet effect; prefer pantoprazole"),
             ("spironolactone", "potassium chloride", "major", "hyperkalaemia (K > 6.0 mmol/L)"),
             ("levodopa", "metoclopramide", "major", "worsens Parkinson's disease"),
             ("digoxin", "verapamil", "moderate", "bradycardia; digoxin level 0.5-0.9 ng/mL"),
             ("ciprofloxacin", "theophylline", "major", "seizures")]
    d.t(r.choice(["DRUG INTERACTION QUICK REFERENCE\n\n", "Interaction Checker Output - Example\n\n", "HIGH-RISK INTERACTIONS (WARD POCKET CARD)\n\n"]))
    d.t(f"{'DRUG A':<16}{'DRUG B':<20}{'SEVERITY':<10}EFFECT / ACTION\n")
    for a, b, s, e in _pick(c, pairs, 4, 9):
        d.t(f"{a:<16}{b:<20}{s:<10}{e}\n")


PROTOCOLS = {
    "SEPSIS SIX PROTOCOL": [
        "1. Give high-flow oxygen to target SpO2 94-98% (88-92% if at risk of hypercapnia).",
        "2. Take blood cultures before antibiotics; lactate; FBC, U&E, CRP, clotting.",
        "3. Give IV antibiotics within 1 hour (e.g. piperacillin/tazobactam 4.5 g, Tazocin).",
        "4. Fluid bolus 500 mL crystalloid over 15 minutes if SBP < 90 or lactate > 2.",
        "5. Insert a Foley catheter and monitor hourly urine output (target > 0.5 mL/kg/h).",
        "6. Escalate to ICU outreach if NEWS2 >= 7 or no response after {N30_60} minutes."],
    "Adult DKA Management Protocol": [
        "Confirm: ketones >= 3.0 mmol/L, glucose > 11.0 mmol/L or known diabetes, bicarbonate < 15 mmol/L or pH < 7.3.",
        "Fixed-rate IV insulin 0.1 units/kg/h; continue Lantus (glargine) at the usual dose.",
        "Sodium chloride 0.9% 1 L over 1 hour, then 1 L over 2 hours, then 1 L over 2 hours.",
        "Add glucose 10% at 125 mL/h when glucose < 14 mmol/L.",
        "Check capillary ketones hourly (target fall >= 0.5 mmol/L/h) and venous K at 1, 2 and 4 hours.",
        "Potassium replacement: 40 mmol/L if K 3.5-5.5; senior review if K < 3.5."],
    "HYPERKALAEMIA TREATMENT ALGORITHM": [
        "Mild K 5.5-5.9, moderate 6.0-6.4, severe >= 6.5 mmol/L.",
        "Calcium gluconate 10% 30 mL IV over 10 minutes if ECG changes (peaked T waves, broad QRS).",
        "Insulin 10 units Actrapid with 25 g glucose IV over 15 minutes; monitor glucose for 6 hours.",
        "Salbutamol 10-20 mg nebulised as adjunct.",
        "Consider Lokelma (sodium zirconium cyclosilicate) 10 g TDS.",
        "Refer to the Renal Unit if refractory or K >= 6.5 with AKI."],
    "VTE Prophylaxis Protocol": [
        "Assess all adults on admission using the Caprini score or national risk tool.",
        "Caprini score >= 3: enoxaparin 40 mg SC daily unless CrCl < 30 mL/min (20 mg).",
        "Mechanical prophylaxis (anti-embolism stockings, IPC) if bleeding risk is high.",
        "Weight > 100 kg: enoxaparin 40 mg BD. Weight < 50 kg: 20 mg daily.",
        "Hold 12 hours before neuraxial anaesthesia; restart 4 hours after catheter removal.",
        "Reassess within 24 hours and whenever the clinical situation changes."],
}


def nophi_protocol(c, d):
    r = c.r
    t = r.choice(sorted(PROTOCOLS))
    d.t(f"{t}\nVersion {_n(c, 2, 8)}.{_n(c, 0, 9)}   Review due {r.randint(2026, 2029)}\n\n")
    steps = PROTOCOLS[t]
    k = r.randint(4, len(steps))
    for s in steps[:k]:
        d.t(s.replace("{N30_60}", _n(c, 30, 60)) + "\n")
    d.t("The attending may modify the protocol; document the reason. Will continue until criteria met.\n")
    d.t(f"\nApproved by the {r.choice(['Critical Care', 'Diabetes', 'Thrombosis', 'Acute Medicine'])} Committee. Contact the on-call registrar via switchboard.\n")


def nophi_guideline(c, d):
    r = c.r
    d.t(r.choice(["GUIDELINE SUMMARY: HEART FAILURE WITH REDUCED EJECTION FRACTION\n\n", "Summary of Recommendations - Hypertension in Adults\n\n",
                  "ASTHMA STEPWISE MANAGEMENT (SUMMARY)\n\n", "Atrial Fibrillation: Anticoagulation Summary\n\n"]))
    recs = [f"Offer ACE inhibitor (or ARNI such as Entresto), beta-blocker, MRA and SGLT2 inhibitor (Jardiance or Forxiga) - the four pillars.",
            f"Target BP < {_n(c, 130, 140)}/{_n(c, 80, 90)} mmHg in adults under 80; < 150/90 mmHg aged 80 and over.",
            "Use CHA2DS2-VASc to assess stroke risk and HAS-BLED to identify modifiable bleeding risks. DOAC preferred over warfarin.",
            f"Step 2: low-dose ICS plus LABA (Symbicort MART). Check inhaler technique and adherence at every review.",
            f"Measure NT-proBNP; refer urgently if > {_n(c, 1500, 2500)} ng/L.",
            "Grade of evidence: 1A. Strength: strong. Level of certainty moderate.",
            f"In patients with Parkinson's disease or Alzheimer's disease, review orthostatic hypotension before titrating.",
            f"Echocardiography within {_n(c, 2, 6)} weeks. NYHA class II-IV benefit most.",
            "Source: national guideline committee; years of publication cited only. Will be updated when new evidence emerges."]
    for x in _pick(c, recs, 4, 7):
        d.t("- " + x + "\n")


def nophi_leaflet(c, d):
    r = c.r
    t = r.choice(["Going Home After Your Hip Replacement", "YOUR FOLEY CATHETER: A GUIDE FOR PATIENTS", "Living Well with Crohn's Disease",
                  "Taking Warfarin Safely", "Understanding Parkinson's Disease", "Caring For Someone With Dementia"])
    d.t(f"{t}\nPatient information leaflet\n\n")
    paras = ["What is it?\nThis leaflet explains what to expect and answers common questions. Please ask the nurse in charge if anything is unclear.",
             f"You may shower after {_n(c, 2, 7)} days. Keep the wound dry and do not soak in a bath for {_n(c, 2, 6)} weeks.",
             f"Take paracetamol 1 g up to four times a day (maximum 4 g in 24 hours). Do not take ibuprofen (Nurofen) with warfarin.",
             "Grace, hope and patience: recovery takes time. Will you need help at home? Tell us before you leave the ward.",
             f"Your INR target is usually {_f(c, 2, 3)}. Eat a steady amount of green vegetables. Avoid cranberry juice.",
             "Contact your GP or NHS 111, or in an emergency call 999 (or 911 / 000 / 112 where you live).",
             "Signs of infection: fever above 38 C, redness, swelling, discharge or pain that gets worse.",
             f"Exercises: ankle pumps 10 times every hour, heel slides {_n(c, 5, 15)} times three times a day.",
             "This leaflet is available in large print and other languages. Leaflet number PIL-ORTHO version 3, review 2027."]
    for p in _pick(c, paras, 4, 7):
        d.t(p + "\n\n")


def nophi_orderset(c, d):
    r = c.r
    d.t(r.choice(["ORDER SET: COMMUNITY-ACQUIRED PNEUMONIA (ADULT)\n", "Admission Order Set - Chest Pain\n", "POST-OP ORDERS: TOTAL KNEE ARTHROPLASTY\n"]))
    orders = [f"[ ] Admit to: Ward ____ / ICU  Condition: stable", f"[x] Vital signs q{_n(c, 2, 6)}h; notify if SBP < 90 or HR > 120",
              f"[x] Diet: NPO after midnight, then as tolerated", f"[ ] Ceftriaxone 1 g IV q24h + azithromycin 500 mg PO daily",
              f"[x] Enoxaparin 40 mg SC daily (CrCl >= 30)", f"[ ] Heparin 5000 units SC q8h", f"[x] Paracetamol 1 g PO q6h PRN pain (max 4 g/day)",
              f"[ ] Hydrocodone/APAP 5/325 mg 1-2 tab PO q4h PRN", f"[x] Labs: CBC, CMP, troponin, lactate, blood cultures x2",
              f"[x] Foley catheter - remove POD 1", f"[ ] Physio: mobilise day 0; CPM machine {_n(c, 0, 40)}-{_n(c, 60, 90)} degrees",
              f"[x] Insulin sliding scale per protocol (Humalog)", f"[ ] Consult: Cardiology / Respiratory / Social work",
              f"[x] CURB-65 documented; Braden and Morse on admission", "[ ] Code status: Full / DNACPR (discuss with the attending)"]
    for o in _pick(c, orders, 6, 11):
        d.t(o + "\n")
    d.t(f"Order set version {_n(c, 1, 12)}.{_n(c, 0, 9)} - Pharmacy and Therapeutics approved {r.randint(2022, 2026)}\n")


def nophi_itnotice(c, d):
    r = c.r
    d.t(r.choice(["IT SERVICE NOTICE: EHR DOWNTIME\n\n", "Clinical Systems Update - Release Notes\n\n", "EQUIPMENT NOTICE: INFUSION PUMP SOFTWARE UPGRADE\n\n"]))
    paras = [f"Planned downtime of the electronic health record this Sunday from 01:00 to 05:00. Use paper downtime forms (Form DT-{_n(c, 1, 9)}).",
             f"All {r.choice(MAKERS)} volumetric pumps will be upgraded to drug library v{_n(c, 10, 40)}.{_n(c, 0, 9)}. Biomedical engineering will visit each ward.",
             "Bar-code medication administration scanners must be docked at the end of each shift.",
             "Do not share smartcards or passwords. Lock the workstation when you step away (Windows key + L).",
             f"Release {_n(c, 2, 9)}.{_n(c, 0, 20)}: new sepsis alert, Glasgow Coma Scale flowsheet, Morse falls score auto-calculation.",
             "The printer in the Emergency Department nurses' station is being replaced. Print to the ward clerk's printer in the meantime.",
             "Known issue: lab results may display with a delay of up to 10 minutes. The service desk is aware; a fix will be deployed.",
             f"Training sessions held in the Education Centre, room {_n(c, 1, 12)}, at 08:00 and 13:30 daily."]
    for p in _pick(c, paras, 3, 6):
        d.t(p + "\n\n")


def nophi_stats(c, d):
    r = c.r
    if r.random() < 0.35:
        d.t("Quarterly Activity Statistics - Emergency Department\n\n")
        d.t(f"{'Measure':<40}{'Q1':>8}{'Q2':>8}{'Q3':>8}{'Q4':>8}\n")
        for m in _pick(c, ["Attendances", "Admissions", "Left without being seen", "Ambulance arrivals", "4-hour breaches",
                           "Median time to triage (min)", "Patients aged 75-89", "Paediatric attendances", "Mental health referrals"], 5, 8):
            d.t(f"{m:<40}" + "".join(f"{r.randint(10, 9000):>8}" for _ in range(4)) + "\n")
        d.t(f"\nSource: ED information system, financial year {r.randint(2019, 2025)}. Small numbers (< 5) suppressed.\n")
        return
    d.t(r.choice(["TABLE 2. BASELINE CHARACTERISTICS OF THE STUDY POPULATION\n\n", "Table 3: Outcomes by Treatment Arm\n\n"]))
    d.t(f"{'Characteristic':<34}{'Arm A (n=' + _n(c, 100, 900) + ')':>18}{'Arm B (n=' + _n(c, 100, 900) + ')':>18}{'p':>8}\n")
    rows = [("Age, years, mean (SD)", lambda: f"{r.uniform(55, 75):.1f} ({r.uniform(8, 14):.1f})"),
            ("Female sex, n (%)", lambda: f"{r.randint(40, 400)} ({r.uniform(30, 60):.1f})"),
            ("BMI, kg/m2, median (IQR)", lambda: f"{r.uniform(24, 31):.1f} ({r.uniform(21, 24):.0f}-{r.uniform(31, 36):.0f})"),
            ("eGFR < 60 mL/min/1.73m2, n (%)", lambda: f"{r.randint(20, 200)} ({r.uniform(10, 40):.1f})"),
            ("HbA1c, mmol/mol, mean", lambda: f"{r.uniform(48, 70):.1f}"),
            ("NYHA class III-IV, n (%)", lambda: f"{r.randint(10, 150)} ({r.uniform(5, 30):.1f})"),
            ("Parkinson's disease, n (%)", lambda: f"{r.randint(1, 40)} ({r.uniform(0.5, 6):.1f})"),
            ("Prior stroke/TIA, n (%)", lambda: f"{r.randint(5, 90)} ({r.uniform(2, 15):.1f})"),
            ("Median follow-up, months", lambda: f"{r.uniform(10, 40):.1f}"),
            ("Hazard ratio (95% CI)", lambda: f"{r.uniform(0.6, 1.1):.2f} ({r.uniform(0.4, 0.6):.2f}-{r.uniform(1.0, 1.3):.2f})")]
    for name, fn in _pick(c, rows, 5, 9):
        d.t(f"{name:<34}{fn():>18}{fn():>18}{r.uniform(0.001, 0.9):>8.3f}\n")
    d.t(f"\nData are from {r.randint(2015, 2020)}-{r.randint(2021, 2025)}. Percentages may not sum to 100 because of rounding.\n")


NOPHI_KINDS = {
    "discharge_summary": nophi_discharge, "nursing_note": nophi_nursing, "progress_note": nophi_progress,
    "history_physical": nophi_hp, "ems_run_report": nophi_ems, "pharmacy_log": nophi_pharmacy, "lab_report": nophi_lab,
    "radiology_report": nophi_radiology, "csv_export": nophi_csv, "json_export": nophi_json, "incident_report": nophi_incident,
    "consent_form": nophi_consent, "drug_monograph": nophi_monograph, "drug_interactions": nophi_interactions,
    "clinical_protocol": nophi_protocol, "guideline_summary": nophi_guideline, "patient_leaflet": nophi_leaflet,
    "order_set": nophi_orderset, "it_notice": nophi_itnotice, "statistics_table": nophi_stats,
}
