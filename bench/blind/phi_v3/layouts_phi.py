"""Hand-written skeletons of documents that contain PHI, four or more per document kind.

Each function takes the document context and returns a template. ``[[key]]`` is a value (see
``engine.Ctx.resolve``), ``<<a|b>>`` a choice of wording. Layouts were written from SPEC.md alone.
"""

from __future__ import annotations

from collections.abc import Callable

from engine import Ctx


def addr_line(c: Ctx, n: str = "", multiline: bool = False) -> str:
    """One postal address in the locale's shape: street, town, (state), postcode."""
    sep = "\n" if multiline else ", "
    loc = c.locale
    if loc == "en_US":
        return f"[[addr{n}]]{sep}[[town{n}]], [[state{n}]] [[zip{n}]]"
    if loc == "en_GB":
        county = f"{sep}[[county{n}]]" if c.chance(0.3) else ""
        return f"[[addr{n}]]{sep}[[town{n}]]{county}{sep}[[zip{n}]]"
    if loc == "en_CA":
        return (
            f"[[addr{n}]]{sep}[[town{n}]] [[state{n}]]  [[zip{n}]]"
            if c.chance(0.4)
            else f"[[addr{n}]]{sep}[[town{n}]], [[state{n}]] [[zip{n}]]"
        )
    if loc == "en_AU":
        return f"[[addr{n}]]{sep}[[town{n}]] [[state{n}]] [[zip{n}]]"
    return f"[[addr{n}]]{sep}[[hood{n}]], [[town{n}]] - [[zip{n}]]{sep}[[state{n}]]"


def natid_label(c: Ctx) -> str:
    return {"en_US": "SSN", "en_CA": "SIN", "en_GB": "NI No", "en_AU": "TFN", "en_IN": "Aadhaar"}[c.locale]


def plan_label(c: Ctx) -> str:
    return {
        "en_US": "Member ID",
        "en_CA": "Health card",
        "en_GB": "Policy no",
        "en_AU": "Medicare No",
        "en_IN": "PMJAY ID",
    }[c.locale]


def mrn_label(c: Ctx) -> str:
    return c.pick(
        {
            "en_US": ["MRN", "MR#", "Med Rec No", "Chart #"],
            "en_GB": ["Hosp No", "NHS No", "MRN", "Unit No"],
            "en_CA": ["MRN", "Chart No", "Dossier"],
            "en_AU": ["UR No", "UR", "MRN"],
            "en_IN": ["UHID", "IP No", "Reg No", "CR No"],
        }[c.locale]
    )


def reg_label(c: Ctx) -> str:
    return {"en_US": "Lic", "en_GB": "GMC", "en_CA": "CPSO", "en_AU": "AHPRA", "en_IN": "Reg. No."}[c.locale]


def cred(c: Ctx) -> str:
    return c.pick(
        {
            "en_US": ["MD", "DO", "MD, FACP", "NP", "PA-C"],
            "en_GB": ["MBChB MRCP", "FRCP", "MBBS", "FRCS"],
            "en_CA": ["MD FRCPC", "MD CCFP", "MD"],
            "en_AU": ["MBBS FRACP", "FRACGP", "MBBS"],
            "en_IN": ["MBBS, MD", "MS (Ortho)", "MBBS DNB"],
        }[c.locale]
    )


# ---------------------------------------------------------------- discharge_summary
def ds_classic(c: Ctx) -> str:
    return f"""[[fac]]
DISCHARGE SUMMARY

Patient: [[p0.Lf]]        {mrn_label(c)}: [[mrn]]
DOB: [[dob.num]]   Sex: [[sex]]   Acct: [[acct]]
Admitted: [[d0.num]]    Discharged: [[d4.num]]
Attending: Dr. [[dr1.full]], {cred(c)}

PRINCIPAL DIAGNOSIS: community acquired pneumonia, RLL
SECONDARY: CKD stage 3b, <<T2DM on insulin|AF on apixaban|COPD (GOLD 2)>>, hx of [[eponym]]

HOSPITAL COURSE: [[age]] y/o [[man]] presented to ED via [[medic]] w/ 3/7 hx productive cough, fevers, SOB. CURB-65 2. Started on IV [[drug]], switched to PO on day 3. Seen by <<renal|the diabetes team|physio>> in [[room]]. [[He]] was reviewed by Dr [[dr2.last]] on [[d2.md]] who agreed with plan. <<Pt lives alone|Lives with [[rel1.first]] ([[his]] <<daughter|son|partner>>)>> at [[addr]], [[town]], and <<will be visited daily|has carers BD>>.

DISCHARGE MEDS:
- [[drug]]
- [[drug2]]
- paracetamol 1 g QID PRN

FOLLOW UP: GP in 1/52. Repeat CXR 6/52 at [[fac2]]. Clinic letter to Dr [[dr2.init]].
Questions: ward clerk on [[phone]] or bleep [[ext]].

Electronically signed: [[dr1.full]] {cred(c)} [[d4.long]] [[d4.time]]"""


def ds_dictated(c: Ctx) -> str:
    return f"""DISCHARGE SUMMARY - DICTATED NOT READ
RE: [[p0.FL]]   D.O.B. [[dob.long]]   {mrn_label(c)} [[mrn]]

this is dr [[dr1.lowerl]] dictating a discharge summary on [[p0.full]] comma date of birth [[dob.long]] period. patient was admitted on [[d0.long]] and discharged [[d3.ord]] period new paragraph
history of presenting complaint colon [[p0.first]] is a [[oldage]]-year-old <<retired teacher|former fitter|widowed homemaker>> from [[town]] who had a fall at home on [[d0.md]] full stop. lives with [[his]] <<niece|grandson|daughter-in-law>> [[rel1.first]] at [[addr]] period. found on floor by neighbour comma long lie approx 6 hours period. CK 2340 comma AKI stage 1 period
plan colon home with package of care comma follow up falls clinic at [[fac]] period. [[rel1.first]] can be reached on [[phone]] period end of dictation
[[dr1.init]] / tr. [[x1.init]] / job [[order]]
D: [[d3.num]] T: [[d4.num]]"""


def ds_table(c: Ctx) -> str:
    return f"""=== DISCHARGE / TRANSFER OF CARE ===
| Name            | [[p0.lf]]
| {mrn_label(c):<15} | [[mrn]]
| {natid_label(c):<15} | [[ssn]]
| Address         | {addr_line(c)}
| Phone           | [[phone]]
| NOK             | [[rel1.full]] (<<wife|husband|son|daughter|sister>>) [[phone2]]
| GP              | Dr [[dr2.full]], [[gp]]
| Admission       | [[d0.num]] to [[d5.num]] ([[dept]])
| Discharged to   | <<usual residence|[[care]]|relative's home>>

Summary: [[age]][[sex]]. Admitted with decompensated HF. Diuresed 6.2 kg with [[drug]]. Echo: EF 30-35%, mod MR. <<Rate controlled AF.|Known [[eponym]].|Background [[eponym]], stable.>>
Changes: started [[drug2]]; STOP [[brand]].
Bloods for U&E on [[d9.md]] at GP. Next OPD: [[d14.abbr]] with Dr [[dr1.last]].
Completed by: [[rn1.full]], discharge coordinator, ext [[ext]]"""


def ds_transfer_old(c: Ctx) -> str:
    return """INTER-FACILITY TRANSFER SUMMARY
From: [[fac]]  ->  To: [[fac2]]
Patient [[p0.full]] ([[mrn]]), aged <<[[oldage]]|[[oldw]]>>, DOB [[dobold.num]].
<<Admitted|Adm>> [[d0.short]]; transfer [[d6.short]].
[[p0.first]] is a <<[[oldw]]|[[oldage]]>> year old [[lady]] with [[eponym]] and advanced frailty (CFS 7). During admission (<<[[d0.md]] - [[d6.md]]|[[d0.md]]-[[d6.md]]>>) treated for UTI, delirium resolved. DNACPR in place, signed [[d2.num]] with [[his]] <<son|daughter|nephew>> [[rel1.first]] present.
Usual residence: [[addr]], [[town]] [[zip]] - <<previously independent|carers QDS>>.
Medicare/insurance: [[hp]]
Contact for family: [[rel1.full]] on [[phone]], email [[relemail]]
Handover given by RN [[rn1.first]] to [[rn2.full]] at [[d6.time]]."""


