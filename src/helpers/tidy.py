"""From validated raw tables to the published tidy tables (data/processed/*.csv).

Every join is checked: a join may neither lose nor duplicate a row, and every step ends with
named sanity checks. Functions return new frames and never change the ones they are given.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import datapackage, fx, inflation
from .validate import RawData, date_floor


class JoinError(AssertionError):
    """A join lost or duplicated rows: the crosswalks or ids are inconsistent."""


def checked_merge(left: pd.DataFrame, right: pd.DataFrame, on: str, what: str, **kwargs) -> pd.DataFrame:
    """Left join that must keep exactly the left rows, each matched at most once."""
    merged = left.merge(right, on=on, how="left", validate="many_to_one", indicator=True, **kwargs)
    if len(merged) != len(left):
        raise JoinError(f"joining {what} on {on} changed the row count from {len(left)} to {len(merged)}")
    unmatched = merged.loc[merged["_merge"] != "both", on]
    if len(unmatched):
        raise JoinError(f"joining {what} on {on}: no match for {sorted(unmatched.astype(str).unique())[:5]}")
    return merged.drop(columns="_merge")


def _check(frame: pd.DataFrame, name: str, key: str) -> pd.DataFrame:
    """Named sanity checks every published table passes."""
    if frame[key].duplicated().any():
        raise AssertionError(f"{name}: {key} is not unique")
    money = [c for c in frame.columns if c.startswith("amount") or "_eur" in c or "_usd" in c]
    for column in money:
        if pd.api.types.is_numeric_dtype(frame[column]) and (frame[column] < 0).any():
            raise AssertionError(f"{name}: {column} has negative values")
    for low in [c for c in frame.columns if c.endswith("_low")]:
        high = low[: -len("_low")] + "_high"
        if high in frame.columns and (frame[low] > frame[high] * (1 + 1e-9)).any():
            raise AssertionError(f"{name}: {low} exceeds {high}")
    return frame


ACTION_COLUMNS = [
    "action_id",
    "case_id",
    "platform",
    "company",
    "jurisdiction",
    "jurisdiction_name",
    "region",
    "regime",
    "forum",
    "case_kind",
    "stage",
    "action_type",
    "date",
    "date_precision",
    "year",
    "status",
    "amount_status",
    "amount_unit",
    "amount_low",
    "amount_high",
    "currency",
    "amount_eur_low",
    "amount_eur_high",
    "amount_usd_low",
    "amount_usd_high",
    "ecb_rate_per_eur",
    "ecb_usd_per_eur",
    "fx_date",
    "fx_note",
    "amount_eur_real_low",
    "amount_eur_real_high",
    "amount_usd_real_low",
    "amount_usd_real_high",
    "price_base_year",
    "people_low",
    "people_high",
    "amount_eur_per_person_low",
    "amount_eur_per_person_high",
    "amount_usd_per_person_low",
    "amount_usd_per_person_high",
    "follows_action_id",
    "description",
    "certainty",
    "notes",
    "source_id",
    "source_url",
    "source_publisher",
    "source_kind",
]


def build_actions(raw: RawData) -> pd.DataFrame:
    """One row per action, with case context, parent company, EUR/USD amounts and its source."""
    actions = raw["actions"].reset_index(drop=True)
    cases = raw["cases"][["case_id", "platform", "jurisdiction", "forum", "case_kind"]]
    out = checked_merge(actions, cases, "case_id", "actions to cases")
    out = checked_merge(out, raw["platforms"], "platform", "actions to platforms")
    jurisdictions = raw["jurisdictions"].rename(columns={"name": "jurisdiction_name"})
    out = checked_merge(out, jurisdictions, "jurisdiction", "actions to jurisdictions")
    sources = raw["sources"][["source_id", "url", "publisher", "source_kind"]].rename(
        columns={"url": "source_url", "publisher": "source_publisher"}
    )
    out = checked_merge(out, sources, "source_id", "actions to sources")

    when = date_floor(out["date"])
    out["year"] = when.dt.year.astype("Int64")
    rates = fx.rates_on(when.where(out["amount_status"] == "stated"), out["currency"])
    for side in ("low", "high"):
        out[f"amount_eur_{side}"] = fx.convert(out[f"amount_{side}"], rates, "EUR")
        out[f"amount_usd_{side}"] = fx.convert(out[f"amount_{side}"], rates, "USD")
    out["ecb_rate_per_eur"] = rates["per_eur"]
    out["ecb_usd_per_eur"] = rates["usd_per_eur"]
    out["fx_date"] = rates["fx_date"].dt.strftime("%Y-%m-%d")
    partial = (out["date_precision"] != "day") & rates["per_eur"].notna()
    note = rates["fx_note"].copy()
    note[partial] = (
        "date known to the " + out.loc[partial, "date_precision"] + " only: rate of its first day; " + note[partial]
    ).str.rstrip("; ")
    out["fx_note"] = note
    levels = inflation.index_levels(raw["price_indexes"])
    out = inflation.adjust(out, levels, inflation.latest_common_year(levels))
    people = _primary_estimates(raw)[["case_id", "people_low", "people_high"]]
    out = out.merge(people, on="case_id", how="left", validate="many_to_one")
    total = out["amount_unit"] == "total"  # a per-day or per-person amount is not divided again
    for currency in ("eur", "usd"):
        out[f"amount_{currency}_per_person_low"] = (
            out[f"amount_{currency}_low"] / out["people_high"].astype("float64")
        ).where(total)
        out[f"amount_{currency}_per_person_high"] = (
            out[f"amount_{currency}_high"] / out["people_low"].astype("float64")
        ).where(total)
    out = out[ACTION_COLUMNS].sort_values(["date", "action_id"], kind="stable").reset_index(drop=True)
    if len(out) != len(actions):
        raise JoinError(f"actions: {len(actions)} raw rows became {len(out)} published rows")
    return _check(out, "actions", "action_id")


def _primary_estimates(raw: RawData) -> pd.DataFrame:
    """The estimate each case's per-person figures use (per_person_basis = yes)."""
    estimates = raw["user_estimates"]
    chosen = estimates[estimates["per_person_basis"] == "yes"]
    return chosen[["case_id", "estimate_id", "population", "people_low", "people_high"]].rename(
        columns={"population": "people_population"}
    )


