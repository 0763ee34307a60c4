"""Validation: a valid dataset loads; each kind of bad input is refused naming file, row and column."""

from __future__ import annotations

import pytest
from conftest import TODAY, write_raw

from helpers.validate import RawDataError, load_raw


def problems_of(raw_dir) -> list:
    with pytest.raises(RawDataError) as info:
        load_raw(raw_dir, today=TODAY)
    return info.value.problems


def test_minimal_dataset_is_valid(raw_dir):
    raw = load_raw(raw_dir, today=TODAY)
    assert len(raw["actions"]) == 3
    assert raw["actions"]["amount_low"].dtype == "float64"
    assert list(raw["actions"].index) == [2, 3, 4]  # spreadsheet rows: the header is row 1
    assert raw.warnings == []


def test_problem_names_file_row_and_column(tmp_path, minimal_tables):
    minimal_tables["actions"][1]["date"] = "2021-13-01"
    (problem,) = problems_of(write_raw(tmp_path / "raw", minimal_tables))
    assert (problem.file, problem.row, problem.column) == ("actions.csv", 3, "date")
    assert "not a real calendar date" in str(problem)
    assert str(problem).startswith("actions.csv, row 3, column date:")


def test_stage_must_match_action_type(tmp_path, minimal_tables):
    minimal_tables["actions"][0]["stage"] = "outcome"
    (problem,) = problems_of(write_raw(tmp_path / "raw", minimal_tables))
    assert problem.column == "stage" and "which is a claim" in problem.message


def test_every_problem_is_reported_at_once(tmp_path, minimal_tables):
    minimal_tables["actions"][0]["currency"] = "eur"
    minimal_tables["sources"][1]["url"] = "ftp://example.org/x"
    found = {(p.file, p.column) for p in problems_of(write_raw(tmp_path / "raw", minimal_tables))}
    assert found == {("actions.csv", "currency"), ("sources.csv", "url")}


def test_unused_crosswalk_rows_are_refused(tmp_path, minimal_tables):
    minimal_tables["platforms"].append({"platform": "Nothingbook", "company": "Nobody"})
    (problem,) = problems_of(write_raw(tmp_path / "raw", minimal_tables))
    assert (problem.file, problem.row, problem.column) == ("platforms.csv", 4, "platform")
    assert "used by no case" in problem.message


def test_per_person_basis_is_at_most_one_estimate(tmp_path, minimal_tables):
    extra = dict(minimal_tables["user_estimates"][0], estimate_id="examplegram-nl-claim-2021-u2")
    minimal_tables["user_estimates"].append(extra)
    (problem,) = problems_of(write_raw(tmp_path / "raw", minimal_tables))
    assert problem.column == "per_person_basis" and "has 2 estimates marked" in problem.message
    assert problem.row == 3


def test_white_space_is_repaired_with_a_warning(tmp_path, minimal_tables):
    minimal_tables["cases"][0]["forum"] = "Amsterdam District Court  "
    raw = load_raw(write_raw(tmp_path / "raw", minimal_tables), today=TODAY)
    assert raw["cases"].loc[2, "forum"] == "Amsterdam District Court"
    assert [(w.file, w.column) for w in raw.warnings] == [("cases.csv", "forum")]
