"""Tidy tables: joins lose and duplicate nothing; per-person ranges are intervals."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import TODAY, write_raw

from helpers.tidy import JoinError, build_tables, checked_merge
from helpers.validate import load_raw


@pytest.fixture
def tables(raw_dir):
    return build_tables(load_raw(raw_dir, today=TODAY))


def test_one_row_per_action_and_case(tables, minimal_tables):
    assert len(tables["actions"]) == len(minimal_tables["actions"])
    assert len(tables["cases"]) == len(minimal_tables["cases"])
    assert tables["actions"]["action_id"].is_unique


def test_per_person_range_is_computed_the_interval_way(tables):
    case = tables["cases"].set_index("case_id").loc["examplegram-nl-claim-2021"]
    # 1.5 billion over 1.6 million people at most, over 1.2 million at least
    assert case["claim_eur_per_person_low"] == pytest.approx(1_500_000_000 / 1_600_000)
    assert case["claim_eur_per_person_high"] == pytest.approx(1_500_000_000 / 1_200_000)


def test_case_summary_picks_largest_claim_and_latest_step(tables):
    case = tables["cases"].set_index("case_id").loc["examplegram-nl-claim-2021"]
    assert case["claim_action_id"] == "examplegram-nl-claim-2021-01"
    assert case["latest_step_action_id"] == "examplegram-nl-claim-2021-02"
    assert pd.isna(case["outcome_action_id"])  # the ruling states no amount


def test_usd_amount_keeps_its_value_in_usd(tables):
    row = tables["actions"].set_index("action_id").loc["sampletube-us-il-class-2022-01"]
    assert row["amount_usd_low"] == pytest.approx(92_000_000)
    assert row["amount_eur_low"] == pytest.approx(92_000_000 / row["ecb_rate_per_eur"])


def test_tables_do_not_change_their_inputs(raw_dir):
    raw = load_raw(raw_dir, today=TODAY)
    before = {name: frame.copy() for name, frame in raw.tables.items()}
    build_tables(raw)
    for name, frame in raw.tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_checked_merge_refuses_lost_and_duplicated_rows():
    left = pd.DataFrame({"k": ["a", "b"]})
    with pytest.raises(JoinError, match="no match"):
        checked_merge(left, pd.DataFrame({"k": ["a"], "v": [1]}), "k", "test")
    with pytest.raises(pd.errors.MergeError):
        checked_merge(left, pd.DataFrame({"k": ["a", "a", "b"], "v": [1, 2, 3]}), "k", "test")


def test_estimate_for_many_people_from_several_cases(tmp_path, minimal_tables):
    minimal_tables["user_estimates"].append(
        {
            "estimate_id": "sampletube-us-il-class-2022-u1",
            "case_id": "sampletube-us-il-class-2022",
            "population": "class members",
            "people_low": "1000",
            "people_high": "1000",
            "as_of_date": "2022",
            "method": "class definition",
            "per_person_basis": "yes",
            "certainty": "confirmed",
            "evidence": "1,000 members",
            "source_id": "regulator-2022-03-04-fine",
        }
    )
    tables = build_tables(load_raw(write_raw(tmp_path / "raw", minimal_tables), today=TODAY))
    case = tables["cases"].set_index("case_id").loc["sampletube-us-il-class-2022"]
    assert case["outcome_usd_per_person_low"] == pytest.approx(92_000)