# ---------------------------------------------------------------- nursing_note
def nn_shift(c: Ctx) -> str:
    return """nsg note [[d0.md]] nocte
pt [[p0.lower]] [[room]] a+ox3, settled most of night. obs stable NEWS 1. c/o pain 4/10 L hip - PRN oxy given [[d0.time]] w/ good effect. voiding via [[eponym]] no issues, 450ml. skin intact, pressure areas checked 2hrly braden 14. <<wife|husband|daughter|son>> [[rel1.lowerf]] rang x2 overnight worried re d/c, reassured. [[rel1.lowerf]] will bring clothes in am. pt may shower in am once drain out
[[rn1.lowerf]] RN"""


def nn_handover(c: Ctx) -> str:
    return """NURSING HANDOVER - [[dept]] - [[d1.num]] AM
BED  NAME                    AGE  ISSUES
1    [[p0.lf]]   <<[[oldage]]|[[age]]>>   post op day 2, mobilising w/ frame, IVAB
2    [[p1.lf]]     [[age2]]   NBM for scope, IV fluids, [[eponym]]
3    [[p2.lf]]     [[age3]]   awaiting [[care]] bed, falls risk
4    [[p3.lf]]   [[oldage2]]   palliative, family at bedside (<<daughter|son>> [[rel1.first]])
notes: bed 2 pt's wife [[rel2.first]] (ph [[phone]]) wants call after scope. bed 1 - dr [[dr1.last]] to review. [[p2.first]] confused overnight, 1:1 from [[d1.time]].
HCA [[x1.first]] on breaks 1030. handed over by [[rn1.full]] to [[rn2.first]]"""


def nn_narrative(c: Ctx) -> str:
    return f"""Nursing progress note - [[d2.abbr]] [[d2.time]]
Pt ([[p0.fml]], {mrn_label(c)} [[mrn]]) seen in [[room]]. Alert, pleasant, <<orientated to person/place|intermittently confused>>. [[He]] told me [[he]] is "<<[[oldage]]|[[oldw]]>> this year and still does [[his]] own shopping in [[town]]". Obs: BP 138/76 HR 82 RR 18 SpO2 95% RA T 37.1. BGL 9.4. Wound R shin redressed with <<Mepilex|Inadine|Kaltostat>>, moderate serous exudate. [[His]] <<partner|son|daughter>> [[rel1.first]] visited pm, asked about discharge to [[care]]; explained MDT meeting on [[d4.ord]]. Referred to SW ([[x1.full]], ext [[ext]]). Plan: cont obs 4hrly, encourage fluids 1.5L, bowel chart - BNO 3 days, <<lactulose given|movicol given>>.
[[rn1.init]], RN"""


def nn_community(c: Ctx) -> str:
    return """district nursing visit
[[d3.num]] [[d3.time]] home visit to [[p0.full]] [[addr]] <<[[town]]|[[hood]]>> key safe code given by [[rel1.first]]. leg ulcers redressed both legs compression 4 layer. pt says her <<daughter|son>> [[rel1.first]] now lives nearby in [[town2]] and pops in daily. doppler abpi 0.9 r 0.85 l. denies pain. no signs of infection. next visit [[d6.md]]. contact [[rel1.first]] on [[phone]] if no answer at door. gp surgery ([[gp]]) informed re swab result [[spec]].
<<[[rn1.lower]]|[[rn1.full]]>> dn"""


def nn_falls(c: Ctx) -> str:
    return """POST FALL CHECK - [[p0.LAST]] ([[mrn]])
found on floor beside bed [[room]] at [[d0.time]] by HCA [[x1.first]]. unwitnessed. pt states "i slipped getting up for the toilet". GCS 15. no head strike reported, no anticoag. obs: bp 110/64 hr 94. neuro obs hrly x4 commenced. morse 55. pt is [[oldage]] yrs, lives alone at [[addr]] normally. NOK [[rel1.full]] informed by phone ([[phone]]) at [[d0.time]]. DATIX [[inc]] submitted. dr [[dr1.lowerl]] (on call) reviewed, no fracture on exam
[[rn1.full]]"""


# ---------------------------------------------------------------- progress_note
def pn_soap(c: Ctx) -> str:
    return f"""PROGRESS NOTE   [[d1.num]]
Pt: [[p0.Lf]]   {mrn_label(c)}: [[mrn]]   Enc: [[enc]]
S: "feeling a bit better". Slept ok. [[He]] reports less SOB. <<Son|Daughter>> [[rel1.first]] at bedside.
O: T 36.8, HR 88, BP 126/70, SpO2 94% 2L NC. Chest: bibasal creps R>L. Calves SNT.
   WCC 13.2 x10^9/L (from 17.9), CRP 88 mg/L, Cr 142 umol/L.
A: [[age]]yo [[man]] with CAP, improving. AKI resolving.
P: - cont [[drug]] day 3/5
   - repeat U&E tomorrow
   - <<PT/OT assessment|SALT review|dietitian input>>
   - d/w Dr [[dr2.last]] re discharge [[d3.ord]]
[[dr1.init]], <<FY1|PGY-2|resident|SHO>>, bleep [[ext]]"""


def pn_clinic(c: Ctx) -> str:
    return f"""[[fac]] - <<Outpatient|Specialist>> Clinic
Seen: [[d0.long]]          Clinician: [[dr1.full]]
Patient: [[p0.full]] (DOB [[dob.num]], {mrn_label(c)} [[mrn]])

Subjective - [[p0.first]] attends with [[his]] <<husband|wife|partner>> [[rel1.first]]. Moved here from [[town]] last year, now living in [[town2]]. Works at [[employer_plain]]. Reports headaches worse in am, no visual sx. Last seen by Dr [[dr2.last]] at [[fac2]] on [[d0.md]]... wait, actually records say review was earlier.
Objective - BP 162/98 (rpt 158/96). Fundi normal. BMI 31.
Assessment - uncontrolled HTN; ?OSA.
Plan - start amlodipine 5 mg OD; ABPM; sleep study referral (order [[order]]). Review in 6/52 or sooner. Patient has our number [[phone]].
Next appt: [[d9.abbr]] <<09:40|14:15|10:20>>"""


def pn_icu(c: Ctx) -> str:
    return """ICU DAILY REVIEW  Day 4   [[d4.iso]]
[[p0.LAST]], [[p0.first]]   [[mrn]]   Bed ICU-3   Cons: Dr [[dr1.last]]
CNS: sedation off [[d3.md]], RASS 0, CAM-ICU neg. GCS E4VTM6.
RESP: extubated [[d4.md]] 0800. HFNO 40L FiO2 0.35.
CVS: off norad since [[d3.md]]. MAP 70s.
RENAL: UO 0.8 ml/kg/h. K 4.1 mmol/L.
ID: Pip-taz day 5, blood cultures ([[spec]]) grew E. coli, sens.
Lines: R IJ CVC [[d0.md]], art line L radial. [[eponym]] in situ.
Social: wife [[rel1.first]] updated by phone ([[phone]]). Interpreter ([[x1.full]]) booked for family meeting [[d6.ord]].
Plan: step down to ward if stable. [[dr2.full]] ICU registrar"""


def pn_psych(c: Ctx) -> str:
    return """Psychiatry liaison - follow up
Pt [[p0.full]] [[mrn]] reviewed on [[room]], [[d2.dmy]].
Collateral from [[his]] <<sister|brother|mother|father>> [[rel1.full]] by phone [[phone]]: more withdrawn since losing job at [[employer_plain]] in [[year]]. No previous admissions; was under CMHT in [[town]] ([[fac]]).
MSE: kempt, good rapport, mood "flat", no psychotic features, denies SI today. Insight partial.
Risk: low-moderate. Safety plan done, crisis line number given.
Plan: sertraline 50 mg, review [[d5.md]]. GP letter cc Dr [[dr2.Lf]].
[[dr1.full]], ST5 Psychiatry"""


