"""A throwaway copy of the project, and the real `python -m helpers report` run inside it.

The copy's `helpers` is its own src/ (PYTHONPATH), so a build there reads and publishes only the
copy: the tests exercise the real runner without touching the checkout's published output.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from helpers.bench import copy_checkout

SMALL_RUNS = """runs:
  - name: tiktok-jurisdictions
    notebook: 01-jurisdiction-comparison.ipynb
    default: true
  - name: data-quality
    notebook: 05-data-quality.ipynb
    default: true
"""


def make_copy(target: Path, runs: str = SMALL_RUNS) -> Path:
    """Copy the working tree to target, with a small runs file so each build takes seconds."""
    copy_checkout(target)
    # Only the notebooks the small runs file keeps (a default run per notebook is a convention test).
    (target / "notebooks" / "runs.yaml").write_text(runs, encoding="utf-8")
    return target


def env_for(root: Path, **extra: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "jupyter/config"),
        ("JUPYTER_DATA_DIR", "jupyter/data"),
        ("JUPYTER_RUNTIME_DIR", "jupyter/runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
    ):
        env[name] = str(root / ".build-env" / sub)
    for name in ("PRIVACY_PROCESSED_DIR", "PRIVACY_CHARTS_DIR", "PRIVACY_CRASH_AT", "MPLBACKEND"):
        env.pop(name, None)
    env.update(extra)
    return env


def report_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "helpers", "report", "--timeout", "120", *args]


def report(root: Path, *args: str, user: int | None = None, **extra: str) -> subprocess.CompletedProcess:
    """Run `python -m helpers report` in the copy and return what it did."""
    cmd = report_cmd(*args)
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    return subprocess.run(
        cmd, cwd=root, env=env_for(root, **extra), capture_output=True, text=True, timeout=600, check=False
    )


def published(root: Path) -> dict[str, str]:
    """Hash of every published file: the tables, the reports, the committed notebooks, README."""
    files = [p for folder in ("data/processed", "reports") for p in (root / folder).rglob("*") if p.is_file()]
    files += list((root / "notebooks").glob("*.ipynb")) + [root / "README.md"]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}
