"""Where the project's folders are, resolved from the package, never from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

# src/helpers/paths.py -> the checkout's root is two folders above the package.
ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
NOTEBOOKS = ROOT / "notebooks"
RUNS_FILE = NOTEBOOKS / "runs.yaml"
SCHEMA = RAW / "schema.yaml"
STYLE_SHEET = Path(__file__).resolve().parent / "privacy.mplstyle"


def processed_dir() -> Path:
    """Folder the notebooks read tidy tables from.

    The report builder points this at its staging folder (PRIVACY_PROCESSED_DIR) so that a
    build never reads or writes the published tables until it publishes them all at once.
    """
    return Path(os.environ.get("PRIVACY_PROCESSED_DIR", ROOT / "data" / "processed"))


def charts_dir() -> Path:
    """Folder a notebook saves its charts to.

    The report builder sets PRIVACY_CHARTS_DIR to the run's folder under the staged reports/;
    a notebook run by hand in JupyterLab writes to scratch/charts/ (ignored by git), so an
    interactive session never overwrites published output.
    """
    return Path(os.environ.get("PRIVACY_CHARTS_DIR", ROOT / "scratch" / "charts"))


def relative(path: Path) -> str:
    """A path as the project names it (relative to the checkout), for messages and outputs."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name
