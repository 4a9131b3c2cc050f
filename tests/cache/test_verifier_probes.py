"""Probe pairs for the semantic-cache verifier, written from the blind set's SPEC.md kinds (not from its
dev or test pairs): near-identical questions that ask something else must be refused in both modes,
paraphrases must pass the strict verifier, and typed-differently copies are served below the
similarity threshold (through the real cache stage) while any other low-similarity candidate is not.

The verifier is called with a similarity of 1.0 here on purpose: the embedding cannot be relied on to
separate these pairs, so the verifier alone must.
"""

from __future__ import annotations

import math

import pytest

from ai_workers.cache.guard import BELOW_THRESHOLD, VARIANT_FLOOR, extract, verdict, veto
from ai_workers.cache.verify import surface_variant
from ai_workers.core.context import RequestContext
from tests.cache.helpers import Harness, settings

# (kind, cached question, later question): the cached answer is wrong for the later question.
NEGATIVES = [
    (
        "neg_swap",
        "Can I take ibuprofen 2 hours after acetaminophen?",
        "Can I take acetaminophen 2 hours after ibuprofen?",
    ),
    (
        "neg_swap",
        "Does warfarin increase the effect of aspirin?",
        "Does aspirin increase the effect of warfarin?",
    ),
    (
        "neg_swap",
        "How do I convert a 10 mg oral morphine dose to IV?",
        "How do I convert a 10 mg IV morphine dose to oral?",
    ),
    (
        "neg_swap",
        "Should I increase insulin from 10 to 20 units?",
        "Should I increase insulin from 20 to 10 units?",
    ),
    (
        "neg_swap",
        "Can a patient on lisinopril take potassium supplements?",
        "Can a patient on potassium supplements take lisinopril?",
    ),
    (
        "neg_direction",
        "How do I switch a patient from insulin glargine to NPH?",
        "How do I switch a patient from NPH to insulin glargine?",
    ),
    (
        "neg_direction",
        "Can I go from the pill to the patch without a gap?",
        "Can I go from the patch to the pill without a gap?",
    ),
    (
        "neg_direction",
        "How do I convert pounds to kilograms for pediatric dosing?",
        "How do I convert kilograms to pounds for pediatric dosing?",
    ),
    (
        "neg_direction",
        "How do I transfer money from my savings to my checking account?",
        "How do I transfer money from my checking to my savings account?",
    ),
    ("neg_direction", "How do I migrate from MySQL to Postgres?", "How do I migrate from Postgres to MySQL?"),
    (
        "neg_polarity",
        "Is a positive rapid strep test enough to start antibiotics?",
        "Is a negative rapid strep test enough to start antibiotics?",
    ),
    (
        "neg_polarity",
        "Which antihistamines are non-drowsy for kids?",
        "Which antihistamines are drowsy for kids?",
    ),
    ("neg_polarity", "Can I take metformin with food?", "Can I take metformin without food?"),
    (
        "neg_polarity",
        "What does a reactive hepatitis B surface antigen mean?",
        "What does a non-reactive hepatitis B surface antigen mean?",
    ),
    (
        "neg_polarity",
        "Why is my pregnancy test positive after a miscarriage?",
        "Why is my pregnancy test negative after a miscarriage?",
    ),
    (
        "neg_polarity",
        "Is the shingles vaccine recommended if I have had chickenpox?",
        "Is the shingles vaccine recommended if I have not had chickenpox?",
    ),
    (
        "neg_polarity",
        "Is this cough syrup safe for diabetics?",
        "Is this sugar-free cough syrup safe for diabetics?",
    ),
    (
        "neg_polarity",
        "Can I use a decongestant if my blood pressure is controlled?",
        "Can I use a decongestant if my blood pressure is uncontrolled?",
    ),
    ("neg_polarity", "Is the test result normal?", "Is the test result abnormal?"),
    (
        "neg_antonym",
        "My biopsy came back benign, what happens next?",
        "My biopsy came back malignant, what happens next?",
    ),
    (
        "neg_antonym",
        "What causes high blood pressure in young adults?",
        "What causes low blood pressure in young adults?",
    ),
    ("neg_antonym", "Which foods increase HDL cholesterol?", "Which foods decrease HDL cholesterol?"),
    (
        "neg_antonym",
        "What is the maximum dose of prednisone for an asthma flare?",
        "What is the minimum dose of prednisone for an asthma flare?",
    ),
    (
        "neg_antonym",
        "When should I start aspirin before a colonoscopy?",
        "When should I stop aspirin before a colonoscopy?",
    ),
    ("neg_antonym", "Does caffeine raise your heart rate?", "Does caffeine lower your heart rate?"),
    (
        "neg_antonym",
        "Is a resting heart rate above 100 dangerous?",
        "Is a resting heart rate below 100 dangerous?",
    ),
    ("neg_antonym", "Why is my potassium too high?", "Why is my potassium too low?"),
    ("neg_antonym", "Does exercise worsen asthma symptoms?", "Does exercise improve asthma symptoms?"),
    (
        "neg_antonym",
        "Is it normal to gain weight on sertraline?",
        "Is it normal to lose weight on sertraline?",
    ),
    ("neg_antonym", "Is acute bronchitis contagious?", "Is chronic bronchitis contagious?"),
    ("neg_antonym", "Can I exercise with a mild concussion?", "Can I exercise with a severe concussion?"),
    ("neg_antonym", "Should I use heat on a fresh sprain?", "Should I use ice on a fresh sprain?"),
    (
        "neg_antonym",
        "Is it safe to take a hot bath while pregnant?",
        "Is it safe to take a cold bath while pregnant?",
    ),
    ("neg_antonym", "How do I sort a list in ascending order?", "How do I sort a list in descending order?"),
    ("neg_antonym", "How do I upgrade packages with pip?", "How do I downgrade packages with pip?"),
    ("neg_antonym", "How do I subscribe to the newsletter?", "How do I unsubscribe from the newsletter?"),
    ("neg_antonym", "How do I export contacts from Outlook?", "How do I import contacts into Outlook?"),
    ("neg_antonym", "Why is my portfolio gaining value?", "Why is my portfolio losing value?"),
    (
        "neg_antonym",
        "Is it better to rent or buy in a rising market?",
        "Is it better to rent or buy in a falling market?",
    ),
    (
        "neg_number",
        "Can a 2 year old take children's ibuprofen?",
        "Can a 12 year old take children's ibuprofen?",
    ),
    (
        "neg_number",
        "Is 400 mg of ibuprofen every 6 hours safe?",
        "Is 400 mg of ibuprofen every 4 hours safe?",
    ),
    ("neg_number", "Is a fasting glucose of 110 normal?", "Is a fasting glucose of 126 normal?"),
    (
        "neg_number",
        "What should I do after missing two birth control pills?",
        "What should I do after missing three birth control pills?",
    ),
    (
        "neg_number",
        "What is the penalty for withdrawing from a 401k at 55?",
        "What is the penalty for withdrawing from a 401k at 59?",
    ),
    ("neg_unit", "Give 5 ml of amoxicillin twice a day?", "Give 5 mg of amoxicillin twice a day?"),
    ("neg_unit", "Is 1000 IU of vitamin D daily too much?", "Is 1000 mcg of vitamin D daily too much?"),
    (
        "neg_unit",
        "Is a fever lasting 3 days in a toddler serious?",
        "Is a fever lasting 3 hours in a toddler serious?",
    ),
    ("neg_unit", "Is 2 mg per kg per day the right dose?", "Is 2 mg per kg per dose the right dose?"),
    ("neg_unit", "Can I take the antibiotic once a day?", "Can I take the antibiotic once a week?"),
    ("neg_drug", "Can I take ibuprofen with lisinopril?", "Can I take naproxen with lisinopril?"),
    (
        "neg_drug",
        "Is amoxicillin safe with a penicillin allergy?",
        "Is cephalexin safe with a penicillin allergy?",
    ),
    ("neg_drug", "What is the dose of prednisone for gout?", "What is the dose of prednisolone for gout?"),
    ("neg_drug", "What are the side effects of metoprolol?", "What are the side effects of metformin?"),
    ("neg_drug", "Is hydroxyzine used for anxiety?", "Is hydralazine used for anxiety?"),
    ("neg_drug", "Can I take Zyrtec while breastfeeding?", "Can I take Claritin while breastfeeding?"),
    ("neg_drug", "Does aspirin interact with alcohol?", "Does Tylenol interact with alcohol?"),
    ("neg_drug", "Can I take vitamin C with iron?", "Can I take calcium with iron?"),
    ("neg_population", "Is ibuprofen safe for pregnant women?", "Is ibuprofen safe for breastfeeding women?"),
    ("neg_population", "Can dogs eat grapes?", "Can cats eat grapes?"),
    (
        "neg_population",
        "Which flu vaccine is recommended for elderly patients?",
        "Which flu vaccine is recommended for teenage patients?",
    ),
    ("neg_population", "Can men take folic acid supplements?", "Can women take folic acid supplements?"),
    (
        "neg_population",
        "What is a normal heart rate for a newborn?",
        "What is a normal heart rate for a toddler?",
    ),
    ("neg_population", "Is melatonin safe for adults?", "Is melatonin safe for kids?"),
    (
        "neg_population",
        "What is the contribution limit for single filers?",
        "What is the contribution limit for joint filers?",
    ),
    ("neg_timing", "Should I take levothyroxine in the morning?", "Should I take levothyroxine at night?"),
    ("neg_timing", "Can I eat before a glucose tolerance test?", "Can I eat after a glucose tolerance test?"),
    ("neg_timing", "Is it safe to fly in the first trimester?", "Is it safe to fly in the third trimester?"),
    ("neg_timing", "Should I take my statin at bedtime?", "Should I take my statin at breakfast?"),
    ("neg_timing", "Can I shower the day after surgery?", "Can I shower the week after surgery?"),
    ("neg_timing", "Is bleeding normal early in pregnancy?", "Is bleeding normal late in pregnancy?"),
    (
        "neg_timing",
        "Should I take ibuprofen before or after meals?",
        "Should I take ibuprofen on an empty stomach?",
    ),
    (
        "neg_condition",
        "What insulin dose is typical for type 1 diabetes?",
        "What insulin dose is typical for type 2 diabetes?",
    ),
    (
        "neg_condition",
        "What are the symptoms of hypothyroidism in women?",
        "What are the symptoms of hyperthyroidism in women?",
    ),
    ("neg_condition", "How is bacterial conjunctivitis treated?", "How is viral conjunctivitis treated?"),
    ("neg_condition", "What diet is best for Crohn's disease?", "What diet is best for celiac disease?"),
    ("neg_condition", "What causes left-sided chest pain?", "What causes right-sided chest pain?"),
    (
        "neg_condition",
        "Is this medication safe with kidney disease?",
        "Is this medication safe with liver disease?",
    ),
    ("neg_condition", "How long does a migraine last?", "How long does a cluster headache last?"),
    ("neg_condition", "Is hypoglycemia dangerous during sleep?", "Is hyperglycemia dangerous during sleep?"),
    ("neg_generic", "How do I merge two branches in git?", "How do I rebase two branches in git?"),
    (
        "neg_generic",
        "How do I convert a list to a tuple in Python?",
        "How do I convert a tuple to a list in Python?",
    ),
    ("neg_generic", "How do I pause my subscription?", "How do I cancel my subscription?"),
    (
        "neg_generic",
        "What happens if I withdraw from my 401k early?",
        "What happens if I contribute to my 401k early?",
    ),
    ("neg_generic", "How do I rename a column in pandas?", "How do I drop a column in pandas?"),
    ("neg_generic", "How do I change my shipping address?", "How do I change my billing address?"),
    ("neg_generic", "How do I track my order?", "How do I return my order?"),
    ("neg_generic", "How do I reset my password?", "How do I reset my username?"),
    (
        "neg_population",
        "What is the amoxicillin dose for a 5-year-old?",
        "What is the amoxicillin dose for a 5-month-old?",
    ),
    (
        "neg_population",
        "Is it safe for seniors to take melatonin?",
        "Is it safe for teens to take melatonin?",
    ),
    ("neg_population", "Can a diabetic patient take prednisone?", "Can a pregnant patient take prednisone?"),
    (
        "neg_population",
        "How much water should an athlete drink daily?",
        "How much water should a toddler drink daily?",
    ),
    ("neg_population", "What vaccines does a healthcare worker need?", "What vaccines does a newborn need?"),
    ("neg_condition", "What are the symptoms of diabetes?", "What are the symptoms of gestational diabetes?"),
    (
        "neg_condition",
        "What are the warning signs of a heart attack?",
        "What are the warning signs of heart failure?",
    ),
    ("neg_condition", "Is a sinus infection contagious?", "Is an ear infection contagious?"),
    (
        "neg_condition",
        "What is the treatment for a first degree burn?",
        "What is the treatment for a third degree burn?",
    ),
    ("neg_condition", "How is latent tuberculosis treated?", "How is active tuberculosis treated?"),
    ("neg_condition", "What causes a low white blood cell count?", "What causes a low red blood cell count?"),
    ("neg_condition", "Can stress cause high blood sugar?", "Can stress cause high blood pressure?"),
    (
        "neg_timing",
        "Can I take my antibiotic on an empty stomach?",
        "Can I take my antibiotic on a full stomach?",
    ),
    ("neg_timing", "Is spotting normal during pregnancy?", "Is spotting normal after pregnancy?"),
    (
        "neg_timing",
        "How soon after a meal should I check my blood sugar?",
        "How soon before a meal should I check my blood sugar?",
    ),
    (
        "neg_timing",
        "Can I drink alcohol the night before surgery?",
        "Can I drink alcohol the night after surgery?",
    ),
    ("neg_timing", "Should I take the vaccine in the fall?", "Should I take the vaccine in the spring?"),
    ("neg_unit", "Is a dose of 10 mg/kg correct?", "Is a dose of 10 mg correct?"),
    ("neg_unit", "Give 0.5 ml per hour?", "Give 0.5 ml per minute?"),
    (
        "neg_unit",
        "Is a temperature of 38 degrees Celsius a fever?",
        "Is a temperature of 38 degrees Fahrenheit a fever?",
    ),
    ("neg_unit", "Is 5 grams of salt a day too much?", "Is 5 teaspoons of salt a day too much?"),
    (
        "neg_number",
        "Can I take two 200 mg ibuprofen tablets at once?",
        "Can I take three 200 mg ibuprofen tablets at once?",
    ),
    ("neg_number", "Is a blood pressure of 140/90 high?", "Is a blood pressure of 120/80 high?"),
    (
        "neg_number",
        "My baby is 3 weeks old and has a fever, what should I do?",
        "My baby is 3 months old and has a fever, what should I do?",
    ),
    (
        "neg_drug",
        "Can I drink grapefruit juice with atorvastatin?",
        "Can I drink grapefruit juice with rosuvastatin?",
    ),
    ("neg_drug", "Is it safe to take aspirin with warfarin?", "Is it safe to take aspirin with heparin?"),
    ("neg_drug", "What is the usual dose of insulin glargine?", "What is the usual dose of insulin lispro?"),
    ("neg_drug", "Does Benadryl cause drowsiness?", "Does Zyrtec cause drowsiness?"),
    (
        "neg_polarity",
        "Should I take the medication if my fever is gone?",
        "Should I take the medication if my fever is not gone?",
    ),
    (
        "neg_polarity",
        "Is it harmful to take vitamin A during pregnancy?",
        "Is it harmless to take vitamin A during pregnancy?",
    ),
    (
        "neg_polarity",
        "Can I use the inhaler if my symptoms are improving?",
        "Can I use the inhaler if my symptoms are not improving?",
    ),
    (
        "neg_polarity",
        "Which painkillers are safe with kidney disease?",
        "Which painkillers are unsafe with kidney disease?",
    ),
    (
        "neg_polarity",
        "Is a caffeine-free soda ok for pregnant women?",
        "Is a caffeinated soda ok for pregnant women?",
    ),
    ("neg_antonym", "Why do I feel dizzy when I stand up?", "Why do I feel dizzy when I lie down?"),
    (
        "neg_antonym",
        "What should I do if my blood sugar is rising fast?",
        "What should I do if my blood sugar is falling fast?",
    ),
    ("neg_antonym", "Does this drug widen blood vessels?", "Does this drug narrow blood vessels?"),
    ("neg_antonym", "How do I know if my baby is overweight?", "How do I know if my baby is underweight?"),
    (
        "neg_antonym",
        "Should I drink warm water for a sore throat?",
        "Should I drink cold water for a sore throat?",
    ),
    (
        "neg_swap",
        "Is it safe to take melatonin with sertraline?",
        "Is it safe to take sertraline with melatonin?",
    ),
    (
        "neg_swap",
        "Convert 5 mg of oral hydromorphone to morphine",
        "Convert 5 mg of oral morphine to hydromorphone",
    ),
    (
        "neg_direction",
        "How do I taper from prednisone 20 mg to 10 mg?",
        "How do I taper from prednisone 10 mg to 20 mg?",
    ),
    (
        "neg_direction",
        "Can I switch from breastfeeding to formula at 3 months?",
        "Can I switch from formula to breastfeeding at 3 months?",
    ),
    ("neg_generic", "How do I pull changes from the remote?", "How do I push changes to the remote?"),
    ("neg_generic", "How do I lock my credit card?", "How do I unlock my credit card?"),
    (
        "neg_generic",
        "How do I add a user to a group in Linux?",
        "How do I remove a user from a group in Linux?",
    ),
    ("neg_population", "Can I give my dog ibuprofen?", "Can I give my puppy ibuprofen?"),
    (
        "neg_population",
        "How much milk should a 6 month old drink a day?",
        "How much formula should a 6 month old drink a day?",
    ),
    (
        "neg_condition",
        "What is the best treatment for arthritis?",
        "What is the best treatment for osteoarthritis?",
    ),
    ("neg_condition", "How long does a headache last?", "How long does a migraine last?"),
]

