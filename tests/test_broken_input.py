"""Broken raw data, as journalists and spreadsheets make it: each case is refused before anything is
published, with one message naming the file, row and column and saying what would be valid, and the
published tables and reports stay byte-identical. Two harmless slips are repaired, with a warning.

Each case edits the real raw data of a project copy, runs the real `python -m helpers report`, and
puts the data back.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from copies import make_copy, published, report

RAW = Path("data/raw")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_copy(tmp_path_factory.mktemp("broken") / "project")
    assert report(root, "--force").returncode == 0
    return root


def rows(root: Path, table: str) -> tuple[list[str], list[dict]]:
    with open(root / RAW / f"{table}.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def write_rows(root: Path, table: str, fields: list[str], records: list[dict], **fmt) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="ignore", **fmt)
    writer.writeheader()
    writer.writerows(records)
    (root / RAW / f"{table}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def first(records: list[dict], **where) -> int:
    """Index of the first record matching all conditions."""
    return next(
        i
        for i, r in enumerate(records)
        if all(test(r.get(k, "")) if callable(test) else r.get(k) == test for k, test in where.items())
    )


def set_value(table: str, field: str, value: str, **where):
    """An edit: set one field of the first matching row; returns the spreadsheet row it edited."""

    def edit(root: Path) -> int:
        fields, records = rows(root, table)
        i = first(records, **where)
        records[i][field] = value
        write_rows(root, table, fields, records)
        return i + 2

    return edit


STATED = {"amount_status": "stated"}
NONE = {"amount_status": "none"}


def semicolons(root):
    fields, records = rows(root, "actions")
    write_rows(root, "actions", fields, records, delimiter=";")
    return 1


def tabs(root):
    fields, records = rows(root, "sources")
    write_rows(root, "sources", fields, records, delimiter="\t")
    return 1


def latin1(root):
    path = root / RAW / "jurisdictions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    return next(i for i, line in enumerate(text.splitlines(), start=1) if not line.isascii())


def drop_column(root):
    fields, records = rows(root, "actions")
    write_rows(root, "actions", [f for f in fields if f != "currency"], records)
    return 1


def extra_column(root):
    fields, records = rows(root, "actions")
    write_rows(root, "actions", fields + ["amount_eur"], [dict(r, amount_eur="1") for r in records])
    return 1


def empty_file(root):
    (root / RAW / "platforms.csv").write_text("", encoding="utf-8")


def header_only(root):
    fields, _ = rows(root, "cases")
    write_rows(root, "cases", fields, [])


def duplicate_id(root):
    fields, records = rows(root, "sources")
    records.append(dict(records[0]))
    write_rows(root, "sources", fields, records)
    return len(records) + 1


def unquoted_comma(root):
    path = root / RAW / "platforms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ",Inc."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 4


def unclosed_quote(root):
    path = root / RAW / "platforms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    name, company = lines[2].split(",", 1)
    lines[2] = f'{name},"{company}'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 3


def misplaced_quote(root):
    path = root / RAW / "platforms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    name, company = lines[2].split(",", 1)
    lines[2] = f'{name},"{company}" Inc'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 3


def unused_platform(root):
    fields, records = rows(root, "platforms")
    records.append({"platform": "Nothingbook", "company": "Nobody"})
    write_rows(root, "platforms", fields, records)
    return len(records) + 1


def before_case_began(root):
    _, cases = rows(root, "cases")
    case = cases[first(cases, started_date_precision="day", started_date=lambda d: d >= "2015")]
    a_fields, actions = rows(root, "actions")
    i = first(actions, case_id=case["case_id"], date_precision="day")
    actions[i]["date"] = "2012-01-02"
    write_rows(root, "actions", a_fields, actions)
    return i + 2


# (name, edit, file, column, what the message says)
REFUSED = [
    ("semicolon-separated", semicolons, "actions.csv", None, "separated by semicolons, not commas"),
    ("tab-separated", tabs, "sources.csv", None, "separated by tabs, not commas"),
    ("latin-1", latin1, "jurisdictions.csv", None, "is not UTF-8"),
    ("missing column", drop_column, "actions.csv", "currency", "column is missing; the columns are"),
    ("unexpected column", extra_column, "actions.csv", "amount_eur", "unexpected column; the columns are"),
    ("empty file", empty_file, "platforms.csv", None, "file is empty; it needs at least the header row"),
    ("header only", header_only, "cases.csv", None, "has a header but no rows"),
    ("duplicate id", duplicate_id, "sources.csv", "source_id", "duplicate id"),
    ("too many values", unquoted_comma, "platforms.csv", None, "has 3 values but the header has 2"),
    ("unclosed quote", unclosed_quote, "platforms.csv", None, "double quote"),
    ("misplaced quote", misplaced_quote, "platforms.csv", None, "has a double quote out of place"),
    (
        "action without case",
        set_value("actions", "case_id", "no-such-case"),
        "actions.csv",
        "case_id",
        "'no-such-case' is not a case_id in cases.csv",
    ),
    (
        "action without source",
        set_value("actions", "source_id", "no-such-source"),
        "actions.csv",
        "source_id",
        "'no-such-source' is not a source_id in sources.csv",
    ),
    (
        "estimate without case",
        set_value("user_estimates", "case_id", "no-such-case"),
        "user_estimates.csv",
        "case_id",
        "'no-such-case' is not a case_id in cases.csv",
    ),
    (
        "case with unknown platform",
        set_value("cases", "platform", "Myspace"),
        "cases.csv",
        "platform",
        "'Myspace' is not a platform in platforms.csv",
    ),
    (
        "unknown jurisdiction",
        set_value("cases", "jurisdiction", "XX"),
        "cases.csv",
        "jurisdiction",
        "'XX' is not a jurisdiction in jurisdictions.csv",
    ),
    ("unused crosswalk row", unused_platform, "platforms.csv", "platform", "is used by no case"),
    (
        "date that does not parse",
        set_value("actions", "date", "30/06/2021", date_precision="day"),
        "actions.csv",
        "date",
        "'30/06/2021' is not a date; write YYYY-MM-DD",
    ),
    (
        "impossible date",
        set_value("actions", "date", "2021-02-30", date_precision="day"),
        "actions.csv",
        "date",
        "'2021-02-30' is not a real calendar date",
    ),
    (
        "date in the future",
        set_value("actions", "date", "2031-01-01", date_precision="day"),
        "actions.csv",
        "date",
        "'2031-01-01' is in the future",
    ),
    (
        "date finer than its precision",
        set_value("actions", "date", "2021-06-30", date_precision="month"),
        "actions.csv",
        "date",
        "does not have date_precision 'month'",
    ),
    ("outcome before its case began", before_case_began, "actions.csv", "date", "is before its case"),
    (
        "unknown currency",
        set_value("actions", "currency", "XYZ", **STATED),
        "actions.csv",
        "currency",
        "'XYZ' is not an ISO 4217 currency code",
    ),
    (
        "currency in lower case",
        set_value("actions", "currency", "eur", **STATED),
        "actions.csv",
        "currency",
        "'eur' does not match the pattern",
    ),
    (
        "thousands separators",
        set_value("actions", "amount_high", "1.500.000.000", **STATED),
        "actions.csv",
        "amount_high",
        "'1.500.000.000' is not a plain number; write digits only",
    ),
    (
        "amount in words",
        set_value("actions", "amount_high", "EUR 1,5 mld", **STATED),
        "actions.csv",
        "amount_high",
        "'EUR 1,5 mld' is not a plain number",
    ),
    (
        "currency symbol",
        set_value("actions", "amount_high", "$92m", **STATED),
        "actions.csv",
        "amount_high",
        "'$92m' is not a plain number",
    ),
    (
        "negative amount",
        set_value("actions", "amount_low", "-5000", **STATED),
        "actions.csv",
        "amount_low",
        "'-5000' is negative",
    ),
    (
        "low greater than high",
        set_value("actions", "amount_low", "99999999999999", **STATED),
        "actions.csv",
        "amount_low",
        "is greater than amount_high",
    ),
    (
        "stated amount without currency",
        set_value("actions", "currency", "", **STATED),
        "actions.csv",
        "currency",
        "is empty but amount_status is 'stated'",
    ),
    (
        "amount on a step without one",
        set_value("actions", "amount_low", "1000", **NONE),
        "actions.csv",
        "amount_low",
        "has a value but amount_status is 'none'",
    ),
    (
        "stated amount without evidence",
        set_value("actions", "evidence", "", **STATED),
        "actions.csv",
        "evidence",
        "paste the source's sentence that states it",
    ),
    (
        "stage that does not fit",
        set_value("actions", "stage", "claim", action_type="fine"),
        "actions.csv",
        "stage",
        "'claim' does not fit action_type 'fine', which is a outcome",
    ),
    (
        "unknown status",
        set_value("actions", "status", "finished"),
        "actions.csv",
        "status",
        "'finished' is not one of: announced",
    ),
    (
        "user estimate of zero",
        set_value("user_estimates", "people_low", "0"),
        "user_estimates.csv",
        "people_low",
        "'0' is below the minimum of 1",
    ),
    (
        "ftp source address",
        set_value("sources", "url", "ftp://example.org/file"),
        "sources.csv",
        "url",
        "does not match the pattern ^https?://",
    ),
    (
        "script as source address",
        set_value("sources", "url", "javascript:alert(1)"),
        "sources.csv",
        "url",
        "'javascript:alert(1)' does not match the pattern",
    ),
    ("required value missing", set_value("cases", "forum", ""), "cases.csv", "forum", "is empty; a value is required"),
]


@pytest.mark.parametrize("name, edit, file, column, says", REFUSED, ids=[c[0] for c in REFUSED])
def test_broken_input_is_refused_with_one_clear_message(project, name, edit, file, column, says):
    raw_before = {p: p.read_bytes() for p in (project / RAW).iterdir()}
    before = published(project)
    row = edit(project)
    try:
        result = report(project)
        assert result.returncode == 2, result.stdout + result.stderr
        problems = [line[4:] for line in result.stderr.splitlines() if line.startswith("  - ")]
        assert len(problems) == 1, result.stderr
        (problem,) = problems
        where = f"data/raw/{file}" + (f", row {row}" if row else "") + (f", column {column}" if column else "")
        assert problem.startswith(where + ":"), f"{problem!r} should start with {where!r}"
        assert says in problem
        assert "nothing was built or published" in result.stderr
        assert published(project) == before
    finally:
        for path, data in raw_before.items():
            path.write_bytes(data)


def test_the_suite_covers_at_least_thirty_cases():
    assert len(REFUSED) >= 30


REPAIRED = [
    (
        "byte-order mark",
        lambda root: (root / RAW / "cases.csv").write_bytes(b"\xef\xbb\xbf" + (root / RAW / "cases.csv").read_bytes()),
        "cases.csv: byte-order mark (BOM) removed",
    ),
    (
        "white space around a value",
        set_value("cases", "forum", "  Amsterdam District Court ", forum="Amsterdam District Court"),
        "cases.csv, column forum: white space around values removed in rows",
    ),
]


@pytest.mark.parametrize("name, edit, warns", REPAIRED, ids=[c[0] for c in REPAIRED])
def test_harmless_slips_are_repaired_with_a_warning(project, name, edit, warns):
    raw_before = {p: p.read_bytes() for p in (project / RAW).iterdir()}
    tables_before = {k: v for k, v in published(project).items() if k.startswith("data/processed")}
    edit(project)
    try:
        result = report(project)
        assert result.returncode == 0, result.stderr
        assert re.search(r"warning: data/raw/" + re.escape(warns), result.stdout), result.stdout
        tables_after = {k: v for k, v in published(project).items() if k.startswith("data/processed")}
        assert tables_after == tables_before, "a repaired slip must publish exactly the same tables"
    finally:
        for path, data in raw_before.items():
            path.write_bytes(data)
        assert report(project).returncode == 0