def _pick(actions: pd.DataFrame, stage: str, by: list[str], prefix: str) -> pd.DataFrame:
    """Per case, the last action of a stage after sorting by `by` (largest or latest)."""
    chosen = actions[(actions["stage"] == stage)]
    chosen = chosen.sort_values(by, kind="stable").groupby("case_id").tail(1)
    chosen = chosen[
        [
            "case_id",
            "action_id",
            "action_type",
            "date",
            "status",
            "amount_eur_low",
            "amount_eur_high",
            "amount_usd_low",
            "amount_usd_high",
        ]
    ]
    chosen = chosen.rename(columns=lambda c: c.replace("amount_", ""))
    return chosen.add_prefix(prefix).rename(columns={f"{prefix}case_id": "case_id"})


CASE_COLUMNS = [
    "case_id",
    "platform",
    "company",
    "jurisdiction",
    "jurisdiction_name",
    "region",
    "regime",
    "forum",
    "forum_kind",
    "brought_by",
    "case_kind",
    "topic",
    "legal_basis",
    "started_date",
    "started_date_precision",
    "started_year",
    "n_actions",
    "claim_action_id",
    "claim_date",
    "claim_eur_low",
    "claim_eur_high",
    "claim_usd_low",
    "claim_usd_high",
    "outcome_action_id",
    "outcome_type",
    "outcome_date",
    "outcome_status",
    "outcome_eur_low",
    "outcome_eur_high",
    "outcome_usd_low",
    "outcome_usd_high",
    "paid_action_id",
    "paid_date",
    "paid_status",
    "paid_eur_low",
    "paid_eur_high",
    "paid_usd_low",
    "paid_usd_high",
    "latest_step_action_id",
    "latest_step_type",
    "latest_step_date",
    "latest_step_status",
    "estimate_id",
    "people_population",
    "people_low",
    "people_high",
    "claim_eur_per_person_low",
    "claim_eur_per_person_high",
    "claim_usd_per_person_low",
    "claim_usd_per_person_high",
    "outcome_eur_per_person_low",
    "outcome_eur_per_person_high",
    "outcome_usd_per_person_low",
    "outcome_usd_per_person_high",
    "paid_eur_per_person_low",
    "paid_eur_per_person_high",
    "paid_usd_per_person_low",
    "paid_usd_per_person_high",
    "summary",
    "source_id",
    "source_url",
]