# (kind, cached question, later question): the cached answer answers the later question.
PARAPHRASES = [
    (
        "para_question_form",
        "Can I take Tylenol while pregnant?",
        "Is it safe to take Tylenol while pregnant?",
    ),
    ("para_typo", "How do I delete a Git branch?", "how do i delete a git branch"),
    ("para_synonym", "How do I delete a git branch?", "How do I remove a git branch?"),
    (
        "para_synonym",
        "Should I stop taking aspirin before surgery?",
        "Should I discontinue aspirin before surgery?",
    ),
    ("para_typo", "How do I cancel my subscription?", "how do I cancel my subscribtion"),
    ("para_formality", "Kindly tell me how to reset my password.", "how do i reset my password"),
    ("para_reword", "What are the side effects of lisinopril?", "What side effects can lisinopril cause?"),
    (
        "para_question_form",
        "Can I drink coffee while taking metformin?",
        "Is it OK to drink coffee while taking metformin?",
    ),
    ("para_typo", "What is the maximum dose of ibuprofen?", "whats the maximum dose of ibuprofin"),
    (
        "para_typo",
        "Why doesn't my Python script find the module?",
        "why doesnt my python script find the module",
    ),
    ("para_synonym", "Can my kid take melatonin?", "Can my child take melatonin?"),
    (
        "para_formality",
        "hey quick question, how do i export a csv from excel",
        "How do I export a CSV from Excel?",
    ),
]

