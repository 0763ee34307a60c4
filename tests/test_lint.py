"""The code passes ruff's checks and is formatted by it (the house style)."""

from __future__ import annotations

import subprocess
import sys

from helpers import paths


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "src", "tests"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_check():
    result = ruff("check", "--output-format", "concise")
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = ruff("format", "--check")
    assert result.returncode == 0, f"run `make format`:\n{result.stdout}"
