"""The load and fault suite (``python bench/load/run.py``); ``tests/load`` runs a short version."""