# Typed differently: misspellings, casing, dropped apostrophes, abbreviations, fillers.
TYPOS = [
    (
        "How do I know if my son has a fever that needs a doctor?",
        "how do i know if my son has a fevr that needs a docter",
    ),
    ("How do I update my billing information?", "How do I update my biling infomation"),
    ("Why does my Python script crash on import?", "why does my pyhton script crash on import"),
    ("When is the deadline to file taxes this year?", "when is the dealine to file taxes this yr"),
    ("What's the best way to store breast milk?", "whats the best way to store breast milk"),
    ("Please explain how to set environment variables in Docker.", "how to set env vars in docker"),
]


@pytest.mark.parametrize(
    ("kind", "cached", "query"), NEGATIVES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(NEGATIVES)]
)
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "standard"])
def test_near_identical_question_with_another_meaning_is_refused(
    kind: str, cached: str, query: str, strict: bool
) -> None:
    q, c = extract(query), extract(cached)
    assert verdict(1.0, q, c, threshold=0.88, strict=strict) is not None
    assert verdict(1.0, c, q, threshold=0.88, strict=strict) is not None  # either one cached first
    assert not surface_variant(q.tokens, c.tokens)


@pytest.mark.parametrize(
    ("kind", "cached", "query"), PARAPHRASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(PARAPHRASES)]
)
def test_paraphrase_passes_the_strict_verifier(kind: str, cached: str, query: str) -> None:
    assert veto(extract(query), extract(cached), strict=True) is None


