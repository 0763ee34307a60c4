"""data/raw/corrections.yaml: every known source error still matches the data it corrects."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from helpers import paths
from helpers.validate import load_raw

CORRECTIONS = yaml.safe_load((paths.RAW / "corrections.yaml").read_text(encoding="utf-8"))["corrections"]


@pytest.fixture(scope="module")
def raw():
    return load_raw()


@pytest.mark.parametrize("entry", CORRECTIONS, ids=lambda e: f"{e['record_id']}:{e['field']}")
def test_correction_still_applies(raw, entry):
    assert set(entry) == {"record_id", "field", "source_id", "source_says", "we_use", "reason"}
    assert entry["source_id"] in set(raw["sources"]["source_id"]), "the erroneous source is gone: drop the entry"
    conflicts = raw["conflicts"]
    recorded = conflicts[
        (conflicts["record_id"] == entry["record_id"]) & (conflicts["other_source_id"] == entry["source_id"])
    ]
    assert len(recorded) == 1, "each correction is also a conflict row, with both values and both sources"
    assert recorded["other_value"].iloc[0] == entry["source_says"]
    assert (
        recorded["chosen_value"].iloc[0].startswith(entry["we_use"].split()[0])
        or entry["we_use"] in recorded["chosen_value"].iloc[0]
    )
    actions = raw["actions"].set_index("action_id")
    if entry["field"] in actions.columns:
        held = actions.loc[entry["record_id"], entry["field"]]
        expected = float(entry["we_use"]) if isinstance(held, float) else entry["we_use"]
        assert held == expected or (pd.isna(held) and not entry["we_use"])
