"""Hostile text in the data (markup, scripts, event handlers, script URLs, spreadsheet formulas) never
runs in a reader's page or spreadsheet, and hostile parameters never reach a kernel."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from copies import make_copy, published, report

from helpers import paths
from helpers.render import html_exporter
from helpers.tidy import for_publishing

FORBIDDEN = [
    (
        re.compile(r"<\s*(iframe|object|embed|form|frame|frameset|base)\b", re.IGNORECASE),
        "an embedded frame, object or form",
    ),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE), "an on* event-handler attribute"),
    # Attributes count only inside a real tag: escaped text (&lt;a href=...) is just text.
    (
        re.compile(
            r"""<[a-z][^<>]*\s(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript):""",
            re.IGNORECASE,
        ),
        "a javascript: or vbscript: URL",
    ),
    (re.compile(r"""<[a-z][^<>]*\s(href|src)\s*=\s*["']?\s*data:text/html""", re.IGNORECASE), "a data:text/html URL"),
    (re.compile(r"<meta[^>]+http-equiv\s*=\s*[\"']?refresh", re.IGNORECASE), "a refresh redirect"),
]
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def template_scripts() -> set[str]:
    """The scripts the report template itself writes (into a page with no content at all)."""
    empty = nbformat.v4.new_notebook()
    empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    body, _ = html_exporter().from_notebook_node(empty)
    return {m.group(1).strip() for m in SCRIPT.finditer(body)}


def lint(text: str, allowed_scripts: set[str]) -> list[str]:
    problems = [what for pattern, what in FORBIDDEN if pattern.search(text)]
    problems += [
        f"a script that is not the template's: {m.group(0)[:80]!r}"
        for m in SCRIPT.finditer(text)
        if m.group(1).strip() not in allowed_scripts
    ]
    if re.search(r"<script\b[^>]*\bsrc\s*=", text, re.IGNORECASE):
        problems.append("a script loaded from elsewhere")
    return problems


@pytest.fixture(scope="module")
def allowed():
    return template_scripts()


def test_the_lint_catches_what_it_should(allowed):
    assert lint('<a href="javascript:alert(1)">x</a>', allowed)
    assert lint("<img src=x onerror=alert(1)>", allowed)
    assert lint("<script>alert(1)</script>", allowed)
    assert lint('<iframe src="https://example.org"></iframe>', allowed)
    assert lint('<a href="data:text/html,<b>x</b>">x</a>', allowed)
    assert lint("<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript: as words</p>", allowed) == []
    assert lint('<p>&lt;a href="data:text/html,x"&gt; escaped, so only text</p>', allowed) == []


@pytest.mark.parametrize("page", sorted((paths.ROOT / "reports").glob("*.html")), ids=lambda p: p.name)
def test_every_published_page_is_clean(page, allowed):
    assert lint(page.read_text(encoding="utf-8"), allowed) == []


HOSTILE_CASE = "tiktok-nl-tbyp-2021"
INJECTED = {
    "brought_by": '<script>alert("case")</script> Consumentenbond',
    "forum": '<img src=x onerror=alert(1)>Amsterdam <b onmouseover="alert(2)">Court</b>',
    "summary": '=HYPERLINK("https://evil.example","click")',
}
INJECTED_ACTION = {
    "description": '[click](javascript:alert(1)) <iframe src="https://evil.example"></iframe> '
    '<a href="data:text/html,<script>alert(3)</script>">x</a>',
    "notes": "@SUM(1+1)",
}
INJECTED_SOURCE = {"publisher": '=HYPERLINK("https://evil.example","x")', "title": "<svg onload=alert(4)>"}


