"""Data for ``python -m index.evaluate``: a small fictional corpus and judged queries."""