@pytest.mark.parametrize(("cached", "query"), TYPOS)
def test_typed_differently_is_served_below_the_threshold(cached: str, query: str) -> None:
    q, c = extract(query), extract(cached)
    assert surface_variant(q.tokens, c.tokens)
    assert verdict(0.5, q, c, threshold=0.88, strict=True) is None
    assert verdict(VARIANT_FLOOR - 0.01, q, c, threshold=0.88, strict=True) == BELOW_THRESHOLD


@pytest.mark.parametrize(
    ("cached", "query", "same"),
    [
        (
            "Can I drink coffee while taking levothyroxine?",
            "Is it OK to drink coffee while taking levothyroxine?",
            True,
        ),
        ("How do I revert a commit?", "whats the way to revert a commit", True),
        ("How do I delete a branch?", "How to delete a branch", True),
        ("May I bring my own syringes?", "Is it possible to bring my own syringes?", True),
        ("How do I revert a commit?", "How long to revert a commit?", False),
        ("Can I take ibuprofen?", "Should I take ibuprofen?", False),
        ("Can I take ibuprofen?", "How to take ibuprofen?", False),
    ],
)
def test_question_frames_that_ask_the_same_thing_are_one_surface(cached: str, query: str, same: bool) -> None:
    assert surface_variant(extract(query).tokens, extract(cached).tokens) is same


