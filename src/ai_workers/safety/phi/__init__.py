"""PHI detection: the 18 HIPAA Safe Harbor identifiers plus hospital and clinic names."""

from ai_workers.safety.phi.native import load_modules

COMPILED = load_modules()
"""Whether the mypyc-compiled detector runs (see ``native.py``); bench/bench_phi.py prints it."""

from ai_workers.safety.phi.detector import PhiDetector, default_detector, detect  # noqa: E402
from ai_workers.safety.phi.spans import PHI_TYPES, Span  # noqa: E402

__all__ = ["COMPILED", "PHI_TYPES", "PhiDetector", "Span", "default_detector", "detect"]
