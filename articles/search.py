"""Search that reads Urdu: the index and the query see the same text, with the
Arabic-script letter forms readers type differently folded to one
(core.script.fold_arabic: ي/ی, ك/ک, ه/ہ/ۀ, hamza forms, harakat and the like).

The fold is one code point for one (or none), so the index, the query and the
highlighted snippet all keep whole words, and the letters that join stay joined.
PostgreSQL folds the stored texts with translate() over the same table Python uses
for the query (core.script.ARABIC_FOLD_FROM / ARABIC_FOLD_TO)."""

from __future__ import annotations

from django.db.models import Expression, F, Func, TextField, Value

from core.script import ARABIC_FOLD_FROM, ARABIC_FOLD_TO, fold_arabic

__all__ = ["fold_arabic", "folded"]


def folded(expression: str | Expression) -> Func:
    """The column (or expression) with its Arabic-script letters folded, in SQL."""
    source = F(expression) if isinstance(expression, str) else expression
    return Func(
        source,
        Value(ARABIC_FOLD_FROM),
        Value(ARABIC_FOLD_TO),
        function="translate",
        output_field=TextField(),
    )


def unfold_snippet(snippet: str, source: str, *, delimiter: str, markers: tuple[str, str]) -> str:
    """The snippet PostgreSQL cut from the folded `source` (with `markers` around
    the matches and `delimiter` between fragments), as the author wrote it: each
    fragment is found in the folded source and taken from `source` itself, and
    each marker is put where its word stands there. The fold keeps or drops each
    character (never adds one), so every folded position has its original; a
    dropped mark belongs to the letter before it and stays inside the highlight.
    Should a fragment not be found (it always is), the folded snippet is kept."""
    start_mark, stop_mark = markers
    origins: list[int] = []  # origins[i]: where folded character i came from
    for index, ch in enumerate(source):
        if fold_arabic(ch):
            origins.append(index)
    origins.append(len(source))
    folded_source = fold_arabic(source)

    def end_of(position: int) -> int:
        # The original index after folded character `position - 1`, with the marks
        # the fold dropped after it.
        if position <= 0:
            return origins[0]
        end = origins[position - 1] + 1
        limit = origins[position]
        return limit if limit > end and not fold_arabic(source[end:limit]) else end

    out: list[str] = []
    searched_from = 0
    for fragment in snippet.split(delimiter):
        plain = fragment.replace(start_mark, "").replace(stop_mark, "")
        found = folded_source.find(plain, searched_from) if plain else -1
        if found < 0:
            return snippet
        searched_from = found + len(plain)
        pieces: list[str] = []
        cursor = found  # folded position reached
        written = origins[found]  # original position reached
        for token in _marker_split(fragment, markers):
            if token in markers:
                # A start goes before its letter; a stop after the letter's marks.
                at = origins[cursor] if token == start_mark else end_of(cursor)
                pieces.append(source[written:at] + token)
                written = at
            else:
                cursor += len(token)
        pieces.append(source[written : end_of(cursor)])
        out.append("".join(pieces))
    return delimiter.join(out)


def _marker_split(text: str, markers: tuple[str, str]) -> list[str]:
    tokens: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in markers:
            tokens.extend(("".join(current), ch))
            current = []
        else:
            current.append(ch)
    tokens.append("".join(current))
    return [t for t in tokens if t]