# ---------------------------------------------------------------- history_physical
def hp_dotted(c: Ctx) -> str:
    return f"""HISTORY AND PHYSICAL
NAME.............. [[p0.lf]]
DOB............... [[dob.num]]
AGE <<..............|......|:::::::::>> <<[[oldage]]|[[oldage]]|[[oldw]]|[[age]]>>
{mrn_label(c).upper()}............... [[mrn]]
ADMIT DATE........ [[d0.num]]
ATTENDING......... [[dr1.Lf]], {cred(c)}
PCP............... [[dr2.full]] ([[gp]])

CC: chest pain x 2 days
HPI: pt is a pleasant [[man]] w/ PMH HTN, HLD, [[eponym]] who presents with intermittent L sided chest tightness radiating to jaw, worse on exertion. Troponin 45 -> 62 ng/L. ECG: TWI V4-V6.
PMH: as above; appendicectomy [[year]].
SH: born in [[country]], lives with [[his]] <<wife|husband|partner>> [[rel1.first]] in [[town]]. Ex-smoker, quit [[year2]]. EtOH 10 u/wk.
FH: father MI at 60.
ROS: otherwise neg.
EXAM: BP 148/92, HR 76 reg. HS I+II+0. Chest clear. No peripheral oedema.
A/P: NSTEMI. Load aspirin/ticagrelor, heparin per protocol, angio list [[d1.abbr]].
[[dr1.init]] {cred(c)} / [[d0.num]] [[d0.time]]"""


def hp_admission(c: Ctx) -> str:
    return """ADMISSION CLERKING ([[dept]])
Pt: [[p0.full]]   [[dob.dot]]   [[mrn]]
Hx from pt & <<daughter|son|carer>> [[rel1.first]] ([[phone]]).
PC: confusion + reduced mobility 3/7
HPC: usually independent with stick, lives alone in a bungalow at [[addr]] ([[town]]). Found by [[rel1.first]] on [[d0.md]] muddled, not eating. No falls. Dysuria.
PMH: T2DM, AF, [[eponym]], OA knees
DH: [[drug]]; [[drug2]]; NKDA
SH: former <<postman|nurse|shopkeeper|bus driver>>, widowed [[year]]. Drives ([[plate]] per [[rel1.first]] - concerned [[he]] should stop).
O/E: T 38.2, HR 104 irreg, BP 102/60. Dry. AMTS 6/10. Suprapubic tenderness.
Imp: urosepsis + delirium.
Plan: sepsis 6, cultures, IV abx, CTH if no improvement, collateral from GP Dr [[dr2.last]] ([[phone2]]).
[[dr1.full]] FY2 bleep [[ext]]"""


def hp_peds(c: Ctx) -> str:
    return f"""PAEDIATRIC ADMISSION H&P
Child: [[p0.Lf]]    DOB: [[dob.long]]    Age: [[kidage]]y    {mrn_label(c)}: [[mrn]]
Informant: mother [[rel1.full]] (mob [[phone]]) and father [[rel2.first]]
Address: {addr_line(c)}
Insurance/plan: [[hp]]
PC: wheeze + increased WOB since [[d0.md]]
Birth hx: term, SVD, Apgar 8/9, NICU nil.
Immunisations: up to date per parent-held record.
Exam: RR 42, SpO2 91% RA, subcostal recession, widespread wheeze.
Plan: salbutamol burst, pred 1 mg/kg, O2 to keep sats >92%. School nurse to be informed by mum.
Dr [[dr1.full]] paeds reg, pager [[ext]]"""


def hp_old_words(c: Ctx) -> str:
    return """H&P (geriatrics)
[[p0.FL]] / [[mrn]] / seen [[d0.num]]
HPI: This is a <<[[oldw]]-year-old|[[oldw]] year old|[[oldage]] yo|[[oldage]]-yr-old>> <<[[man]]|resident>> of [[care]] (care home) sent in after an unwitnessed fall. Per the home (staff nurse [[x1.full]], [[phone]]) baseline is mobile with zimmer, MMSE 19/30. [[His]] grandson [[rel1.first]] holds LPA.
Exam: bruising L periorbital, shortening + ext rotation L leg.
Imp: NOF # L. Plan: ortho-geri pathway, fascia iliaca block, theatre [[d1.ord]].
Age check: documented as [[oldage]] on referral; DOB [[dobold.num]].
[[dr1.init]] ST3"""


# ---------------------------------------------------------------- ems_run_report
def ems_pcr(c: Ctx) -> str:
    return f"""PATIENT CARE REPORT        Run #: [[run]]     Incident #: [[inc]]
Unit: [[medic]]   Date: [[d0.num]]   Dispatched [[d0.time]]
Crew: [[x1.Lf]] (EMT-P), [[x2.Lf]] (EMT-B)
Pt: [[p0.lf]]   DOB [[dob.num]]   Age <<[[age]]|[[oldage]]>>
Pickup: [[addr]], [[town]] [[zip]]
Dest: [[fac]]
CC: SOB
Narr: arrived to find pt sitting upright tripoding, speaking 2-3 word sentences. Hx COPD per <<wife|son|daughter>> [[rel1.first]]. SpO2 84% RA -> 92% on neb. BBS wheeze. Duoneb x2, solumedrol 125 mg IV. Transported priority 2 no change. Report to RN [[rn1.last]] at triage.
Billing: [[hp]]  ({natid_label(c)} last 4: [[lastfour]])"""


def ems_mvc(c: Ctx) -> str:
    return """EMS NARRATIVE - MVC
[[medic]] responded to MVC at junction near [[addr]], [[town]], call ref [[callref]]. Pt [[p0.full]], restrained driver of <<sedan|hatchback|ute|van>> reg [[plate]] (VIN [[vin]] per police). Other driver [[x1.full]] refused transport. Police officer [[x2.last]] badge on scene.
Pt c/o neck pain, GCS 15, MAE x4, no LOC. C-collar not applied per NEXUS criteria? - applied as midline tenderness. BP 142/90, HR 100.
Transported to [[fac]] ED, handover to Dr [[dr1.last]] [[d0.time]].
Pt contact: [[phone]]. Licence [[dl]] photographed for ID.
Crew sig: [[x3.full]] [[d0.num]]"""


def ems_csv(c: Ctx) -> str:
    return """EMS ePCR EXPORT - FIELDS
run_number: [[run]]
dispatch_time: [[d0.ts]]
patient_name: [[p0.Lf]]
patient_dob: [[dob.iso]]
patient_age: [[oldage]]
scene_address: [[addr]]
scene_city: [[town]]
scene_postcode: [[zip]]
callback: [[phone]]
chief_complaint: fall, ? hip #
narrative: [[oldage]] y/o found by <<carer|neighbour|son>> [[rel1.first]] on kitchen floor. Lives alone. Pain L hip 8/10, shortened and rotated. Methoxyflurane then fentanyl 50 mcg IN. [[eponym]] noted. Pt states "I'm [[oldage]] and I've never been in an ambulance".
receiving_facility: [[fac]]
crew: [[x1.initnd]] / [[x2.initnd]]"""


def ems_cardiac(c: Ctx) -> str:
    return """RUN REPORT [[run]]  -  [[medic]]  -  [[d0.num]]
CALL: cardiac arrest, witnessed, bystander CPR. Location: <<shopping centre car park|bowls club|railway station platform|[[addr]]>>, [[town]].
PT: approx 60s male later identified as [[p0.full]] by wallet (licence [[dl]]). Wife [[rel1.first]] arrived on scene.
TIMELINE:
 [[d0.time]] arrival, VF, shock 200J
 +2 min ROSC after 2nd shock, amiodarone 300 mg
 +14 min transport, 12-lead STEMI anterior, cath lab activated at [[fac]]
Handover: Dr [[dr1.last]], cath lab RN [[rn1.first]].
AED used: <<ZOLL AED Plus|LIFEPAK CR2>> serial [[serial]] (public access device, downloaded).
Paramedic: [[x2.full]] reg [[lic]]"""


