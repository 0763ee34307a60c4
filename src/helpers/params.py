"""Notebook parameters, checked the same way by the notebooks and by the report builder."""

from __future__ import annotations

import hashlib

import pandas as pd

from . import paths

BASE_CURRENCIES = ("EUR", "USD")
ALL = "all"


class ParameterError(ValueError):
    """A notebook parameter that the data cannot answer; the message lists the valid values."""


def data_version(raw_dir=None) -> str:
    """Short fingerprint of the raw data (every file under data/raw), shown on every report."""
    raw_dir = raw_dir or paths.RAW
    digest = hashlib.sha256()
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(raw_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def known_platforms(raw_dir=None) -> list[str]:
    """Platforms in the crosswalk, read from the raw file (cheap: no full validation)."""
    raw_dir = raw_dir or paths.RAW
    return sorted(pd.read_csv(raw_dir / "platforms.csv", dtype="str", keep_default_na=False)["platform"])


def check_parameters(platform: str = "TikTok", base_currency: str = "EUR", **other) -> dict:
    """Validate notebook parameters; raise ParameterError naming the valid values."""
    problems = []
    platforms = known_platforms()
    if not isinstance(platform, str) or (platform != ALL and platform not in platforms):
        problems.append(f"platform {platform!r} is unknown; use {ALL!r} or one of: {', '.join(platforms)}")
    if base_currency not in BASE_CURRENCIES:
        problems.append(f"base_currency {base_currency!r} is not supported; use one of: {', '.join(BASE_CURRENCIES)}")
    if problems:
        raise ParameterError("; ".join(problems))
    return {"platform": platform, "base_currency": base_currency, **other}


def select_platform(frame: pd.DataFrame, platform: str) -> pd.DataFrame:
    """Rows of one platform, or all rows for 'all'."""
    return frame.copy() if platform == ALL else frame[frame["platform"] == platform].copy()