def edit(root: Path, table: str, key: str, value: str, changes: dict) -> None:
    path = root / "data" / "raw" / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row[key] == value:
            row.update(changes)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = make_copy(tmp_path_factory.mktemp("hostile") / "project")
    edit(root, "cases", "case_id", HOSTILE_CASE, INJECTED)
    edit(root, "actions", "action_id", f"{HOSTILE_CASE}-01", INJECTED_ACTION)
    source = (
        pd.read_csv(root / "data/raw/actions.csv", dtype="str")
        .set_index("action_id")
        .loc[f"{HOSTILE_CASE}-01", "source_id"]
    )
    edit(root, "sources", "source_id", source, INJECTED_SOURCE)
    result = report(root, "--force")
    assert result.returncode == 0, result.stderr
    return root


def test_hostile_text_is_shown_as_text_and_never_runs(hostile_build, allowed):
    pages = sorted((hostile_build / "reports").glob("*.html"))
    assert pages
    for page in pages:
        assert lint(page.read_text(encoding="utf-8"), allowed) == [], page.name
    story = (hostile_build / "reports" / "tiktok-jurisdictions.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in story  # the reader sees the text, escaped
    assert "<script>alert" not in story and "onerror=alert" not in story.replace("onerror=alert(1)&gt;", "")


def test_published_csv_cells_cannot_run_as_formulas(hostile_build):
    processed = hostile_build / "data" / "processed"
    cases = pd.read_csv(processed / "cases.csv", dtype="str", keep_default_na=False).set_index("case_id")
    assert cases.loc[HOSTILE_CASE, "summary"] == "'" + INJECTED["summary"]
    actions = pd.read_csv(processed / "actions.csv", keep_default_na=False, na_values=[""])
    row = actions.set_index("action_id").loc[f"{HOSTILE_CASE}-01"]
    assert row["notes"] == "'@SUM(1+1)"
    assert row["source_publisher"].startswith("'=HYPERLINK")
    assert pd.api.types.is_float_dtype(actions["amount_low"]) and row["amount_low"] == 1_500_000_000
    for path in processed.glob("*.csv"):
        for record in csv.reader(path.open(encoding="utf-8")):
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in record), path.name


def test_for_publishing_keeps_numbers_numbers():
    frame = pd.DataFrame(
        {"text": ["=1+1", "-2", "+cmd", "@x", "\tx", "plain", None], "amount": [-1.0, 2, 3, 4, 5, 6, 7]}
    )
    out = for_publishing(frame)
    assert out["text"].tolist()[:6] == ["'=1+1", "'-2", "'+cmd", "'@x", "'\tx", "plain"]
    assert pd.isna(out["text"].iloc[6])
    assert out["amount"].tolist() == [-1.0, 2, 3, 4, 5, 6, 7]
    assert frame["text"].iloc[0] == "=1+1"  # the input is not changed


@pytest.mark.parametrize(
    "parameters, says",
    [
        (
            '{platform: "<script>alert(1)</script>"}',
            "platform '<script>alert(1)</script>' is unknown; use 'all' or one of:",
        ),
        ("{jurisdictions: [NO]}", "jurisdictions must be a list of codes"),  # unquoted NO is YAML for False
        ("{base_currency: GBP}", "base_currency 'GBP' is not supported; use one of: EUR, USD"),
        ("{base_year: 1066}", "base_year 1066 is outside the price indexes"),
        ("{shell: rm}", "has no parameter shell; its parameters are platform"),
    ],
)
def test_bad_run_parameters_stop_before_any_kernel(tmp_path, parameters, says):
    root = make_copy(tmp_path / "project")
    runs = root / "notebooks" / "runs.yaml"
    runs.write_text(
        runs.read_text(encoding="utf-8") + "  - name: bad\n    notebook: 01-jurisdiction-comparison.ipynb\n"
        f"    parameters: {parameters}\n",
        encoding="utf-8",
    )
    before = published(root)
    result = report(root)
    assert result.returncode == 2
    assert says in result.stderr and "no notebook was run" in result.stderr
    assert "ran " not in result.stdout and "Kernel" not in result.stderr
    assert published(root) == before
