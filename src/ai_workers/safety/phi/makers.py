# ruff: noqa: SIM905
"""Makers of medical devices, diagnostics analysers, infusion pumps, monitors and implants.

Why: PHI-free clinical text (device registers, equipment notices, MR-safety lists, QC summaries)
names products as "Maker Product" ("Siemens Atellica", "Medtronic Azure"), the shape of a first name
and surname. The list holds the makers' house names as written on their products (from the
manufacturers that dominate hospital equipment registers and the FDA's device listings), lower case.
Makers named after a person that is a common name ("Cook", "Edwards", "Fisher") are left out: a
"LAST, First" pair must stay a name. ``context._maker_product`` vetoes a guessed name that starts
with one; a maker's name that is also a surname ("braun", "abbott", "baxter") vetoes only
before a word that no name list holds.
"""

from __future__ import annotations

MAKERS: frozenset[str] = frozenset(
    """
    abbott alaris alcon arjo arjohuntleigh ascensia atellica baxter bayer beckman biomerieux
    biotronik bbraun braun boston carefusion cepheid codman coloplast convatec dexcom drager
    draeger elekta eppendorf fresenius fujifilm getinge hillrom hologic
    icumed insulet intersurgical invacare laerdal lifepak lifescan masimo maquet medela medline
    medtronic mindray molnlycke nellcor nihon nipro olympus omnipod omron philips
    radiometer resmed roche sarstedt siemens spacelabs stryker sysmex terumo teleflex
    varian werfen ypsomed zimmer zoll toshiba hitachi esaote carestream agfa
    medrad bracco guerbet mallinckrodt vygon greiner hemocue abaxis quidel
    """.split()
)

# Makers whose house name is two words, each of which may be a name alone ("Welch Allyn", "Fisher
# Paykel"): the pair as written on the product (lower case, "&" and "-" dropped) is a maker, whatever
# follows it.
MAKER_PAIRS: frozenset[str] = frozenset(
    [
        "welch allyn", "fisher paykel", "smiths medical", "boston scientific", "cardinal health",
        "edwards lifesciences", "becton dickinson", "hill rom", "johnson johnson", "natus medical",
        "mortara instrument", "nihon kohden", "ortho clinical", "beckman coulter", "bio rad",
        "thermo fisher", "hamilton medical", "ge healthcare", "siemens healthineers", "philips healthcare",
        "roche diagnostics", "abbott diagnostics", "baxter healthcare", "zoll medical", "stryker medical",
        "arrow international", "covidien nellcor", "masimo rainbow", "draeger medical", "cook medical",
        "conmed linvatec", "karl storz", "richard wolf", "carl zeiss", "leica biosystems",
    ]
)  # fmt: skip
