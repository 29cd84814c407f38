"""Across reports: last year's report of the same body (pack YEAR) and copied text (pack COPY).

Workers return with each result a small carry summary (summary.py); after the batch, reports
are paired by normalised body identity and year (pairing.py), within the batch and with a
history store of earlier runs (history.py); the YEAR and COPY rules, compiled by the rule
engine like any pack, run on each pair (engine.py) and become ordinary findings that name the
other report (render.py). Near-duplicate reports of different bodies are found with MinHash
and LSH (copies.py), never by comparing every pair.
"""
