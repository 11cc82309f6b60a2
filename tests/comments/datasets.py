"""Disqus exports from the shared generator the peers were measured with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# In CI, shared/ sits beside the clone, as it does for developers; MAKE_DATASET
# points elsewhere when a clone lives somewhere else.
MAKE_DATASET = Path(
    os.environ.get("MAKE_DATASET")
    or Path(__file__).resolve().parents[2].parent / "shared" / "bench" / "make_dataset.py"
)


def make_export(out: Path, *args: str) -> Path:
    """Write an export made by make_dataset.py with these arguments to `out`."""
    if not MAKE_DATASET.is_file():
        raise FileNotFoundError(
            f"The shared dataset generator is not at {MAKE_DATASET}: clone the project "
            "beside shared/ or set MAKE_DATASET to make_dataset.py"
        )
    subprocess.run([sys.executable, str(MAKE_DATASET), *args, "-o", str(out)], check=True)
    return out
