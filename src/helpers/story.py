"""What every notebook does: load the tables its parameters select, say what they are, warn where due."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from . import fmt, inflation, params, tidy
from .web import md


@dataclass
class Selection:
    """The actions and cases a notebook's parameters select, with the money columns it should read."""

    actions: pd.DataFrame
    cases: pd.DataFrame
    label: str
    base_currency: str
    base_year: int
    parameters: dict

    @property
    def cur(self) -> str:
        return self.base_currency.lower()

    def amount(self, real: bool = False) -> tuple[str, str]:
        """Low and high column names of action amounts in the base currency (nominal or real)."""
        kind = "_real" if real else ""
        return f"amount_{self.cur}{kind}_low", f"amount_{self.cur}{kind}_high"


def load(
    platform: str = params.ALL,
    base_currency: str = "EUR",
    jurisdictions=None,
    base_year=None,
    start_year=None,
    end_year=None,
    **other,
) -> Selection:
    """Check the parameters, read the published tables, select rows, and compute real amounts for base_year."""
    checked = params.check_parameters(
        platform=platform,
        base_currency=base_currency,
        jurisdictions=jurisdictions,
        base_year=base_year,
        start_year=start_year,
        end_year=end_year,
        **other,
    )
    levels = inflation.levels_from_raw()
    base_year = base_year or inflation.latest_common_year(levels)
    actions = params.select(tidy.read_table("actions"), platform, jurisdictions, start_year, end_year)
    actions = inflation.adjust(actions, levels, base_year)
    cases = params.select(
        tidy.read_table("cases"), platform, jurisdictions, start_year, end_year, year_column="started_year"
    )
    for what in ("claim", "outcome", "paid"):
        years = pd.to_numeric(cases[f"{what}_date"].astype("str").str[:4], errors="coerce")
        for cur in ("eur", "usd"):
            for side in ("low", "high"):
                cases[f"{what}_{cur}_real_{side}"] = inflation.deflate(
                    cases[f"{what}_{cur}_{side}"], years, cur, levels, base_year
                )
    label = "all platforms" if platform == params.ALL else platform
    if jurisdictions:
        label += " in " + ", ".join(jurisdictions)
    limited_start = start_year is not None and start_year != params.EARLIEST_YEAR
    limited_end = end_year is not None and end_year != params.LATEST_YEAR
    if limited_start or limited_end:
        label += f" ({start_year if limited_start else 'up'} to {end_year if limited_end else 'now'})"
    return Selection(actions, cases, label, base_currency, base_year, checked)


def header(title: str, sel: Selection) -> Markdown:
    """The report's H1 (carrying its parameters) and a line on the data it was built from."""
    sources = tidy.read_table("sources")
    read_until = sources["accessed_date"].max()
    jurisdictions = sel.actions["jurisdiction"].nunique()
    title = title[:1].upper() + title[1:]
    return Markdown(
        f"# {md(title)}\n\n"
        f"Data version `{params.data_version()}`, sources read up to {fmt.date(read_until)}: "
        f"{fmt.count(len(sel.actions))} actions in {fmt.count(len(sel.cases))} cases across {jurisdictions} "
        f"jurisdictions, every figure with its source. Amounts in {sel.base_currency} at the ECB rate of each "
        f"action's date; inflation-adjusted amounts in {sel.base_year} prices."
    )


