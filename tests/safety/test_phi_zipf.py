"""The detector's word frequencies come from a table of wordfreq's own values, not from wordfreq.

wordfreq and its English table cost each worker ~51 MB; the detector only compares Zipf values with
3.0, 4.0 and 6.0, and ``phi.zipf`` answers those comparisons from ``frequentwords`` exactly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ai_workers.safety.phi import zipf as table

ROOT = Path(__file__).resolve().parents[2]

WORDS = [
    "the", "hello", "patient", "tire", "fix", "sulfamethoxazole", "zzyzx", "o'brien", "bahl's", "dog's",
    "kh'e", "l'homme", "rock'n'roll", "'tis", "dogs'", "well-known", "santos-ocampo", "x-ray", "café",
    "josé", "straße", "naïve", "müller", "smith-jones", "", "a", "i", "co-op", "e-mail", "nguyễn", "中文",
    "abc123", "mary-kate", "o'neil-smith",
]  # fmt: skip


@pytest.mark.parametrize("word", WORDS)
def test_comparisons_match_wordfreq(word: str) -> None:
    from wordfreq import zipf_frequency

    real = zipf_frequency(word, "en")
    mine = table.zipf(word)
    for threshold in (3.0, 4.0, 6.0):
        assert (mine >= threshold) == (real >= threshold), (word, real, mine)
    if real >= 3.0:
        assert mine == real


def test_the_table_holds_the_frequent_words_with_wordfreqs_values() -> None:
    from wordfreq import zipf_frequency

    assert len(table.FREQUENCY) > 25_000
    for word in ("the", "patient", "o'brien", "hospital", "well"):
        assert table.zipf(word) == zipf_frequency(word, "en")


def test_a_scanning_process_does_not_load_wordfreq() -> None:
    """Names with apostrophes and hyphens, lower-case chat, a clinical note: no wordfreq import."""
    script = (
        "import sys\n"
        "from ai_workers.safety.phi import PhiDetector\n"
        "d = PhiDetector()\n"
        "d.detect('how to fix a flat tire before the trip')\n"
        "d.detect(\"pt seen by dr o'brien; wife mary-kate santos-ocampo at bedside, bahl's notes read\")\n"
        "d.detect('Patient Jane Doe, DOB 01/02/1960, seen at 12 Main Street; call 555-123-4567.')\n"
        "print('wordfreq' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
