"""data/processed/datapackage.json: a Frictionless data package describing every published table.

Column descriptions come from data/raw/schema.yaml for columns carried over from the raw files,
and from DERIVED below for the columns the build adds. The README's dictionary of published
tables is generated from the same descriptions (helpers.docs).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .validate import load_schema

LICENSES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }
]

PUBLISHED = {
    "actions": "One row per action (a step of a case that carries a figure or a decision), with its case, "
    "parent company, jurisdiction, amounts in the original currency, EUR and USD (nominal and "
    "inflation-adjusted), per-person ranges and source.",
    "cases": "One row per case: the largest claim, the latest outcome that states an amount, what was paid, "
    "the latest step, the people concerned and per-person ranges.",
    "user_estimates": "How many people each case concerns, in the sources' own words.",
    "platform_users": "How many people use a platform in a jurisdiction, where a source states it.",
    "conflicts": "Where sources disagree: both values, which we chose and why.",
    "sources": "Every page a figure comes from.",
}

# (type, unit, description) for columns the build adds. Types are Frictionless Table Schema types.
MONEY = "number"
DERIVED: dict[str, tuple[str, str, str]] = {
    "company": ("string", "", "Parent company of the platform (from data/raw/platforms.csv)."),
    "jurisdiction_name": ("string", "", "Name of the jurisdiction in English."),
    "region": ("string", "", "World region of the jurisdiction."),
    "regime": (
        "string",
        "",
        "Privacy regime of the jurisdiction: GDPR, UK GDPR, US federal, US state, other national law.",
    ),
    "year": ("integer", "", "Calendar year of the action's date."),
    "amount_eur_low": (MONEY, "EUR", "amount_low in euros at the ECB rate of the action's date."),
    "amount_eur_high": (MONEY, "EUR", "amount_high in euros at the ECB rate of the action's date."),
    "amount_usd_low": (MONEY, "USD", "amount_low in US dollars via the ECB euro rates of the action's date."),
    "amount_usd_high": (MONEY, "USD", "amount_high in US dollars via the ECB euro rates of the action's date."),
    "amount_eur_real_low": (
        MONEY,
        "EUR of price_base_year",
        "amount_eur_low adjusted for inflation with the euro-area HICP.",
    ),
    "amount_eur_real_high": (
        MONEY,
        "EUR of price_base_year",
        "amount_eur_high adjusted for inflation with the euro-area HICP.",
    ),
    "amount_usd_real_low": (
        MONEY,
        "USD of price_base_year",
        "amount_usd_low adjusted for inflation with the US CPI-U.",
    ),
    "amount_usd_real_high": (
        MONEY,
        "USD of price_base_year",
        "amount_usd_high adjusted for inflation with the US CPI-U.",
    ),
    "price_base_year": ("integer", "", "Year whose prices the *_real_* columns are in."),
    "ecb_rate_per_eur": (
        "number",
        "currency units per EUR",
        "ECB reference rate used: units of the original currency per euro.",
    ),
    "ecb_usd_per_eur": ("number", "USD per EUR", "ECB reference rate used for US dollars per euro."),
    "fx_date": (
        "string",
        "",
        "The ECB business day whose rates were used (the action's date or the last business day before it).",
    ),
    "fx_note": ("string", "", "Caveat on the conversion (partial date, currency not quoted, rate file ended)."),
    "people_low": (
        "integer",
        "people",
        "Lower bound of the people the case concerns (the estimate marked per_person_basis).",
    ),
    "people_high": ("integer", "people", "Upper bound of the people the case concerns."),
    "amount_eur_per_person_low": (MONEY, "EUR per person", "amount_eur_low / people_high (totals only)."),
    "amount_eur_per_person_high": (MONEY, "EUR per person", "amount_eur_high / people_low (totals only)."),
    "amount_usd_per_person_low": (MONEY, "USD per person", "amount_usd_low / people_high (totals only)."),
    "amount_usd_per_person_high": (MONEY, "USD per person", "amount_usd_high / people_low (totals only)."),
    "source_url": ("string", "", "URL of the source."),
    "source_publisher": ("string", "", "Publisher of the source."),
    "n_actions": ("integer", "", "Number of actions in the case."),
    "started_year": ("integer", "", "Calendar year the case began."),
    "estimate_id": ("string", "", "The user estimate per-person figures divide by."),
    "people_population": ("string", "", "Who that estimate counts, in the source's words."),
    "latest_step_action_id": ("string", "", "The case's latest action of any kind."),
    "latest_step_type": ("string", "", "Its action_type."),
    "latest_step_date": ("string", "", "Its date."),
    "latest_step_status": ("string", "", "Its status."),
}
for _what, _meaning in (
    ("claim", "the largest claim-stage total (demanded or proposed)"),
    ("outcome", "the latest outcome-stage total (imposed, agreed, awarded)"),
    ("paid", "the latest payment-stage total (paid or distributed)"),
):
    DERIVED[f"{_what}_action_id"] = ("string", "", f"Action of {_meaning}.")
    DERIVED[f"{_what}_date"] = ("string", "", f"Date of {_meaning}.")
    DERIVED[f"{_what}_type"] = ("string", "", f"action_type of {_meaning}.")
    DERIVED[f"{_what}_status"] = ("string", "", f"Status of {_meaning}.")
    for _cur in ("eur", "usd"):
        for _side in ("low", "high"):
            DERIVED[f"{_what}_{_cur}_{_side}"] = (MONEY, _cur.upper(), f"{_side.capitalize()} bound of {_meaning}.")
            DERIVED[f"{_what}_{_cur}_per_person_{_side}"] = (
                MONEY,
                f"{_cur.upper()} per person",
                f"{_side.capitalize()} bound of {_meaning} per person concerned (interval division).",
            )

RAW_TYPES = {"string": "string", "date": "string", "number": "number", "integer": "integer"}


def field_constraints() -> dict[str, dict[str, dict]]:
    """Constraints of the raw columns, per table, for the published tables that carry them unchanged."""
    schema = load_schema()
    vocab = schema["vocabularies"]
    constraints: dict[str, dict[str, dict]] = {}
    for table, spec in schema["tables"].items():
        for f in spec["fields"]:
            rules = {}
            if f.get("required"):
                rules["required"] = True
            enum = f.get("enum") or (list(vocab[f["enum_from"]]) if "enum_from" in f else None)
            if enum:
                rules["enum"] = [str(v) for v in enum]
            if "minimum" in f:
                rules["minimum"] = f["minimum"]
            if f.get("unique"):
                rules["unique"] = True
            if rules:
                constraints.setdefault(table, {})[f["name"]] = rules
    return constraints


def field_docs() -> dict[str, tuple[str, str, str]]:
    """(type, unit, description) of every column name a published table may have."""
    docs = {}
    for spec in load_schema()["tables"].values():
        for f in spec["fields"]:
            unit = {"currency": "original currency", "people": "people"}.get(f.get("unit", ""), "")
            docs.setdefault(f["name"], (RAW_TYPES[f.get("type", "string")], unit, f.get("description", "")))
    docs.update(DERIVED)
    return docs


def describe(tables: dict[str, pd.DataFrame]) -> dict:
    """The data package descriptor for the published tables."""
    docs = field_docs()
    # Each published table keeps the constraints of the raw table of the same name on the columns it carries.
    constraints = field_constraints()
    resources = []
    for name, frame in tables.items():
        fields = []
        for column in frame.columns:
            kind, unit, description = docs[column]
            field = {"name": column, "type": kind, "description": description}
            if unit:
                field["unit"] = unit
            rules = constraints.get(name, {}).get(column)
            if rules:
                field["constraints"] = rules
            fields.append(field)
        schema = {"fields": fields, "missingValues": [""]}
        key = {"actions": "action_id", "cases": "case_id", "user_estimates": "estimate_id", "sources": "source_id"}
        if name in key:
            schema["primaryKey"] = key[name]
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": PUBLISHED[name],
                "schema": schema,
                "licenses": LICENSES,
            }
        )
    return {
        "name": "privacy-actions",
        "title": "Privacy actions against online platforms",
        "description": "Regulators' fines, collective claims, lawsuits, settlements and court rulings against "
        "online platforms, from what was demanded to what was decided and paid, each figure sourced.",
        "licenses": LICENSES,
        "resources": resources,
        "sources": [
            {
                "title": "Regulators', courts', claimants' and news publishers' pages, listed in sources.csv",
                "path": "sources.csv",
            }
        ],
    }


def write(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    path = Path(folder) / "datapackage.json"
    path.write_text(json.dumps(describe(tables), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