CAVEATS = {
    "stages": "**A demand is not a fine, and a fine announced is not money paid.** Claims are opening positions; "
    "notices of intent are proposals; fines are appealed, reduced and annulled; settlements are approved "
    "before anything is paid.",
    "regimes": "**Regimes differ.** A GDPR fine, a US civil penalty and a class settlement are set under different "
    "rules for different people; side by side they show scale, not equivalence.",
    "per_person": "**Per-person figures are ranges**, computed the interval way (lowest amount over most people, "
    "highest over fewest) from the estimate of people concerned that each case's source gives; they "
    "are only as good as those estimates.",
    "currency": "**Currencies** are converted at the ECB reference rate of each action's date (the last business "
    "day before it on weekends and holidays); amounts in currencies the ECB does not quote stay "
    "unconverted and are left out of sums and charts.",
    "inflation": "**Inflation-adjusted** amounts use the euro-area HICP for euros and the US CPI-U for dollars, "
    "whatever the jurisdiction; they put old and new amounts on one footing, not local purchasing power.",
    "coverage": "**Coverage is what could be sourced**, not every action there is: absence from the data is not "
    "evidence that nothing happened.",
}


def caveats(*names: str) -> Markdown:
    """The standard words of caution, as a Markdown list."""
    return Markdown("\n".join(f"- {CAVEATS[n]}" for n in names))


def listing(actions: pd.DataFrame, base_currency: str) -> pd.DataFrame:
    """Actions for a reader's table: oldest first, amounts in words, the source to link."""
    cur = base_currency.lower()
    shown = actions.sort_values(["date", "action_id"])
    amount = [
        fmt.money_range(lo, hi, c) + ("" if unit == "total" else f" ({unit.replace('_', ' ')})")
        if status == "stated"
        else {"none": "no amount"}.get(status, status)
        for lo, hi, c, status, unit in zip(
            shown["amount_low"], shown["amount_high"], shown["currency"], shown["amount_status"], shown["amount_unit"]
        )
    ]
    converted = [
        fmt.money_range(lo, hi, base_currency) if pd.notna(hi) else ""
        for lo, hi in zip(shown[f"amount_{cur}_low"], shown[f"amount_{cur}_high"])
    ]
    return pd.DataFrame(
        {
            "date": shown["date"],
            "jurisdiction": shown["jurisdiction"],
            "platform": shown["platform"],
            "forum": shown["forum"],
            "stage": shown["stage"],
            "step": shown["action_type"].str.replace("_", " "),
            "status": shown["status"],
            "amount": amount,
            base_currency: converted,
            "source": shown["source_publisher"],
            "source_url": shown["source_url"],
        }
    )


def case_story(case_id: str, sel: Selection) -> Markdown:
    """A case told step by step from its actions: what was demanded, decided and paid, per person where known."""
    from . import fmt as f

    cases = tidy.read_table("cases").set_index("case_id")
    if case_id not in cases.index:
        return Markdown("")
    case = cases.loc[case_id]
    actions = tidy.read_table("actions")
    steps = actions[actions["case_id"] == case_id].sort_values(["date", "action_id"])
    people = ""
    if pd.notna(case["people_low"]):
        people = (
            f" It concerns {f.count_range(case['people_low'], case['people_high'])} people "
            f"({md(case['people_population'])})."
        )
    lines = [
        "**One case, step by step.** "
        + (
            f"**{md(case['brought_by'])}** against {md(case['platform'])} before {md(case['forum'])}, "
            f"{f.place(case['jurisdiction_name'])}.{people}"
        ),
        "",
    ]
    for _, step in steps.iterrows():
        text = f"- {f.date(step['date'])}: {step['action_type'].replace('_', ' ')} ({step['status'].replace('_', ' ')})"
        if step["amount_status"] == "stated":
            text += ", " + f.money_range(step["amount_low"], step["amount_high"], step["currency"])
            if step["amount_unit"] != "total":
                text += " " + step["amount_unit"].replace("_", " ")
            per_low = step[f"amount_{sel.cur}_per_person_low"]
            if pd.notna(per_low):
                text += (
                    f", or {f.money_range(per_low, step[f'amount_{sel.cur}_per_person_high'], sel.base_currency)}"
                    " per person concerned"
                )
        elif step["amount_status"] == "undisclosed":
            text += ", amount undisclosed"
        lines.append(text + f". {md(step['description'])}")
    return Markdown("\n".join(lines))