def build_cases(raw: RawData, actions: pd.DataFrame) -> pd.DataFrame:
    """One row per case: largest claim, latest outcome with an amount, people concerned, per-person ranges.

    "Largest claim" is the claim-stage action with the highest upper amount; "outcome" is the latest
    outcome-stage action that states an amount (so a later order without money does not hide the fine);
    "latest step" is the latest action of any kind (an appeal, an annulment), so readers see where it stands.

    Per-person ranges are intervals: low = amount_low / people_high, high = amount_high / people_low.
    """
    cases = raw["cases"].reset_index(drop=True)
    out = checked_merge(cases, raw["platforms"], "platform", "cases to platforms")
    out = checked_merge(
        out,
        raw["jurisdictions"].rename(columns={"name": "jurisdiction_name"}),
        "jurisdiction",
        "cases to jurisdictions",
    )
    out = checked_merge(
        out, raw["sources"][["source_id", "url"]].rename(columns={"url": "source_url"}), "source_id", "cases to sources"
    )
    counts = actions.groupby("case_id").size().rename("n_actions").reset_index()
    out = out.merge(counts, on="case_id", how="left", validate="one_to_one")
    out["n_actions"] = out["n_actions"].fillna(0).astype("int64")

    stated = actions[actions["amount_eur_high"].notna() & (actions["amount_unit"] == "total")]
    claim = _pick(stated, "claim", ["amount_eur_high", "date", "action_id"], "claim_")
    payment = stated["action_type"] == "payment"
    outcome = _pick(stated[~payment], "outcome", ["date", "action_id"], "outcome_")
    paid = _pick(stated[payment], "outcome", ["date", "action_id"], "paid_")
    latest = actions.sort_values(["date", "action_id"], kind="stable").groupby("case_id").tail(1)
    latest = latest[["case_id", "action_id", "action_type", "date", "status"]].rename(
        columns={
            "action_id": "latest_step_action_id",
            "action_type": "latest_step_type",
            "date": "latest_step_date",
            "status": "latest_step_status",
        }
    )
    for part in (
        claim.drop(columns=["claim_action_type", "claim_status"]),
        outcome.rename(columns={"outcome_action_type": "outcome_type"}),
        paid.drop(columns=["paid_action_type"]),
        latest,
        _primary_estimates(raw),
    ):
        before = len(out)
        out = out.merge(part, on="case_id", how="left", validate="one_to_one")
        if len(out) != before:
            raise JoinError("cases: a summary join changed the row count")
    people_low = out["people_low"].astype("float64")
    people_high = out["people_high"].astype("float64")
    for what in ("claim", "outcome", "paid"):
        for currency in ("eur", "usd"):
            out[f"{what}_{currency}_per_person_low"] = out[f"{what}_{currency}_low"] / people_high
            out[f"{what}_{currency}_per_person_high"] = out[f"{what}_{currency}_high"] / people_low
    out["started_year"] = out["started_date"].str[:4].astype("int64")
    out = out[CASE_COLUMNS].sort_values("case_id").reset_index(drop=True)
    if len(out) != len(cases):
        raise JoinError(f"cases: {len(cases)} raw rows became {len(out)} published rows")
    return _check(out, "cases", "case_id")


def build_tables(raw: RawData) -> dict[str, pd.DataFrame]:
    """All published tables, by file stem."""
    actions = build_actions(raw)
    tables = {"actions": actions, "cases": build_cases(raw, actions)}
    for name in ("user_estimates", "platform_users", "conflicts", "sources"):
        tables[name] = raw[name].reset_index(drop=True)
    return tables


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_publishing(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as published: floats rounded, and text that a spreadsheet would run as a formula defused.

    Money is rounded to cents, rates and per-person figures to 6 decimals. A text cell that begins
    with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so Excel and LibreOffice
    show it as text instead of running it; numeric columns are untouched, so numbers stay numbers.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            money = column.startswith(("amount_", "claim_", "outcome_", "paid_")) and "per_person" not in column
            out[column] = values.round(2 if money else 6)
        elif pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            text = values.astype("object")
            cells = text.tolist()
            try:
                joined = "\x00" + "\x00".join(cells)
            except TypeError:  # missing values among the text
                joined = "\x00" + "\x00".join(v for v in cells if isinstance(v, str))
            if not any(f"\x00{c}" in joined for c in FORMULA_START):  # one C-speed scan of the column
                continue
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START)).astype(bool)
            out[column] = text.where(~risky, "'" + text.astype("str"))
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """CSV in UTF-8 with quotes only where needed, empty cells for missing values (pyarrow's fast writer)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return path


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write the tables as CSV (UTF-8, ISO dates, plain numbers) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        write_csv(for_publishing(frame), path)
        written.append(path)
    written.append(datapackage.write(tables, folder))
    return written


def read_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """A published table, with its text columns as strings and amounts as floats."""
    from . import paths

    folder = folder or paths.processed_dir()
    return pd.read_csv(Path(folder) / f"{name}.csv", keep_default_na=False, na_values=[""])