# ---------------------------------------------------------------- pharmacy_log
def ph_cd_register(c: Ctx) -> str:
    rows = []
    for i in range(1, c.rng.randint(4, 7)):
        rows.append(
            f"[[d{i}.num]] [[d{i}.time]]  [[p{i}.lf]]   {c.pick(['morphine 10mg/1ml', 'oxycodone 5 mg', 'fentanyl 25mcg/h patch', 'diamorphine 5mg', 'midazolam 10mg/2ml'])}   {c.pick(['1', '2', '5', '10'])}  [[rn{i % 3 + 1}.initnd]]/[[x{i}.initnd]]"
        )
    body = "\n".join(rows)
    return f"""CONTROLLED DRUG REGISTER - [[fac]] - [[dept]]
DATE       TIME   PATIENT                 DRUG / FORM            QTY  GIVEN/WITNESS
{body}
Balance checked [[d6.num]] by [[rn1.full]] and pharmacist [[x9.full]] (reg [[lic]]). Discrepancy none.
Prescriber for bed 4: Dr [[dr1.full]] DEA [[dea]]\nCabinet access: fingerprint template [[bio]] (witness), override reason logged."""


def ph_dispense(c: Ctx) -> str:
    return f"""DISPENSING LOG   [[pharm]]   Store tel [[phone]]
Rx#   [[rx]]         Filled [[d0.num]]
Pt    [[p0.lf]]      DOB [[dob.num]]
Addr  {addr_line(c)}
Drug  oxycodone/APAP 5/325 mg  #20  0 RF   NDC 0406-0512-01
Sig   1 tab PO q6h PRN severe pain
Prescriber  [[dr1.lf]] {cred(c)}   DEA [[dea]]   NPI [[npi]]
Picked up by: <<self|[[rel1.full]] (<<son|daughter|spouse>>)>>  ID: drv lic [[dl]]
PDMP checked - no concerns. RPh [[x1.init]] lic [[lic]]"""


def ph_upper_log(c: Ctx) -> str:
    rows = []
    for i in range(1, c.rng.randint(4, 8)):
        rows.append(
            f"[[rx{i}]]  [[p{i}.lf]]  {c.pick(['HYDROCODONE/APAP 10/325', 'ALPRAZOLAM 0.5MG', 'METHYLPHENIDATE 18MG', 'BUPRENORPHINE 8MG', 'LORAZEPAM 1MG', 'TAPENTADOL 50MG'])}  QTY {c.rng.randint(10, 90)}  [[dr{i % 3 + 1}.LAST]]  [[d{i}.short]]"
        )
    body = "\n".join(rows)
    return f"""SCHEDULE II-IV DISPENSING REPORT  STORE [[pharm]]
RX#       PATIENT                 DRUG                      QTY    PRESCRIBER   FILLED
{body}
DEA REG (STORE): [[dea]]   PIC: [[x9.FL]]  RPH LIC [[lic]]"""


def ph_recon(c: Ctx) -> str:
    return f"""Medicines reconciliation - pharmacy
[[p0.full]] | {mrn_label(c)} [[mrn]] | DOB [[dob.num]] | Allergies: penicillin (rash)
Sources: pt, <<GP summary from [[gp]]|community pharmacy [[pharm]] (tel [[phone]])|[[his]] <<wife|son>> [[rel1.first]]>>, blister pack.
Pre-admission meds:
  [[drug]]  - continue
  [[drug2]] - WITHHELD (AKI)
  [[brand]] - pt not taking since [[d0.md]]
Issues: two different strengths of [[brand]] at home; <<daughter|son>> to bring in.
Pharmacist: [[x1.full]], ext [[ext]], [[d1.num]]"""


# ---------------------------------------------------------------- referral_letter
def ref_gp(c: Ctx) -> str:
    return f"""[[gp]]
{addr_line(c, "2", multiline=True)}
Tel: [[phone2]]   Fax: [[phone3]]
[[url]]

[[d0.long]]

Dr [[dr2.full]]
<<Consultant Cardiologist|Consultant Rheumatologist|Orthopaedic Surgeon>>
[[fac]]

Dear Dr [[dr2.last]],

Re: [[p0.full]], DOB [[dob.num]], {mrn_label(c)} [[mrn]]
{addr_line(c, "", multiline=True)}

Thank you for seeing this <<[[age]]|[[oldage]]>> year old [[lady]] who has had exertional breathlessness since <<the winter|the spring|a chest infection>>. ECG shows LBBB. [[He]] is on [[drug]] and [[drug2]]. [[He]] is happy to be contacted on [[phone]] and would prefer morning appointments as [[his]] <<wife|husband>> [[rel1.first]] drives [[him]].

Yours sincerely,

Dr [[dr1.full]]
{cred(c)}  {reg_label(c)} [[lic]]"""


def ref_email_style(c: Ctx) -> str:
    return f"""REFERRAL - URGENT SUSPECTED CANCER (2WW)
To: <<Colorectal|Breast|Lung>> team, [[fac]]   Fax [[phone]]
From: [[gp]], [[addr2]], [[town2]] [[zip2]]  Tel [[phone2]]
Referrer: [[dr1.full]] ({reg_label(c)} [[lic]])   Date of referral: [[d0.num]]

PATIENT DETAILS
Surname: [[p0.LAST]]   Forename(s): [[p0.first]]
DOB: [[dob.num]]   Gender: [[sex]]   {mrn_label(c)}: [[mrn]]
Address: [[addr]], [[town]], [[zip]]
Phone (home): [[phone3]]  Mobile: [[phone4]]
Interpreter needed: <<No|Yes - Tamil|Yes - Polish|Yes - Vietnamese>>

CLINICAL
[[age]]yo, 2/12 change in bowel habit, Hb 98 g/L, ferritin 9 ug/L. FIT 140 ug/g.
Pt aware of referral and reason. Available at short notice except [[d4.md]] - [[d6.md]].
"""


def ref_specialist_reply(c: Ctx) -> str:
    return """<<Clinic Letter|OUTPATIENT LETTER>>    Typed [[d2.dot]]    Clinic date [[d1.dot]]
[[fac]], [[dept]]

cc: [[p0.full]], [[addr]], [[town]]  [[zip]]
     Dr [[dr2.init]], [[gp]]

Diagnoses: 1. Seropositive RA  2. [[eponym]]
Dear Dr [[dr2.last]]
I reviewed [[p0.first]] today with [[his]] <<husband|wife|daughter>> [[rel1.first]]. DAS28 4.1. I have increased methotrexate to 20 mg weekly and added folic acid. Bloods 2-weekly via [[gp]]; results to me at [[dremail]].
[[He]] mentioned [[he]] is moving to [[town2]] on [[d9.ord]] - please update our records.
Kind regards
[[dr1.FL]]
<<Consultant Rheumatologist|Associate Specialist>>  Sec: [[x1.first]] [[phone]]"""


def ref_india(c: Ctx) -> str:
    return f"""[[fac]]
[[addr2]], [[town2]] [[zip2]]  |  Ph: [[phone2]]
------------------------------------------------------------
Date: [[d0.num]]
To,
Dr. [[dr2.full]], <<HOD Nephrology|Consultant Neurologist|Consultant Cardiologist>>
[[fac2]]

Sub: Referral of patient [[p0.full]] (<<S/o|D/o|W/o>> [[rel1.full]]), Age [[age]], {mrn_label(c)} [[mrn]]

Respected Sir/Madam,
Kindly see the above patient, resident of [[addr]], [[hood]], [[town]], for further evaluation of <<raised creatinine|recurrent seizures|exertional angina>>. Patient is covered under [[hp]]. Previous reports (Lab No. [[spec]]) enclosed. Contact: [[phone]].
Thanking you,
Dr. [[dr1.full]] {cred(c)} ({reg_label(c)} [[lic]])"""


# ---------------------------------------------------------------- lab_report
def lab_table(c: Ctx) -> str:
    return f"""[[fac]]  -  CLINICAL CHEMISTRY
Patient : [[p0.lf]]            {mrn_label(c)} : [[mrn]]
DOB     : [[dob.num]]   Sex: [[sex]]   Ward: [[room]]
Specimen: [[spec]] ([[p0.full]])   Collected: [[d0.num]] [[d0.time]]   Received: [[d0.num]]
Requested by: Dr [[dr1.initnd]]

TEST                 RESULT    UNITS        REF RANGE
Sodium               138       mmol/L       135-145
Potassium            5.9  H    mmol/L       3.5-5.3
Urea                 14.2 H    mmol/L       2.5-7.8
Creatinine           188  H    umol/L       59-104
eGFR                 29        mL/min/1.73m2  >60
CRP                  42   H    mg/L         <5
Hb                   102  L    g/L          130-170
WCC                  11.4 H    x10^9/L      4.0-11.0

Comment: K+ phoned to <<ward|[[rn1.full]]>> at [[d0.time]] by [[x1.first]] (BMS). Sample not haemolysed.
Authorised: [[x2.full]], Clinical Scientist [[d1.num]]"""


