"""Inflation adjustment from sourced annual price indexes (data/raw/price_indexes.csv).

EUR amounts are adjusted with the euro-area HICP, USD amounts with the US CPI-U: an amount of
year Y in prices of base year B is amount * index[B] / index[Y]. Where a source gives only the
annual average rate of change, the index is chained from the nearest year with a level (only
ratios matter, so the chained series' base does not).
"""

from __future__ import annotations

import pandas as pd

INDEX_FOR = {"eur": "HICP_EA", "usd": "CPI_U_US"}


class InflationError(ValueError):
    """A year or index the price data does not cover."""


def index_levels(price_indexes: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Annual index level per index code and year, chaining published rates where levels are missing."""
    levels: dict[str, dict[int, float]] = {}
    price_indexes = price_indexes.drop_duplicates(["index_code", "year", "kind"])  # sources that confirm each other
    for code, rows in price_indexes.groupby("index_code"):
        known = {int(r.year): float(r.value) for r in rows[rows["kind"] == "annual_average_index"].itertuples()}
        rates = {int(r.year): float(r.value) for r in rows[rows["kind"] == "annual_average_rate_pct"].itertuples()}
        if not known and rates:
            known[min(rates) - 1] = 100.0  # an arbitrary anchor: only ratios between years are used
        changed = True
        while changed:
            changed = False
            for year, rate in rates.items():
                if year not in known and year - 1 in known:
                    known[year] = known[year - 1] * (1 + rate / 100)
                    changed = True
                if year - 1 not in known and year in known:
                    known[year - 1] = known[year] / (1 + rate / 100)
                    changed = True
        levels[str(code)] = dict(sorted(known.items()))
    return levels


def latest_common_year(levels: dict[str, dict[int, float]]) -> int:
    """The latest year every index covers: the default base year."""
    return min(max(series) for series in levels.values())


def adjust(frame: pd.DataFrame, levels: dict[str, dict[int, float]], base_year: int) -> pd.DataFrame:
    """New columns amount_{eur,usd}_real_{low,high} in prices of base_year; rows of uncovered years stay empty."""
    out = frame.copy()
    for currency, code in INDEX_FOR.items():
        series = levels.get(code, {})
        if base_year not in series:
            raise InflationError(
                f"{code} has no value for base year {base_year}; years covered: "
                f"{min(series) if series else '-'} to {max(series) if series else '-'}"
            )
        for side in ("low", "high"):
            out[f"amount_{currency}_real_{side}"] = deflate(
                out[f"amount_{currency}_{side}"], out["year"], currency, levels, base_year
            )
    out["price_base_year"] = base_year
    return out


def levels_from_raw(raw_dir=None) -> dict[str, dict[int, float]]:
    """Index levels from data/raw/price_indexes.csv (validated by every build)."""
    from . import paths

    raw_dir = raw_dir or paths.RAW
    prices = pd.read_csv(raw_dir / "price_indexes.csv", dtype={"index_code": "str", "kind": "str"})
    return index_levels(prices)


def deflate(amounts: pd.Series, years: pd.Series, currency: str, levels: dict, base_year: int) -> pd.Series:
    """Amounts in a currency ("eur" or "usd") of the given years, in prices of base_year."""
    series = levels[INDEX_FOR[currency]]
    factors = {year: series[base_year] / level for year, level in series.items()}
    return amounts * pd.to_numeric(years, errors="coerce").map(factors).astype("float64")
