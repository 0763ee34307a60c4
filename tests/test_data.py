"""The real data in data/raw: valid, sourced, broad enough, and the published tables are up to date."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import paths
from helpers.tidy import build_tables, write_tables
from helpers.validate import load_raw


@pytest.fixture(scope="module")
def raw():
    return load_raw()


def test_raw_data_is_valid_without_repairs(raw):
    assert raw.warnings == [], "fix the raw files rather than relying on repairs"


def test_every_action_and_estimate_cites_a_web_source(raw):
    sources = raw["sources"].set_index("source_id")
    for table in ("actions", "user_estimates", "cases"):
        urls = raw[table]["source_id"].map(sources["url"])
        assert urls.notna().all(), f"{table}: a source_id without a source"
        assert urls.str.match(r"^https?://").all()


def test_every_stated_amount_quotes_its_source(raw):
    stated = raw["actions"][raw["actions"]["amount_status"] == "stated"]
    assert (stated["evidence"].str.len() > 10).all()


def test_tiktok_seed_breadth(raw):
    """The foundation's case set: at least 15 TikTok actions across at least 8 jurisdictions."""
    cases = raw["cases"]
    tiktok = raw["actions"].merge(cases[["case_id", "platform", "jurisdiction"]], on="case_id")
    tiktok = tiktok[tiktok["platform"] == "TikTok"]
    assert len(tiktok) >= 15
    assert tiktok["jurisdiction"].nunique() >= 8


def test_published_tables_are_up_to_date(raw, tmp_path):
    """data/processed is exactly what the raw data builds: run `make report` after editing data/raw."""
    write_tables(build_tables(raw), tmp_path)
    for fresh in sorted(tmp_path.glob("*.csv")):
        published = paths.ROOT / "data" / "processed" / fresh.name
        assert published.exists(), f"{published.name} is not published"
        assert published.read_bytes() == fresh.read_bytes(), f"{published.name} is stale: run `make report`"


def test_published_actions_keep_every_raw_row(raw):
    published = pd.read_csv(paths.ROOT / "data" / "processed" / "actions.csv")
    assert sorted(published["action_id"]) == sorted(raw["actions"]["action_id"])


def test_data_package_is_valid():
    """datapackage.json describes every published table, and every table matches its description."""
    from frictionless import Package, validate

    package_path = paths.ROOT / "data" / "processed" / "datapackage.json"
    report = validate(str(package_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    described = {r.path for r in Package(str(package_path)).resources}
    published = {p.name for p in (paths.ROOT / "data" / "processed").glob("*.csv")}
    assert described == published


def test_dataset_breadth(raw):
    """At least 120 actions in 60 cases, 20 jurisdictions and 10 platforms; TikTok in 12 jurisdictions."""
    actions = raw["actions"].merge(raw["cases"][["case_id", "platform", "jurisdiction"]], on="case_id")
    assert len(actions) >= 120 and len(raw["cases"]) >= 60
    assert actions["jurisdiction"].nunique() >= 20
    assert actions["platform"].nunique() >= 10
    assert actions.loc[actions["platform"] == "TikTok", "jurisdiction"].nunique() >= 12


def test_amounts_follow_their_life(raw):
    """Steps link to the step they follow, within reason: most cases with several steps are linked."""
    actions = raw["actions"]
    linked = actions[actions["follows_action_id"] != ""]
    assert len(linked) >= len(actions) // 3
    multi = actions.groupby("case_id").size()
    assert (multi > 1).sum() >= 60


def test_sources_say_who_and_when(raw):
    sources = raw["sources"]
    assert (sources["publisher"] != "").all() and (sources["title"] != "").all()
    assert (sources["accessed_date"] != "").all()
    used = set(raw["actions"]["source_id"]) | set(raw["cases"]["source_id"]) | set(raw["user_estimates"]["source_id"])
    kinds = sources[sources["source_id"].isin(used)]["source_kind"].value_counts()
    assert kinds.get("regulator", 0) + kinds.get("court", 0) + kinds.get("government", 0) > 0


def test_undisclosed_is_distinct_from_none(raw):
    statuses = set(raw["actions"]["amount_status"])
    assert {"stated", "undisclosed", "none"} <= statuses
