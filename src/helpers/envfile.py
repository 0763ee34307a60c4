"""environment.yml for conda users, generated from requirements.txt so the pins cannot drift."""

from __future__ import annotations

import sys

from . import paths

HEADER = """# Generated from requirements.txt by `make environment.yml`: do not edit by hand.
# tests/test_environment.py fails if this file and requirements.txt drift apart.
# conda env create -f environment.yml && conda activate privacy-actions
name: privacy-actions
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def pins(path=None) -> list[str]:
    """The pinned requirements, without comments."""
    path = path or paths.ROOT / "requirements.txt"
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def render() -> str:
    return HEADER + "".join(f"      - {pin}\n" for pin in pins()) + "      - -e .\n"


if __name__ == "__main__":
    sys.stdout.write(render())