def lab_micro(c: Ctx) -> str:
    return f"""MICROBIOLOGY REPORT                         Lab no: [[spec]]
Name: [[p0.FL]]     DOB: [[dob.mon]]     NHI/{mrn_label(c)}: [[mrn]]
Source: MSU    Collected [[d0.mon]]    Reported [[d2.mon]]
Location: <<[[gp]]|[[fac]] / ED|[[fac]] / Renal OPD>>
Clinician: [[dr1.Lf]]

Microscopy: WBC >100/uL, RBC 10-100/uL, epithelial cells few
Culture: >10^8 cfu/L Escherichia coli
Sensitivities:  Amoxicillin R | Nitrofurantoin S | Trimethoprim R | Cefalexin S | Gentamicin S
Comment: ESBL screen negative. Phoned to surgery ([[phone]]) [[d2.md]].
Accession [[acc]]"""


def lab_histo(c: Ctx) -> str:
    return """HISTOPATHOLOGY
[[p0.Lf]] | [[mrn]] | [[dob.iso]] | Req: Dr [[dr1.last]], [[fac]]
Specimen [[spec]]: <<skin ellipse, L forearm|colonic polyp, sigmoid|core biopsy R breast 10 o'clock>>
Received [[d0.num]], reported [[d3.num]].
Macro: received in formalin, <<ellipse 18 x 7 x 4 mm|polyp 9 mm|3 cores up to 14 mm>>. All embedded A1-A3.
Micro: <<basal cell carcinoma, nodular type, clear margins (closest 2.1 mm)|tubular adenoma with low grade dysplasia|invasive ductal carcinoma NST grade 2>>.
SNOMED: M80903. Reported by [[x1.full]], FRCPath. Second opinion [[x2.init]].
Results also sent to GP [[dr2.full]] ([[gp]])."""


def lab_poct_json(c: Ctx) -> str:
    return """POCT blood gas - <<Radiometer ABL90 FLEX|i-STAT 1|GEM Premier 5000>> (<<bay|ED|ICU>> analyser)
Pt ID: [[mrn]]  Name: [[p0.lf]]  Sample: arterial  [[d0.num]] [[d0.time]]
pH 7.29 | pCO2 7.8 kPa | pO2 8.1 kPa | HCO3 27 | BE +1 | Lac 2.4 | Hb 121 | K 4.6 | Glu 11.2
FiO2 0.28   Temp 37.0
Operator: [[rn1.full]]  (<<badge|login>> [[user]])"""


# ---------------------------------------------------------------- radiology_report
def rad_ct(c: Ctx) -> str:
    return f"""[[fac]] - DEPARTMENT OF RADIOLOGY
EXAM: CT HEAD WITHOUT CONTRAST     ACC#: [[acc]]
PATIENT: [[p0.lf]]   {mrn_label(c)}: [[mrn]]   DOB: [[dob.num]]   AGE: <<[[oldage]]|[[age]]>>
ORDERING: [[dr1.Lf]], {cred(c)}     EXAM DATE: [[d0.num]] [[d0.time]]

CLINICAL HISTORY: fall, on anticoag, GCS 14.
TECHNIQUE: axial CT head, 5 mm, no contrast. CTDIvol 52 mGy.
COMPARISON: <<none|CT head [[d9.num]] from [[fac2]]|MRI brain [[year]]>>.
FINDINGS: no acute intracranial haemorrhage. Chronic small vessel ischaemic change. Old lacune L basal ganglia. No midline shift. Calvarium intact. Scalp haematoma R parietal.
IMPRESSION: no acute intracranial abnormality.
Discussed with Dr [[dr1.last]] at [[d0.time]].
Dictated by: [[dr2.full]], MD  Signed [[d0.num]]"""


def rad_cxr(c: Ctx) -> str:
    return """xr chest pa - [[p0.full]] ([[mrn]]) - [[d0.short]]
indication: ?consolidation. [[eponym]] hx.
findings: rll airspace opacity with air bronchograms. small r effusion. heart size nl. lines: <<none|picc tip in svc|ngt below diaphragm>>. old healed l rib fx.
impression: rll pneumonia. suggest f/u cxr 6/52.
rep: [[dr1.init]] | report [[rep]]"""


def rad_device(c: Ctx) -> str:
    return f"""MRI SAFETY SCREENING + REPORT
[[p0.Lfm]]   {mrn_label(c)} [[mrn]]   DOB [[dob.num]]
Implant: <<pacemaker|ICD|cochlear implant|neurostimulator>> - [[model]]; serial [[serial]]; UDI [[udi]]
MR conditional: yes, programmed to MRI mode by cardiac physiologist [[x1.full]] at [[d0.time]].
EXAM: MRI L knee, [[d0.abbr]]
FINDINGS: complex tear posterior horn medial meniscus. Grade 2 chondral loss MFC. Small effusion. ACL intact.
Reporting radiologist: [[dr1.full]] {reg_label(c)} [[lic]]"""


def rad_us_pregnancy(c: Ctx) -> str:
    return """OBSTETRIC ULTRASOUND
Name: [[p0.Lf]]   Hosp no: [[mrn]]   Scan date: [[d0.num]]   Dating: by CRL
Referrer: midwife [[rn1.full]], [[fac]]
Single live intrauterine pregnancy. CRL 62 mm = 12+4. NT 1.6 mm. Placenta posterior, clear of os.
Partner [[rel1.first]] present. Images given. Next scan booked [[d9.ord]].
Sonographer: [[x1.init]]   Visit [[enc]]"""


# ---------------------------------------------------------------- csv_export
def csv_patients(c: Ctx) -> str:
    n = c.rng.randint(4, 8)
    rows = "\n".join(
        f"[[mrn{i}]],[[p{i}.LAST]],[[p{i}.first]],[[dob{i}.iso]],[[zip{i}]],[[phone{i}]]" for i in range(1, n)
    )
    return f"""mrn,last_name,first_name,dob,postcode,phone
{rows}"""


def csv_visits(c: Ctx) -> str:
    n = c.rng.randint(4, 8)
    rows = "\n".join(
        f'"[[enc{i}]]","[[p{i}.Lf]]",[[d{i}.iso]],"{c.pick(["ED", "Cardiology OPD", "Renal", "Fracture clinic", "Antenatal"])}","[[dr{i % 3 + 1}.Lf]]",{c.pick(["I10", "J18.9", "N17.9", "S72.00", "O26.8", "E11.9"])}'
        for i in range(1, n)
    )
    return f"""encounter_id,patient,visit_date,clinic,clinician,icd10
{rows}"""


def csv_billing(c: Ctx) -> str:
    n = c.rng.randint(3, 7)
    rows = "\n".join(
        f"[[acct{i}]];[[p{i}.lf]];[[hp{i}]];[[claim{i}]];{c.pick(['99213', '99214', '71046', '80053', '93000'])};{c.rng.randint(40, 900)}.{c.rng.randint(0, 99):02d};[[d{i}.num]]"
        for i in range(1, n)
    )
    return f"""ACCOUNT;PATIENT;MEMBER_ID;CLAIM;CPT;AMOUNT;DOS
{rows}
# exported by [[user]] from [[ip]]"""


def csv_addresses(c: Ctx) -> str:
    n = c.rng.randint(3, 6)
    rows = "\n".join(
        f"[[p{i}.full]]\t[[addr{i}]]\t[[town{i}]]\t[[state{i}]]\t[[zip{i}]]\t[[ssn{i}]]" for i in range(1, n)
    )
    return f"""# outreach list - flu vaccine recall
name\tstreet\tcity\tstate\tzip\t{natid_label(c).lower()}
{rows}"""


