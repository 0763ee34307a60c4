"""Inflation adjustment from annual indexes, chained from rates where only rates are published."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import TODAY

from helpers import inflation
from helpers.tidy import build_tables
from helpers.validate import load_raw


@pytest.fixture
def levels(raw_dir):
    return inflation.index_levels(load_raw(raw_dir, today=TODAY)["price_indexes"])


def test_levels_chain_rates_forward_and_back(levels):
    hicp = levels["HICP_EA"]
    assert hicp[2022] == 50
    assert hicp[2023] == pytest.approx(60)  # +20% in 2023
    assert hicp[2021] == pytest.approx(50 / 1.1)  # 2022 rose 10% on 2021
    assert inflation.latest_common_year(levels) == 2023


def test_adjust_to_base_year(levels):
    frame = pd.DataFrame(
        {
            "year": [2021, 2023, None],
            "amount_eur_low": [100.0, 100.0, 5.0],
            "amount_eur_high": [100.0, 100.0, 5.0],
            "amount_usd_low": [100.0, 50.0, 5.0],
            "amount_usd_high": [200.0, 50.0, 5.0],
        }
    )
    out = inflation.adjust(frame, levels, 2023)
    assert out["amount_eur_real_low"].tolist()[:2] == pytest.approx([100 * 1.1 * 1.2, 100.0])
    assert out["amount_usd_real_high"][0] == pytest.approx(200 * 1.32)
    assert pd.isna(out["amount_usd_real_low"][2])
    assert "amount_eur_real_low" not in frame.columns  # the input is not changed


def test_base_year_outside_the_data_is_refused(levels):
    with pytest.raises(inflation.InflationError, match="no value for base year 1999"):
        inflation.adjust(
            pd.DataFrame(
                {
                    "year": [2021],
                    "amount_eur_low": [1.0],
                    "amount_eur_high": [1.0],
                    "amount_usd_low": [1.0],
                    "amount_usd_high": [1.0],
                }
            ),
            levels,
            1999,
        )


def test_published_actions_carry_real_amounts(raw_dir):
    actions = build_tables(load_raw(raw_dir, today=TODAY))["actions"].set_index("action_id")
    claim = actions.loc["examplegram-nl-claim-2021-01"]  # EUR 1.5bn in 2021
    assert claim["price_base_year"] == 2023
    assert claim["amount_eur_real_low"] == pytest.approx(1.5e9 * 1.1 * 1.2)
