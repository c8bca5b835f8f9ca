"""Scales of the figures in the knowledge base (no imports: used on every run)."""

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
