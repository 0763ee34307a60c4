"""Currency conversion at the ECB rate of the day, checked against the ECB file read independently."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest

from helpers import fx


def ecb_row(day: str) -> dict:
    """The ECB history row for one day, read with the csv module (not with the code under test)."""
    with zipfile.ZipFile(fx.ECB_HISTORY) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    for row in csv.DictReader(io.StringIO(text)):
        if row["Date"] == day:
            return row
    raise LookupError(day)


def test_rate_of_the_day():
    rates = fx.rates_on(pd.Series(pd.to_datetime(["2021-02-26"])), pd.Series(["USD"]))
    assert rates.loc[0, "per_eur"] == pytest.approx(float(ecb_row("2021-02-26")["USD"]))
    assert rates.loc[0, "fx_date"] == pd.Timestamp("2021-02-26")
    assert rates.loc[0, "fx_note"] == ""


def test_weekend_takes_the_last_business_day_before():
    # 2021-02-27 and -28 are a Saturday and a Sunday: the Friday's rate is used, and said so.
    rates = fx.rates_on(pd.Series(pd.to_datetime(["2021-02-28"])), pd.Series(["GBP"]))
    assert rates.loc[0, "fx_date"] == pd.Timestamp("2021-02-26")
    assert rates.loc[0, "per_eur"] == pytest.approx(float(ecb_row("2021-02-26")["GBP"]))


def test_conversion_to_eur_and_usd():
    rates = fx.rates_on(pd.Series(pd.to_datetime(["2021-02-26"])), pd.Series(["GBP"]))
    row = ecb_row("2021-02-26")
    amounts = pd.Series([1_000_000.0])
    assert fx.convert(amounts, rates, "EUR")[0] == pytest.approx(1_000_000 / float(row["GBP"]))
    assert fx.convert(amounts, rates, "USD")[0] == pytest.approx(1_000_000 / float(row["GBP"]) * float(row["USD"]))
    with pytest.raises(ValueError, match="base currencies"):
        fx.convert(amounts, rates, "GBP")


def test_euro_converts_to_itself():
    rates = fx.rates_on(pd.Series(pd.to_datetime(["2023-09-15"])), pd.Series(["EUR"]))
    assert fx.convert(pd.Series([345_000_000.0]), rates, "EUR")[0] == 345_000_000.0


def test_currency_the_ecb_does_not_quote_is_left_unconverted():
    rates = fx.rates_on(pd.Series(pd.to_datetime(["2022-07-01"])), pd.Series(["NGN"]))
    assert pd.isna(rates.loc[0, "per_eur"])
    assert "not quoted by the ECB" in rates.loc[0, "fx_note"]


def test_currency_the_ecb_stopped_quoting():
    rates = fx.rates_on(pd.Series(pd.to_datetime(["2023-06-01", "2021-06-01"])), pd.Series(["RUB", "RUB"]))
    assert pd.isna(rates.loc[0, "per_eur"]) and "stopped quoting" in rates.loc[0, "fx_note"]
    assert rates.loc[1, "per_eur"] > 0 and rates.loc[1, "fx_note"] == ""


def test_rows_without_amount_get_no_rate():
    rates = fx.rates_on(pd.Series(pd.to_datetime(["2021-06-01", None])), pd.Series(["", "EUR"]))
    assert rates["per_eur"].isna().all()