# ---------------------------------------------------------------- json_export
def json_patient(c: Ctx) -> str:
    zipv = "[[zip]]" if c.locale == "en_AU" else '"[[zip]]"'
    return f"""{{
  "resourceType": "Patient",
  "mrn": "[[mrn]]",
  "name": {{"family": "[[p0.last]]", "given": ["[[p0.first]]"]}},
  "dob": "[[dob.iso]]",
  "address": {{"line": "[[addr]]", "city": "[[town]]", "{"postcode" if c.locale != "en_US" else "zip"}": {zipv}}},
  "telecom": [{{"system": "phone", "value": "[[phone]]"}}, {{"system": "email", "value": "[[email]]"}}],
  "gp": {{"name": "Dr [[dr1.full]]", "practice": "[[gp]]"}},
  "nok": {{"name": "[[rel1.full]]", "relationship": "<<daughter|son|spouse>>"}}
}}"""


def json_claims(c: Ctx) -> str:
    q = "" if c.locale == "en_AU" else '"'
    items = ",\n    ".join(
        f'{{"claim_id": "[[claim{i}]]", "member": "[[hp{i}]]", "patient": "[[p{i}.Lf]]", "dos": "[[d{i}.iso]]", "cpt": "{c.pick(["99213", "36415", "85025", "71046"])}", "zip": {q}[[zip{i}]]{q}}}'
        for i in range(1, c.rng.randint(3, 6))
    )
    return f"""{{"batch": "{c.rng.randint(100, 999)}", "plan": "[[insplan]]", "claims": [
    {items}
]}}"""


def json_audit(c: Ctx) -> str:
    return """{"event":"record_access","ts":"[[d0.iso]]T[[d0.time]]:00Z","user":"[[user]]","src_ip":"[[ip]]","patient_mrn":"[[mrn]]","patient":"[[p0.FL]]","reason":"<<direct care|break glass|billing query>>","workstation":"WS-ICU-04","app_version":"8.2.1"}
{"event":"print","ts":"[[d0.iso]]T[[d1.time]]:00Z","user":"[[user]]","src_ip":"[[ip]]","patient_mrn":"[[mrn]]","doc":"discharge letter"}"""


def json_device(c: Ctx) -> str:
    return """{
  "patient_id": "[[mrn]]",
  "patient_name": "[[p0.Lf]]",
  "date_of_birth": "[[dob.num]]",
  "device": {"type": "<<insulin pump|ICD|CGM transmitter|infusion pump>>", "model": "[[model]]", "serial": "[[serial]]", "udi": "[[udi]]"},
  "implant_date": "[[d0.iso]]",
  "clinic": "[[fac]]",
  "remote_monitoring": {"portal": "[[url]]", "last_upload_ip": "[[ip]]"},
  "biometric_login": "[[bio]]"
}"""


# ---------------------------------------------------------------- hl7_message
def _msh(c: Ctx, typ: str) -> str:
    return f"MSH|^~\\&|<<EPIC|CERNER|MEDITECH>>|HOSP|LAB|HOSP|[[d0.ts]]||{typ}|MSG{c.rng.randint(10000, 99999)}|P|2.5.1"


def hl7_adt(c: Ctx) -> str:
    return f"""{_msh(c, "ADT^A01")}
EVN|A01|[[d0.ts]]
PID|1||[[mrn]]^^^HOSP^MR||[[p0.hl7]]||[[dob.hl7]]|[[sex]]|||[[addr]]^^[[town]]^[[state]]^[[zip]]||[[phone]]|||||[[acct]]|[[ssn]]
NK1|1|[[rel1.hl7]]|<<SPO|CHD|SIB>>|||[[phone2]]
PV1|1|I|<<ICU^31^1|WARD7B^12^2|MAU^4^1>>||||[[dr1.hl7]]|||MED||||||||[[enc]]
IN1|1|[[insplan]]|[[grp]]|||||||||||||||||||||||||||||||||||[[hp]]"""


def hl7_oru(c: Ctx) -> str:
    return f"""{_msh(c, "ORU^R01")}
PID|1||[[mrn]]^^^HOSP^MR~[[nhs]]^^^NHS^NH||[[p0.hl7]]||[[dob.hl7]]|[[sex]]
ORC|RE|[[order]]
OBR|1|[[order]]|[[acc]]|CBC^Complete blood count|||[[d0.ts]]|||||||[[d0.ts]]||[[dr1.hl7]]
OBX|1|NM|718-7^Hemoglobin||98|g/L|130-170|L|||F
OBX|2|NM|6690-2^WBC||14.1|10*9/L|4.0-11.0|H|||F
OBX|3|NM|777-3^Platelets||412|10*9/L|150-400|H|||F
NTE|1||Called to [[rn1.full]] on [[d1.md]] at [[d0.time]]"""


def hl7_orm(c: Ctx) -> str:
    return f"""{_msh(c, "ORM^O01")}
PID|1||[[mrn]]||[[p0.hl7]]||[[dob.hl7]]|[[sex]]|||{"[[addr]]^^[[town]]^^[[zip]]"}||[[phone]]
PV1|1|O|RAD^^^HOSP||||[[dr1.hl7]]
ORC|NW|[[order]]||||||||||[[dr1.hl7]]
OBR|1|[[order]]||71046^XR CHEST 2 VIEWS|||[[d0.ts]]
NTE|1||pt [[oldage]]yo, hard of hearing - contact <<daughter|son>> [[rel1.first]] [[phone2]]"""


def hl7_siu(c: Ctx) -> str:
    return f"""{_msh(c, "SIU^S12")}
SCH|[[enc]]|||||<<FOLLOWUP|NEWPT>>|||30|MIN|^^30^[[d5.ts]]
PID|1||[[mrn]]^^^HOSP^MR||[[p0.hl7]]||[[dob.hl7]]|[[sex]]||||||[[email]]
AIP|1||[[dr1.hl7]]
AIL|1||<<CLINIC3|OPD2>>^^^HOSP"""


# ---------------------------------------------------------------- email
def em_patient_to_dr(c: Ctx) -> str:
    return """From: [[p0.full]] <[[email]]>
To: [[dremail]]
Date: [[d0.wd]], [[d0.email]] [[d0.time]]
Subject: <<results|question about my tablets|appointment>>

Hi Dr [[dr1.last]],
Sorry to bother you. I had my bloods done at [[lab]] on [[d0.md]] and havent heard back. Also my <<husband|wife|daughter>> [[rel1.first]] says I should ask whether I can take ibuprofen with the [[brand]]?? My number is [[phone]] if easier. My hospital number is [[mrn]] I think.
Thanks
[[p0.first]]

Sent from my phone"""


def em_forwarded(c: Ctx) -> str:
    return f"""From: [[x1.full]] <[[adminemail]]>
Sent: [[d2.WD]], [[d2.long]]
To: Dr [[dr1.full]]
Subject: FW: FW: bed request - [[p0.LAST]]

Can you see below? Ward says no beds till [[d3.md]].
[[x1.first]]

-----Original Message-----
From: [[rn1.full]]
Sent: [[d1.wd]] [[d1.num]] [[d1.time]]
Subject: FW: bed request - [[p0.LAST]]

> Pt [[p0.fml]] ({mrn_label(c)} [[mrn]]) in <<ED|A&E|Resus 2>> since [[d1.time]], needs <<cardiology|respiratory|stroke>> bed.
> <<Daughter|Son>> [[rel1.full]] ([[phone]]) very unhappy, asked for PALS.
>
>> -----Original Message-----
>> From: bed manager
>> Please send name, DOB and NHS/hosp no.
>> DOB [[dob.num]]
"""


def em_dr_to_patient(c: Ctx) -> str:
    return """Subject: Your recent test results
From: [[gp]] <[[orgemail]]>
To: [[email]]
Date: [[d4.wd]], [[d4.email]] [[d4.time]] +0000

Dear [[Mr]] [[p0.last]],

Your <<HbA1c|cholesterol|thyroid>> result from [[d3.abbr]] is now available in the patient portal ([[url]]). Dr [[dr1.init]] has reviewed it and recommends a <<routine|telephone>> follow-up. Please call reception on [[phone]] quoting reference [[callref]].

Do not reply to this email.
[[gp]] | [[addr2]], [[town2]] [[zip2]]"""