def test_a_reworded_question_below_the_threshold_is_not_served() -> None:
    q = extract("For an adult, how much acetaminophen can be taken in a day?")
    c = extract("What is the daily acetaminophen limit for adults?")
    assert verdict(0.8, q, c, threshold=0.88, strict=True) == BELOW_THRESHOLD


class TwoPointEmbedder:
    """Every text on one of two directions at a fixed angle: the first text asked, or any other."""

    def __init__(self, similarity: float) -> None:
        self.first: str | None = None
        self.other = [similarity, math.sqrt(1 - similarity**2)]

    async def __call__(self, ctx: RequestContext, model: str, texts: list[str]) -> list[list[float]]:
        self.first = self.first or texts[0]
        return [[1.0, 0.0] if t == self.first else self.other for t in texts]


async def test_the_stage_serves_a_misspelt_copy_at_low_similarity_and_nothing_else() -> None:
    h = Harness(
        settings(apps={"sem": {"cache": {"semantic": {"enabled": True}}}}), embedder=TwoPointEmbedder(0.55)
    )
    first = await h.chat("How do I update my billing information?", app="sem", temperature=0)
    again = await h.chat("How do I update my biling infomation", app="sem", temperature=0)
    assert h.last.cache == "semantic_hit" and again.text == first.text
    await h.chat("How do I update my shipping address?", app="sem", temperature=0)
    assert h.last.cache == "miss" and h.model.calls == 2
