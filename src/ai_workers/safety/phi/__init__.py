"""PHI detection: the 18 HIPAA Safe Harbor identifiers plus hospital and clinic names."""

from ai_workers.safety.phi.detector import PhiDetector, default_detector, detect
from ai_workers.safety.phi.spans import PHI_TYPES, Span

__all__ = ["PHI_TYPES", "PhiDetector", "Span", "default_detector", "detect"]
