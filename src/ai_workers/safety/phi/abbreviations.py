# ruff: noqa: SIM905
"""Clinical abbreviations of three letters or more that are no names (hand-curated, no corpus read).

Why: ``clinicalwords`` leaves out words shorter than five letters (short brands collide with
initials and short surnames), so the acronyms every clinical author writes ("complicated by AKI",
"independent with ADLS", "IN HFREF", "CHECK CRCL") were read as names or towns after a cue. This
list holds the common ones of hospital, EMS and lab writing: conditions, scores and scales, units
and services (and their clipped names: "Physio", "Ortho", "Resus"), tests, devices, drug classes,
records systems and quality schemes. Left out: every word a name or town list holds ("Ali", "Nash",
"Tia", "Asa", "Peg"), and the acronyms that are also common English words ("news", "salt", "pals",
"cap", "act"), which a name position must still judge as words. tests/safety/
test_phi_precision_v3b.py checks that no name or town list holds one.
"""

from __future__ import annotations

ABBREVIATIONS: frozenset[str] = frozenset(
    """
    abg abx acei acls adl adls aflutter afp ahp aki aloc alp als ams amts amu apls aprv aptt arb ards
    arni atls avpu avr bipap bls bsa bsl cabg cauti cbg cdi cdu cied ciwa clabsi cmv cpe cpr crcl crt
    ctkub ctpa cva cvc cvl cvvh cvvhdf dbs dbt dka dnacpr dnar doac doacs ecmo ecog ecpr ect eol epap
    epls ercp esbl esld esrd etco2 ett ffp ft4 gerd ggt gord hbv hcg hcv hdf hdu hems hfmref hfnc
    hfpef hfref hhs hpv hrt hsv iabp iadl iadls ibd ibs ihca ihd ild ipap ipf itu ivh lbo ldh lft lfts
    lgib lma lmwh lpa lvad lvef lvsd maoi mdr mdt micu moca mra mrcp mrsa mssa mvr nafld nbm ngt nicu
    niv noac nocte npo nppv ntprobnp nyha ocp ogd ogt ohca ohs paeds pah pci pcv pews picc picu ppi
    ppm ppv psa pud qfit rosc rrt rvad sah sbo scbu sdh sglt2i simv sle slt smbg snri ssri ssu stemi
    svt tavi tavr tbi tca tft tfts tpn tta tte tto ufh ugib vap vbg vre vte vzv xdr
    epr emr ebme eqa neqas weqas rcuk rcpa bms
    physio physios ortho orthos neuro cardio resus gastro haem onc rehab gynae obgyn endo rheum derm
    psych uro biochem haemat anaes ophthal maxfax vasc
    """.split()
)
