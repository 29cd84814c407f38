"""Renderers: the same findings as a terminal table, JSON Lines, CSV/XLSX, memos, pages."""
