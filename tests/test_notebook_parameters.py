"""Notebooks run with non-default parameters: they succeed and state different, correct figures."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import papermill as pm
import pytest

from helpers import paths
from helpers.params import ParameterError, check_parameters


def run(tmp_path, monkeypatch, notebook: str, **parameters) -> str:
    """Execute a notebook with parameters; return the text of its Markdown outputs."""
    monkeypatch.setenv("PRIVACY_CHARTS_DIR", str(tmp_path / "charts"))
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(paths.NOTEBOOKS / notebook),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(paths.NOTEBOOKS),
        execution_timeout=120,
        shutdown_kernel="immediate",
    )
    nb = nbformat.read(out, as_version=4)
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("data", {}).get("text/markdown", ""))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def actions():
    return pd.read_csv(paths.processed_dir() / "actions.csv", keep_default_na=False, na_values=[""])


def test_another_platform_in_usd_for_one_jurisdiction(tmp_path, monkeypatch, actions):
    text = run(
        tmp_path,
        monkeypatch,
        "01-jurisdiction-comparison.ipynb",
        platform="Facebook",
        base_currency="USD",
        jurisdictions=["IE"],
        featured_case="",
    )
    mine = actions[(actions["platform"] == "Facebook") & (actions["jurisdiction"] == "IE")]
    assert "# Facebook in IE: privacy actions compared across jurisdictions \\(USD\\)" in text
    assert f"The data holds **{len(mine)} actions** against Facebook in IE" in text
    top = (
        mine[(mine["stage"] == "outcome") & (mine["amount_unit"] == "total") & (mine["action_type"] != "payment")]
        .sort_values(["amount_usd_high", "date"])
        .iloc[-1]
    )
    assert "The largest sum imposed or agreed: EUR" in text  # the original currency comes first ...
    assert re.search(r"\(USD [\d.,]+ (million|billion)\), a [a-z ]+ in Ireland", text)  # ... then the USD figure
    assert top["jurisdiction_name"] == "Ireland"


def test_default_and_other_parameters_differ(tmp_path, monkeypatch):
    default = run(tmp_path, monkeypatch, "04-platform-profile.ipynb")
    other = run(tmp_path, monkeypatch, "04-platform-profile.ipynb", platform="Google", base_currency="USD")
    assert "Platform profile: TikTok \\(EUR\\)" in default and "Platform profile: Google \\(USD\\)" in other
    assert default != other


def test_base_year_changes_real_amounts_only(tmp_path, monkeypatch):
    text_2020 = run(tmp_path, monkeypatch, "04-platform-profile.ipynb", base_year=2020)
    text_2025 = run(tmp_path, monkeypatch, "04-platform-profile.ipynb", base_year=2025)
    nominal = re.compile(r"come to (EUR [^(]+) \(")
    real = re.compile(r"\((EUR [^)]+) in (\d{4}) prices\)")
    assert nominal.search(text_2020).group(1) == nominal.search(text_2025).group(1)
    assert real.search(text_2020).groups()[1] == "2020" and real.search(text_2025).groups()[1] == "2025"
    assert real.search(text_2020).group(1) != real.search(text_2025).group(1)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"platform": "Myspace"}, "platform 'Myspace' is unknown; use 'all' or one of:"),
        ({"base_currency": "GBP"}, "base_currency 'GBP' is not supported; use one of: EUR, USD"),
        ({"jurisdictions": ["XX"]}, "jurisdictions ['XX'] unknown; use codes from:"),
        ({"jurisdictions": "NL"}, "jurisdictions must be a list of codes"),
        ({"base_year": 1850}, "base_year 1850 is outside the price indexes"),
        ({"start_year": 2024, "end_year": 2020}, "start_year 2024 is after end_year 2020"),
        ({"start_year": "2020"}, "start_year '2020' is not a year"),
        ({"featured_case": "no-such-case"}, "featured_case 'no-such-case' is not a case_id"),
    ],
)
def test_bad_parameters_are_refused_with_the_valid_values(bad, message):
    with pytest.raises(ParameterError) as info:
        check_parameters(**bad)
    assert message in str(info.value)