def em_internal_safeguarding(c: Ctx) -> str:
    return """FROM: [[dr1.FL]]
TO: [[orgemail]]
CC: [[rn1.full]]
DATE: [[d0.num]]
SUBJ: CONCERN - [[p0.FL]], DOB [[dob.num]]

Team, [[kidage]]yo attended ED [[d0.md]] with <<spiral # humerus|bruising to ears|burn to hand>>, inconsistent history. Lives with mother [[rel1.full]] and her partner [[rel2.first]] at [[addr]], [[town]]. School: local primary. Social worker previously [[x1.full]] ([[phone]]). Please advise before discharge.
[[dr1.init]] ED consultant, ext [[ext]]"""


# ---------------------------------------------------------------- portal_message
def portal_thread(c: Ctx) -> str:
    return """MyHealth Portal - Secure Message
User: [[user]]    Last login: [[d0.num]] [[d0.time]] from [[ip]] <<(Face ID)|(fingerprint id [[bio]])|(password)>>
Patient: [[p0.full]]   DOB [[dob.num]]

[[d0.abbr]] - [[p0.first]] wrote:
hi, my <<son|daughter>> [[rel1.lowerf]] has had a temp of 38.9 since yesterday and a rash on his tummy. is it ok to give calpol and nurofen together? we're staying at my mums in [[town]] this week so can't come in. call me on [[phone]]

[[d0.abbr]] - Reply from [[rn1.full]], <<Practice Nurse|RN>>:
Hi [[p0.first]], yes you can alternate them. If the rash doesn't fade under a glass, call 999. Please book via [[url]] if still unwell.
"""


def portal_refill(c: Ctx) -> str:
    return f"""[PATIENT PORTAL] Rx renewal request #[[rx]]
account: [[user]] | device ip [[ip]] | biometric sign-in: [[bio]]
patient: [[p0.Lf]] ({mrn_label(c)} [[mrn]])
pharmacy: [[pharm]], [[addr]], [[town]]
message: "Need my [[drug]] renewed please, running out [[d2.ord]]. Dr [[dr1.last]] said it's fine. Thx"
status: routed to Dr [[dr1.Lf]] - approved [[d1.num]]"""


def portal_signup(c: Ctx) -> str:
    return f"""Portal registration audit
username     : [[user]]
email        : [[email]]
verified by  : <<SMS|email link|front desk>> to [[phone]]
id checked   : <<driver's licence [[dl]]|{natid_label(c)} [[ssn]]|health card [[hp]]>>
created      : [[d0.iso]] [[d0.time]]
ip           : [[ip]]
proxy access : <<none|granted to [[rel1.full]] (carer)>>
note         : pt asked for correspondence to go to [[addr]], [[town]] [[zip]] not old address"""


def portal_symptom(c: Ctx) -> str:
    return """Message from [[p0.lower]] ([[user]]) - [[d1.num]]
i'm <<[[oldage]]|[[oldw]]>> and my legs are swelling more and i'm a bit breathless at night, having to sleep on 3 pillows now. my granddaughter [[rel1.first]] types these for me. my doctor is dr [[dr1.lowerl]]. i can't get to the surgery in [[town]] easily, no bus since [[d0.md]]
-- reply ([[rn1.init]]): Thank you. We will ask Dr [[dr1.last]] to call you today on [[phone]]. If you get chest pain ring 999."""


# ---------------------------------------------------------------- call_transcript
def call_verify(c: Ctx) -> str:
    return """CALL TRANSCRIPT - Nurse advice line - ref [[callref]]   [[d0.num]] [[d0.time]]
AGENT ([[rn1.first]]): Thanks for calling, can I take the patient's full name?
CALLER: Yeah it's for my <<dad|mum|husband|wife>>, [[p0.full]].
AGENT: And your name?
CALLER: [[rel1.full]], I'm [[his]] <<son|daughter|wife|husband>>.
AGENT: Date of birth for [[p0.first]]?
CALLER: [[dob.long]].
AGENT: And first line of address and postcode?
CALLER: [[addr]], [[zip]].
AGENT: Thank you. What's happening today?
CALLER: [[He]]'s <<[[oldage]]|[[oldw]]>> and [[he]]'s been vomiting since last night, can't keep the tablets down.
AGENT: OK. Best number to call back?
CALLER: [[phone]].
AGENT: I'm going to book a GP call back at [[gp]]."""


def call_pharmacy(c: Ctx) -> str:
    return """[recording] call with [[pharm]], [[d1.num]]
pharm: pharmacy, [[x1.first]] speaking
caller: hi, it's dr [[dr1.last]] from [[fac2]], calling about a script for [[p0.full]]
pharm: can you confirm patient dob?
caller: [[dob.num]]
pharm: and your prescriber number please?
caller: <<DEA [[dea]]|[[lic]]>>
pharm: thanks. the script says 5/325 mg, twenty tabs, was that right?
caller: yes, and please tell [[him]] to use the <<son's|daughter's>> number [[phone]] to confirm pickup
pharm: will do, ref [[rx]]"""


def call_insurer(c: Ctx) -> str:
    return """TRANSCRIPT: pre-authorisation call [[callref]]
REP: [[insplan]] provider line, this is [[x1.first]].
CLINIC: Hi, this is [[rn1.full]] at [[fac]]. Prior auth for an MRI lumbar spine.
REP: Member ID?
CLINIC: [[hp]], group [[grp]].
REP: Name and date of birth?
CLINIC: [[p0.LAST]], [[p0.first]], [[dob.num]].
REP: Last four of <<the SSN|social|their social>>?
CLINIC: [[lastfour]].
REP: Ordering provider NPI?
CLINIC: [[npi]], Dr [[dr1.full]].
REP: Approved, auth number [[claim]], valid 60 days from [[d0.md]]."""


def call_111(c: Ctx) -> str:
    return """call ref [[callref]] - 111 - [[d0.iso]] [[d0.time]]
HA: hello you're through to 111, is the patient with you
C: its me, i'm the patient, [[p0.lower]]
HA: thanks [[p0.lowerf]], whats your postcode
C: [[zip]]
HA: and the address
C: <<[[addr]]|[[addr]], [[town]]>>
HA: your gp practice?
C: [[gp]], dr [[dr1.lowerl]]
HA: and a phone number in case we get cut off
C: [[phone]]
HA: ok whats the main problem today
C: chest feels tight, my wife [[rel1.lowerf]] made me ring
HA: ok i'm going to arrange an ambulance now, [[medic]] is nearest"""


# ---------------------------------------------------------------- incident_report
def inc_fall(c: Ctx) -> str:
    return f"""INCIDENT REPORT   Ref: [[inc]]
Type: Patient fall - <<no harm|low harm|moderate harm>>
Date/time of incident: [[d0.num]] [[d0.time]]   Location: [[fac]], [[room]]
Person affected: [[p0.full]] ({mrn_label(c)} [[mrn]]), age <<[[oldage]]|[[age]]>>
Reported by: [[rn1.full]], RN    Witness: [[x1.full]] (HCA)
Description: pt found sitting on floor beside chair, states slid down. No injury found on examination by Dr [[dr1.last]]. Bed rails assessment reviewed. Falls sensor mat placed. Family ([[rel1.full]], [[phone]]) informed [[d0.md]].
Duty of candour: completed [[d1.num]].
Manager review: [[x2.full]], ward manager, closed [[d5.num]]."""


def inc_ehr(c: Ctx) -> str:
    return f"""PRIVACY INCIDENT - INAPPROPRIATE RECORD ACCESS     Case [[inc]]
Detected by: FairWarning alert [[d1.num]]
Staff user: [[user]] ([[x1.full]], <<ward clerk|student nurse|porter supervisor>>)
Workstation IP: [[ip]]
Record accessed: [[p0.FL]], {mrn_label(c)} [[mrn]] - accessed 14 times between [[d0.md]] and [[d1.md]]; relationship: neighbour (both living in [[hood]]).
Action: access suspended; interview with HR [[d3.ord]]; patient notified in writing to [[addr]], [[town]] [[zip]].
Badge/biometric template of staff user: [[bio]]\nPrivacy officer: [[x2.full]], [[phone]]"""


