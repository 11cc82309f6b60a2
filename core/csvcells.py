"""CSV cells a spreadsheet will not run: a cell that starts with one of these
characters is read as a formula by Excel, LibreOffice and Google Sheets, so it is
written with a leading apostrophe. Every cell of every CSV the site writes goes
through `safe_cell`: names, notes and comment bodies are typed by people."""

from __future__ import annotations

_FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r", "\n"})


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text
