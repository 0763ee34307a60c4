"""Small raw datasets built inside the tests. Platforms and figures here are fictional."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from helpers import paths
from helpers.validate import load_schema

TODAY = dt.date(2026, 11, 29)

# A fictional platform ("Examplegram") with one collective claim and one regulator's fine.
MINIMAL = {
    "sources": [
        {
            "source_id": "example-2021-06-01-claim",
            "url": "https://example.org/claim",
            "publisher": "Example News",
            "title": "Claim filed",
            "published_date": "2021-06-01",
            "accessed_date": "2026-11-29",
            "source_kind": "news",
            "language": "en",
        },
        {
            "source_id": "regulator-2022-03-04-fine",
            "url": "https://regulator.example.org/fine",
            "publisher": "Example Regulator",
            "title": "Fine",
            "published_date": "2022-03-04",
            "accessed_date": "2026-11-29",
            "source_kind": "regulator",
            "language": "en",
        },
    ],
    "jurisdictions": [
        {"jurisdiction": "NL", "name": "Netherlands", "region": "Europe", "regime": "GDPR"},
        {"jurisdiction": "US-IL", "name": "Illinois", "region": "North America", "regime": "US state"},
    ],
    "platforms": [
        {"platform": "Examplegram", "company": "Example Holdings"},
        {"platform": "Sampletube", "company": "Example Holdings"},
    ],
    "cases": [
        {
            "case_id": "examplegram-nl-claim-2021",
            "platform": "Examplegram",
            "defendant": "Examplegram B.V.",
            "jurisdiction": "NL",
            "forum": "Amsterdam District Court",
            "forum_kind": "court",
            "brought_by": "A foundation",
            "case_kind": "collective_action",
            "topic": "children",
            "legal_basis": "GDPR",
            "started_date": "2021-06",
            "started_date_precision": "month",
            "summary": "A foundation claims damages.",
            "source_id": "example-2021-06-01-claim",
        },
        {
            "case_id": "sampletube-us-il-class-2022",
            "platform": "Sampletube",
            "defendant": "",
            "jurisdiction": "US-IL",
            "forum": "A federal court",
            "forum_kind": "court",
            "brought_by": "A class of users",
            "case_kind": "class_action",
            "topic": "biometrics",
            "legal_basis": "BIPA",
            "started_date": "2022-03-04",
            "started_date_precision": "day",
            "summary": "Users sue.",
            "source_id": "regulator-2022-03-04-fine",
        },
    ],
    "actions": [
        {
            "action_id": "examplegram-nl-claim-2021-01",
            "case_id": "examplegram-nl-claim-2021",
            "stage": "claim",
            "action_type": "claim",
            "date": "2021-06-01",
            "date_precision": "day",
            "status": "pending",
            "amount_status": "stated",
            "amount_unit": "total",
            "amount_low": "1500000000",
            "amount_high": "1500000000",
            "currency": "EUR",
            "follows_action_id": "",
            "description": "Claim.",
            "certainty": "confirmed",
            "notes": "",
            "evidence": "claims 1.5 billion",
            "source_id": "example-2021-06-01-claim",
        },
        {
            "action_id": "examplegram-nl-claim-2021-02",
            "case_id": "examplegram-nl-claim-2021",
            "stage": "outcome",
            "action_type": "ruling",
            "date": "2022-03-05",
            "date_precision": "day",
            "status": "final",
            "amount_status": "none",
            "amount_unit": "",
            "amount_low": "",
            "amount_high": "",
            "currency": "",
            "follows_action_id": "examplegram-nl-claim-2021-01",
            "description": "Admissible.",
            "certainty": "confirmed",
            "notes": "",
            "evidence": "",
            "source_id": "example-2021-06-01-claim",
        },
        {
            "action_id": "sampletube-us-il-class-2022-01",
            "case_id": "sampletube-us-il-class-2022",
            "stage": "outcome",
            "action_type": "settlement",
            "date": "2022-03-05",
            "date_precision": "day",
            "status": "approved",
            "amount_status": "stated",
            "amount_unit": "total",
            "amount_low": "92000000",
            "amount_high": "92000000",
            "currency": "USD",
            "follows_action_id": "",
            "description": "Settled.",
            "certainty": "confirmed",
            "notes": "",
            "evidence": "settles for 92 million",
            "source_id": "regulator-2022-03-04-fine",
        },
    ],
    "user_estimates": [
        {
            "estimate_id": "examplegram-nl-claim-2021-u1",
            "case_id": "examplegram-nl-claim-2021",
            "population": "children using the app",
            "people_low": "1200000",
            "people_high": "1600000",
            "as_of_date": "2021-06",
            "method": "claimant's estimate",
            "per_person_basis": "yes",
            "certainty": "confirmed",
            "evidence": "1.2 to 1.6 million",
            "source_id": "example-2021-06-01-claim",
        },
    ],
    "conflicts": [],
    "platform_users": [
        {
            "platform": "Examplegram",
            "jurisdiction": "NL",
            "users_low": "3000000",
            "users_high": "3000000",
            "as_of_date": "2021",
            "population": "users in the Netherlands",
            "evidence": "3 million users",
            "source_id": "example-2021-06-01-claim",
        },
    ],
    # Fictional indexes: prices rise 10% from 2021 to 2022 and 20% more to 2023 (by rate for HICP).
    "price_indexes": [
        {
            "index_code": "CPI_U_US",
            "year": str(y),
            "kind": "annual_average_index",
            "value": v,
            "base": "fictional",
            "certainty": "confirmed",
            "evidence": "test",
            "source_id": "regulator-2022-03-04-fine",
        }
        for y, v in ((2021, "100"), (2022, "110"), (2023, "132"))
    ]
    + [
        {
            "index_code": "HICP_EA",
            "year": "2022",
            "kind": "annual_average_index",
            "value": "50",
            "base": "fictional",
            "certainty": "confirmed",
            "evidence": "test",
            "source_id": "regulator-2022-03-04-fine",
        },
        {
            "index_code": "HICP_EA",
            "year": "2022",
            "kind": "annual_average_rate_pct",
            "value": "10",
            "base": "",
            "certainty": "confirmed",
            "evidence": "test",
            "source_id": "regulator-2022-03-04-fine",
        },
        {
            "index_code": "HICP_EA",
            "year": "2023",
            "kind": "annual_average_rate_pct",
            "value": "20",
            "base": "",
            "certainty": "confirmed",
            "evidence": "test",
            "source_id": "regulator-2022-03-04-fine",
        },
    ],
    "research_log": [
        {
            "batch": "test",
            "platform": "Examplegram",
            "jurisdiction": "NL",
            "query": "examplegram claim",
            "result": "found",
            "notes": "",
        },
    ],
}


def write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_raw(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write a raw dataset with the project's schema into folder."""
    schema = load_schema()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.SCHEMA, folder / "schema.yaml")
    for name, spec in schema["tables"].items():
        fields = [f["name"] for f in spec["fields"]]
        write_csv(folder / spec["file"], [dict(r) for r in tables.get(name, [])], fields)
    return folder


@pytest.fixture
def minimal_tables():
    """A deep copy of MINIMAL for a test to change."""
    return {name: [dict(r) for r in rows] for name, rows in MINIMAL.items()}


@pytest.fixture
def raw_dir(tmp_path, minimal_tables):
    return write_raw(tmp_path / "raw", minimal_tables)