def inc_carpark(c: Ctx) -> str:
    return """SECURITY / CAR PARK INCIDENT  #[[inc]]
Date: [[d0.long]]  Time: [[d0.time]]  Site: [[fac]] - multi-storey level 2
Vehicle: <<silver Corolla|white Transit van|blue Swift|black Model 3>>, reg [[plate]]
Owner (visitor): [[p0.full]], visiting [[his]] <<father|mother|partner>> on [[dept]].
Description: vehicle reversed into pedestrian [[x1.full]] (staff, <<physio|pharmacy tech|domestic>>). Minor injury, seen in ED (attendance [[enc]]). CCTV ref [[rep]] retained. Police ref [[callref]].
Contact for owner: [[phone]].  Driver licence: [[dl]].
Reported by security officer [[x2.last]]"""


def inc_medication(c: Ctx) -> str:
    return """MEDICATION ERROR REPORT - [[inc]]
when: [[d2.abbr]] around [[d2.time]]
where: [[dept]] / [[room]]
patient: [[p0.Lf]], [[mrn]], dob [[dob.num]]
what happened: <<enoxaparin 40 mg given twice (0800 and 1000)|insulin glargine 18 units given instead of 8 units|IV vancomycin infused over 30 min instead of 2 h>>. identified at handover by [[rn2.first]]. dr [[dr1.last]] informed, no harm observed, monitoring for 24 h.
infusion pump used: [[model]] s/n [[serial]] (quarantined, ticket to EBME).
staff involved: [[rn1.full]]
patient/family informed: yes - <<husband|wife|son|daughter>> [[rel1.first]] at bedside."""


# ---------------------------------------------------------------- consent_form
def consent_surgery(c: Ctx) -> str:
    return f"""[[fac]]
CONSENT FORM 1 - PATIENT AGREEMENT TO INVESTIGATION OR TREATMENT
Patient's surname/family name: [[p0.LAST]]
Patient's first names: [[p0.first]]
Date of birth: [[dob.num]]        {mrn_label(c)}: [[mrn]]
Responsible health professional: [[dr1.full]], {cred(c)}
Name of proposed procedure: laparoscopic cholecystectomy (possible open)
Serious or frequently occurring risks: bleeding, infection, bile leak, injury to bowel, DVT/PE.
[X] blood transfusion   [ ] other procedure
Statement of health professional ... signed [[dr1.initnd]]  date [[d0.num]]
Statement of interpreter: [[x1.full]] (<<Polish|Punjabi|Vietnamese|Arabic>>) [[d0.num]]
Patient signature: ______[[p0.init]]______  Date [[d0.num]]"""


def consent_research(c: Ctx) -> str:
    return """PARTICIPANT CONSENT - <<HEART-FIT|RENAL-PRO|SLEEPWELL>> study (v3.1)
Participant ID: [[order]]   Site: [[fac]]
Please initial each box:
[ ✓ ] I confirm I have read the information sheet v3.1.
[ ✓ ] I agree to my GP, Dr [[dr2.full]], being informed.
[ ✓ ] I agree to be contacted about future studies on [[phone]] / [[email]].
Name of participant: [[p0.full]]     Date: [[d0.dmy]]
Person taking consent: [[rn1.full]] (research nurse)  Date: [[d0.dmy]]"""


def consent_photo(c: Ctx) -> str:
    return f"""CONSENT TO CLINICAL PHOTOGRAPHY / TELEHEALTH
I, [[p0.FL]], of [[addr]], [[town]] [[zip]], consent to photographs of my <<leg ulcer|burn|wound>> being taken and stored in my record ({mrn_label(c)} [[mrn]]).
[X] for my care   [ ] for teaching (de-identified)   [ ] publication
Telehealth link: [[url]]  (login from [[ip]] recorded)
If I lack capacity, consent given by: <<[[rel1.full]], attorney|N/A>>
Signed: [[p0.init]]    Date: [[d0.ord]] [[year]]
Witness: [[x1.full]]"""


def consent_blood(c: Ctx) -> str:
    return """consent for blood products
patient [[p0.lower]] hosp no [[mrn]] dob [[dob.num]]
discussed with patient and <<wife|husband|daughter|son>> [[rel1.lowerf]] on [[d0.md]]: reason (hb 62, symptomatic), benefits, risks (reaction, TACO, infection <1 in a million), alternatives (iron). patient is a jehovah's witness? no. leaflet given
clinician: [[dr1.lower]] [[d0.time]]
pt agrees: yes, signed"""


LAYOUTS: dict[str, list[Callable[[Ctx], str]]] = {
    "discharge_summary": [ds_classic, ds_dictated, ds_table, ds_transfer_old],
    "nursing_note": [nn_shift, nn_handover, nn_narrative, nn_community, nn_falls],
    "progress_note": [pn_soap, pn_clinic, pn_icu, pn_psych],
    "history_physical": [hp_dotted, hp_admission, hp_peds, hp_old_words],
    "ems_run_report": [ems_pcr, ems_mvc, ems_csv, ems_cardiac],
    "pharmacy_log": [ph_cd_register, ph_dispense, ph_upper_log, ph_recon],
    "referral_letter": [ref_gp, ref_email_style, ref_specialist_reply, ref_india],
    "lab_report": [lab_table, lab_micro, lab_histo, lab_poct_json],
    "radiology_report": [rad_ct, rad_cxr, rad_device, rad_us_pregnancy],
    "csv_export": [csv_patients, csv_visits, csv_billing, csv_addresses],
    "json_export": [json_patient, json_claims, json_audit, json_device],
    "hl7_message": [hl7_adt, hl7_oru, hl7_orm, hl7_siu],
    "email": [em_patient_to_dr, em_forwarded, em_dr_to_patient, em_internal_safeguarding],
    "portal_message": [portal_thread, portal_refill, portal_signup, portal_symptom],
    "call_transcript": [call_verify, call_pharmacy, call_insurer, call_111],
    "incident_report": [inc_fall, inc_ehr, inc_carpark, inc_medication],
    "consent_form": [consent_surgery, consent_research, consent_photo, consent_blood],
}


# ---------------------------------------------------------------- extra layouts: fax cover, scanned residue
def ref_fax(c: Ctx) -> str:
    return f"""F A X   C O V E R   S H E E T
[[fac]]  *  {addr_line(c, "2")}
To: Dr [[dr2.full]]            Fax: [[phone]]
From: [[x1.full]] for Dr [[dr1.last]]   Tel: [[phone2]]   Fax: [[phone3]]
Date: [[d0.num]]   Pages (incl. cover): <<3|4|6>>
Re: [[p0.lf]]   DOB [[dob.num]]   {mrn_label(c)} [[mrn]]
[X] Urgent   [ ] For review   [X] Please reply
Message: referral + last 2 clinic letters + bloods (spec [[spec]]). Pt's daughter [[rel1.first]] will phone to book.
CONFIDENTIALITY: this fax contains confidential health information. If received in error please telephone the sender and destroy all pages."""


def consent_scanned(c: Ctx) -> str:
    return f"""|||| SCANNED DOCUMENT - page 1 of 2 ||||   scan quality: <<low|fair>>   ~~ skewed ~~
. . CONSENT FOR ANAESTHESIA . . . . . . . . . . . . . . . . .
Patient name : [[p0.FL]]          Hosp. No : [[mrn]]
D.O.B : [[dob.num]]               Ward : [[room]]
: : I have discussed general / regional anaesthesia with Dr [[dr1.last]] : :
risks explained: sore throat , PONV , dental damage , awareness (1 in 20 000)
Patient / parent / guardian signature  ~~[[p0.init]]~~     date  [[d0.num]]
Relationship if not patient: <<N/A|mother - [[rel1.full]]|son - [[rel1.full]]>>
--- page 2 of 2 not scanned ---  ////  [[fac]] form AN-{c.rng.randint(1, 9)} rev {c.pick("ABC")}"""


LAYOUTS["referral_letter"].append(ref_fax)
LAYOUTS["consent_form"].append(consent_scanned)
