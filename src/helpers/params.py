"""Notebook parameters, checked the same way by the notebooks and by the report builder.

Every notebook takes some of: platform, jurisdictions, base_currency, base_year, start_year,
end_year. check_parameters() refuses anything the data cannot answer, naming the valid values,
so a bad value from the command line or runs.yaml stops before any kernel starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from . import paths

BASE_CURRENCIES = ("EUR", "USD")
ALL = "all"
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100  # end_year's "no limit"


class ParameterError(ValueError):
    """A notebook parameter that the data cannot answer; the message lists the valid values."""


def tree_hash(folder) -> str:
    """Hash of every file's relative path and bytes below a folder (compiled Python left out)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def data_version(raw_dir=None) -> str:
    """Short fingerprint of the raw data (every file under data/raw), shown on every report."""
    return tree_hash(raw_dir or paths.RAW)[:12]


def _column(file: str, column: str, raw_dir=None) -> list[str]:
    raw_dir = raw_dir or paths.RAW
    return sorted(pd.read_csv(raw_dir / file, dtype="str", keep_default_na=False)[column].unique())


def known_platforms(raw_dir=None) -> list[str]:
    """Platforms in the crosswalk, read from the raw file (cheap: no full validation)."""
    return _column("platforms.csv", "platform", raw_dir)


def known_jurisdictions(raw_dir=None) -> list[str]:
    return _column("jurisdictions.csv", "jurisdiction", raw_dir)


def price_years(raw_dir=None) -> tuple[int, int]:
    """The years every price index covers (the range a base year may take)."""
    raw_dir = raw_dir or paths.RAW
    prices = pd.read_csv(raw_dir / "price_indexes.csv", dtype={"year": "int64"})
    spans = prices.groupby("index_code")["year"].agg(["min", "max"])
    return int(spans["min"].max()), int(spans["max"].min())


def _is_year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_parameters(
    platform: str = "TikTok",
    base_currency: str = "EUR",
    jurisdictions=None,
    base_year=None,
    start_year=None,
    end_year=None,
    featured_case=None,
    **other,
) -> dict:
    """Validate notebook parameters; raise ParameterError naming the valid values."""
    problems = []
    platforms = known_platforms()
    if not isinstance(platform, str) or (platform != ALL and platform not in platforms):
        problems.append(f"platform {platform!r} is unknown; use {ALL!r} or one of: {', '.join(platforms)}")
    if base_currency not in BASE_CURRENCIES:
        problems.append(f"base_currency {base_currency!r} is not supported; use one of: {', '.join(BASE_CURRENCIES)}")
    if jurisdictions is not None:
        codes = known_jurisdictions()
        if not isinstance(jurisdictions, (list, tuple)) or not all(isinstance(j, str) for j in jurisdictions):
            problems.append(
                f'jurisdictions must be a list of codes, like ["NL", "IE"], or [] for all; got {jurisdictions!r}'
            )
        else:
            unknown = [j for j in jurisdictions if j not in codes]
            if unknown:
                problems.append(f"jurisdictions {unknown} unknown; use codes from: {', '.join(codes)}")
    if base_year is not None:
        first, last = price_years()
        if not _is_year(base_year) or not first <= base_year <= last:
            problems.append(f"base_year {base_year!r} is outside the price indexes; use a year from {first} to {last}")
    this_year = dt.date.today().year
    for name, value, last in (("start_year", start_year, this_year), ("end_year", end_year, LATEST_YEAR)):
        if value is not None and (not _is_year(value) or not EARLIEST_YEAR <= value <= last):
            problems.append(f"{name} {value!r} is not a year from {EARLIEST_YEAR} to {last}")
    if featured_case:
        cases = _column("cases.csv", "case_id")
        if featured_case not in cases:
            problems.append(f'featured_case {featured_case!r} is not a case_id in data/raw/cases.csv ("" for none)')
    if _is_year(start_year) and _is_year(end_year) and start_year > end_year:
        problems.append(f"start_year {start_year} is after end_year {end_year}")
    if problems:
        raise ParameterError("; ".join(problems))
    return {
        "platform": platform,
        "base_currency": base_currency,
        "jurisdictions": jurisdictions,
        "base_year": base_year,
        "start_year": start_year,
        "end_year": end_year,
        "featured_case": featured_case,
        **other,
    }


def select_platform(frame: pd.DataFrame, platform: str) -> pd.DataFrame:
    """Rows of one platform, or all rows for 'all'."""
    return frame.copy() if platform == ALL else frame[frame["platform"] == platform].copy()


def select(
    frame: pd.DataFrame,
    platform: str = ALL,
    jurisdictions=None,
    start_year=None,
    end_year=None,
    year_column: str = "year",
) -> pd.DataFrame:
    """Rows of a platform (or all), in the given jurisdictions (empty: all), within the years given."""
    out = select_platform(frame, platform)
    if jurisdictions:
        out = out[out["jurisdiction"].isin(jurisdictions)]
    years = pd.to_numeric(out[year_column], errors="coerce")
    if start_year is not None:
        out = out[years >= start_year]
        years = years[out.index]
    if end_year is not None:
        out = out[years <= end_year]
    return out.copy()
