"""Disqus exports made by the project's own generator, bench/disqus_export.py."""

from __future__ import annotations

from pathlib import Path

from bench import disqus_export


def make_export(out: Path, *args: str) -> Path:
    """Write to `out` the export bench/disqus_export.py makes with these command-line
    arguments (run in this process: the same bytes as the script, without starting one)."""
    disqus_export.main([*args, "-o", str(out)])
    return out
