"""Read the raw CSVs and check them against data/raw/schema.yaml.

Every problem names the file, the row (as a spreadsheet numbers it: header = row 1) and the
column, and says what would be valid. Nothing is repaired silently: the few repairs we make
(a byte-order mark, white space around values) are reported as warnings.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pycountry
import yaml

from . import paths

MAX_ROWS_PER_PROBLEM = 5  # list at most this many rows per column and rule; count the rest
DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
NUMBER_PATTERN = r"\d+(\.\d+)?"
INTEGER_PATTERN = r"\d+"
NON_ISO_JURISDICTIONS = {"EU"}  # EU-level bodies (Commission, EDPB, CJEU) have no ISO 3166 code
PRECISION_LENGTH = {"year": 4, "month": 7, "day": 10}
WHITE_SPACE = (" ", "\t", "\r", "\n", "\xa0")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the raw data, located as precisely as we can."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class RawDataError(ValueError):
    """The raw data breaks the schema; nothing downstream may run."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the raw data, nothing was built or published:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


@dataclass
class RawData:
    """The validated raw tables, indexed by their spreadsheet row number."""

    tables: dict[str, pd.DataFrame]
    warnings: list[Problem] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def load_schema(path: Path = paths.SCHEMA) -> dict:
    """The raw schema as a dict."""
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_PER_PROBLEM])
    more = len(rows) - MAX_ROWS_PER_PROBLEM
    return shown + (f" and {more} more" if more > 0 else "")


def _decode(data: bytes, name: str) -> tuple[str | None, list[Problem], list[Problem]]:
    """Text of a raw file, refusing anything but UTF-8 (a byte-order mark is dropped)."""
    warnings = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        warnings.append(Problem(name, None, None, "byte-order mark (BOM) removed; the file is otherwise UTF-8"))
    try:
        return data.decode("utf-8"), [], warnings
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        return (
            None,
            [
                Problem(
                    name,
                    row,
                    None,
                    f"is not UTF-8 (byte 0x{byte}); the file looks Latin-1 or Windows-1252 encoded. "
                    "Save it as 'CSV UTF-8' and try again",
                )
            ],
            warnings,
        )


def read_table(path: Path, spec: dict) -> tuple[pd.DataFrame | None, list[Problem], list[Problem]]:
    """Parse one raw CSV into a frame of strings indexed by spreadsheet row, or say why not."""
    name = paths.relative(path) if Path(path).is_absolute() else str(path)
    expected = [f["name"] for f in spec["fields"]]
    if not Path(path).exists():
        return (
            None,
            [Problem(name, None, None, f"file is missing; it must exist with the columns {','.join(expected)}")],
            [],
        )
    text, problems, warnings = _decode(Path(path).read_bytes(), name)
    if text is None:
        return None, problems, warnings
    if not text.strip():
        return (
            None,
            [Problem(name, None, None, f"file is empty; it needs at least the header row {','.join(expected)}")],
            warnings,
        )

    fast = _read_clean(text, expected, spec)
    if fast is not None:
        warnings += _repair_padding(fast, expected, name, text)
        return fast, problems, warnings
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        return None, [Problem(name, 1, None, f"the header row is not valid CSV ({exc})")], warnings
    if len(header) == 1 and len(expected) > 1:
        for sep, sep_name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header[0]:
                return (
                    None,
                    [
                        Problem(
                            name,
                            1,
                            None,
                            f"the file is separated by {sep_name}, not commas (a spreadsheet in a "
                            "European locale saves it so). Save as 'CSV UTF-8 (comma delimited)'",
                        )
                    ],
                    warnings,
                )
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    for c in missing:
        problems.append(Problem(name, 1, c, f"column is missing; the columns are {','.join(expected)}"))
    for c in unexpected:
        problems.append(Problem(name, 1, c or "(blank)", f"unexpected column; the columns are {','.join(expected)}"))
    for c in duplicated:
        problems.append(Problem(name, 1, c, "column appears more than once"))
    if problems:
        return None, problems, warnings

    records, rows, multiline = [], [], []
    line = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                Problem(
                    name,
                    line + 1,
                    None,
                    f"has a double quote out of place ({exc}): a value with a comma or a quote "
                    'must be wholly in double quotes, with any quote inside it doubled ("")',
                )
            )
            break
        start, line = line + 1, reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # blank lines, as spreadsheets leave at the end
        if line > start:
            multiline.append(start)
        if len(record) != len(header):
            problems.append(
                Problem(
                    name,
                    start,
                    None,
                    f"has {len(record)} values but the header has {len(header)}; a value with a "
                    'comma must be in double quotes, and a quote inside it doubled ("")',
                )
            )
            continue
        records.append(record)
        rows.append(start)
    if problems:
        return None, problems, warnings
    if not records and not spec.get("allow_empty", False):
        return None, [Problem(name, None, None, "has a header but no rows")], warnings

    # Plain object columns: pandas 3's NA-aware "str" dtype makes every comparison several times slower.
    raw = pd.DataFrame(records, columns=header, index=pd.Index(rows, name="row"), dtype="object")
    frame = raw[expected].copy()
    if multiline:
        # A value spanning lines is almost always a quote opened and never closed.
        bad = frame.loc[multiline]
        for row, record in bad.iterrows():
            column = next((c for c in expected if "\n" in record[c]), expected[0])
            problems.append(
                Problem(
                    name,
                    int(row),
                    column,
                    "contains a line break; most likely a double quote opened here is never "
                    "closed. Remove the stray quote or close it",
                )
            )
    warnings += _repair_padding(frame, expected, name, text)
    return frame, problems, warnings


def _repair_padding(frame: pd.DataFrame, columns: list[str], name: str, text: str) -> list[Problem]:
    """Trim white space around values in place, and say where (a repair, so a warning)."""
    # White space around a value sits next to a separator, a quote or a line end; tabs, no-break
    # spaces and carriage returns are rare enough to look for anywhere. One scan of the text
    # usually shows there is none, and spares the scan of every column.
    padded = (
        any(pair in text for pair in (", ", " ,", '" ', ' "', "\n ", " \n"))
        or any(c in text for c in ("\t", "\xa0", "\r"))
        or text[:1] == " "
    )
    warnings = []
    for column in _padded_columns(frame, columns) if padded else []:
        stripped = frame[column].str.strip()
        changed = stripped.index[stripped != frame[column]].tolist()
        frame[column] = stripped
        warnings.append(Problem(name, None, column, f"white space around values removed in rows {_rows_text(changed)}"))
    return warnings


def _padded_columns(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """Columns with a value that starts or ends with white space (one C-speed scan per column)."""
    found = []
    for column in columns:
        joined = "\x00" + "\x00".join(frame[column].tolist()) + "\x00"
        if any(f"\x00{w}" in joined or f"{w}\x00" in joined for w in WHITE_SPACE):
            found.append(column)
    return found


def _read_clean(text: str, expected: list[str], spec: dict) -> pd.DataFrame | None:
    """The C parser's fast path for a well-formed file; None sends the file to the careful reader.

    Well-formed: the expected header, one line per record, no blank lines, no white space around
    values, every record with every field. Anything else is read line by line, so that the
    problem can be named with its row.
    """
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if [h.strip() for h in next(csv.reader([first_line]))] != expected or "\n\n" in text.rstrip("\n"):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype="object",
            keep_default_na=False,
            na_filter=False,
            engine="c",
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError):
        return None
    if list(frame.columns) != expected or frame.isna().to_numpy().any():
        return None
    if len(frame) + 1 != text.rstrip("\n").count("\n") + 1:  # a record spans lines: a quote left open
        return None
    if not len(frame) and not spec.get("allow_empty", False):
        return None
    # The C parser forgives a quote out of place (a"b, "a"b); the strict reader does not. Records
    # are one line each here, so only the lines with a quote need the strict reading.
    try:
        for line in (line for line in text.split("\n") if '"' in line):
            next(csv.reader([line], strict=True))
    except csv.Error:
        return None
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame


def _fullmatch(values: pd.Series, pattern: str) -> pd.Series:
    """values.str.fullmatch(pattern) as booleans, for filled values only (empty ones count as matching).

    Usually every value matches, so one regex scan of the joined column looks for a line that does
    not; only when one exists is each value matched on its own.
    """
    result = pd.Series(True, index=values.index)
    filled = values[values != ""]
    if not len(filled):
        return result
    text = filled.tolist()
    try:
        joined = "\n".join(text)
    except TypeError:
        joined = None
    one_per_line = joined is not None and "\r" not in joined and joined.count("\n") == len(text) - 1
    if one_per_line and not re.compile(rf"^(?!(?:{pattern})$)", re.MULTILINE).search(joined):
        return result
    result[filled.index] = filled.str.fullmatch(pattern).astype(bool)
    return result


def _check_field(frame: pd.DataFrame, spec: dict, name: str, vocab: dict) -> list[Problem]:
    """Apply one field's schema rules to its column, vectorised."""
    column, kind = spec["name"], spec.get("type", "string")
    values = frame[column]
    filled = values != ""
    problems = []

    def flag(mask: pd.Series, message: str) -> None:
        bad = mask[mask].index.tolist()
        if bad:
            problems.append(
                Problem(
                    name,
                    bad[0],
                    column,
                    message.replace("{value}", str(values[bad[0]]))
                    + (f" (also rows {_rows_text(bad[1:])})" if len(bad) > 1 else ""),
                )
            )

    if spec.get("required"):
        flag(~filled, "is empty; a value is required")
    if spec.get("unique"):
        dupes = values[filled & values.duplicated(keep=False)]
        for value, rows in dupes.groupby(dupes).groups.items():
            problems.append(
                Problem(
                    name,
                    int(rows[1]),
                    column,
                    f"duplicate id '{value}' (first used in row {int(rows[0])}); ids must be unique",
                )
            )
    if kind == "date":
        ok = _fullmatch(values, DATE_PATTERN)
        flag(filled & ~ok, "'{value}' is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)")
        real = date_floor(values)
        flag(filled & ok & real.isna(), "'{value}' is not a real calendar date")
    elif kind in ("number", "integer"):
        pattern = NUMBER_PATTERN if kind == "number" else INTEGER_PATTERN
        ok = _fullmatch(values, pattern)
        negative = values.str.startswith("-").astype(bool) & values.str.fullmatch(r"-\s*" + NUMBER_PATTERN).astype(bool)
        if spec.get("signed"):
            ok = ok | negative.astype(bool)
            negative = negative & False
        flag(filled & negative, "'{value}' is negative; amounts and counts are never negative")
        example = "1500000000" if kind == "number" else "1200000"
        flag(
            filled & ~ok & ~negative,
            "'{value}' is not a plain " + kind + f"; write digits only, e.g. {example}, with no thousands "
            "separators, currency symbols or words (the currency has its own column)",
        )
        minimum = spec.get("minimum")
        if minimum is not None and minimum > 0:
            numeric = pd.to_numeric(values.where(filled & ok), errors="coerce")
            flag(numeric < minimum, "'{value}' is below the minimum of " + str(minimum))
    enum = spec.get("enum") or (list(vocab[spec["enum_from"]]) if "enum_from" in spec else None)
    if enum:
        flag(filled & ~values.isin(enum), "'{value}' is not one of: " + ", ".join(enum))
    if "pattern" in spec:
        flag(filled & ~_fullmatch(values, spec["pattern"]), "'{value}' does not match the pattern " + spec["pattern"])
    return problems


def date_floor(values: pd.Series) -> pd.Series:
    """Partial ISO dates as timestamps at the first day they can mean (2021-06 -> 2021-06-01)."""
    padded = values.where(values.str.len() != 4, values + "-01-01")
    padded = padded.where(padded.str.len() != 7, padded + "-01")
    return pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce")


def _problems_for_codes(frame, column, name, valid, what) -> list[Problem]:
    bad = frame[(frame[column] != "") & ~frame[column].isin(valid)]
    return [Problem(name, int(r), column, f"'{v}' is not {what}") for r, v in bad[column].items()]


def _valid_jurisdiction(code: str) -> bool:
    if code in NON_ISO_JURISDICTIONS:
        return True
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code) is not None
    return pycountry.subdivisions.get(code=code) is not None


def _cross_checks(
    tables: dict[str, pd.DataFrame], schema: dict, names: dict[str, str], today: dt.date
) -> list[Problem]:
    """Rules that span columns or tables: references, crosswalks, stages, amounts, dates."""
    problems: list[Problem] = []
    specs = schema["tables"]

    for table, spec in specs.items():
        frame = tables[table]
        for fk in spec.get("foreign_keys", []):
            target = tables[fk["table"]][fk["reference"]]
            values = frame[fk["field"]]
            dangling = values[(values != "") & ~values.isin(target)]
            for row, value in dangling.items():
                problems.append(
                    Problem(
                        names[table],
                        int(row),
                        fk["field"],
                        f"'{value}' is not a {fk['reference']} in {specs[fk['table']]['file']}",
                    )
                )

    # Crosswalks are checked both ways: every code used is mapped, every mapping is used.
    cases = tables["cases"]
    for table, column in (("jurisdictions", "jurisdiction"), ("platforms", "platform")):
        unused = tables[table][~tables[table][column].isin(cases[column])]
        for row, value in unused[column].items():
            problems.append(
                Problem(
                    names[table],
                    int(row),
                    column,
                    f"'{value}' is used by no case in cases.csv; remove the row or add the case",
                )
            )
    juris = tables["jurisdictions"]
    bad = juris[~juris["jurisdiction"].map(_valid_jurisdiction)]
    for row, value in bad["jurisdiction"].items():
        problems.append(
            Problem(
                names["jurisdictions"],
                int(row),
                "jurisdiction",
                f"'{value}' is not an ISO 3166 country or subdivision code (nor EU)",
            )
        )

    actions = tables["actions"]
    vocab = schema["vocabularies"]["action_types"]
    expected_stage = actions["action_type"].map(vocab)
    wrong = actions[expected_stage.notna() & (actions["stage"] != expected_stage) & (actions["stage"] != "")]
    for row, r in wrong.iterrows():
        problems.append(
            Problem(
                names["actions"],
                int(row),
                "stage",
                f"'{r['stage']}' does not fit action_type '{r['action_type']}', which is a {vocab[r['action_type']]}",
            )
        )

    currencies = {c.alpha_3 for c in pycountry.currencies}
    problems += _problems_for_codes(actions, "currency", names["actions"], currencies, "an ISO 4217 currency code")
    stated = actions["amount_status"] == "stated"
    for column in ("amount_low", "amount_high", "currency", "amount_unit"):
        missing = actions[stated & (actions[column] == "")]
        for row in missing.index:
            problems.append(
                Problem(
                    names["actions"],
                    int(row),
                    column,
                    "is empty but amount_status is 'stated'; give the figure or set amount_status "
                    "to 'undisclosed' or 'none'",
                )
            )
        extra = actions[~stated & (actions["amount_status"] != "") & (actions[column] != "")]
        for row, r in extra.iterrows():
            problems.append(
                Problem(
                    names["actions"],
                    int(row),
                    column,
                    f"has a value but amount_status is '{r['amount_status']}'; "
                    "set amount_status to 'stated' or empty this cell",
                )
            )
    # A stated figure carries the source's own words, so anyone can check it against the page.
    for row in actions[stated & (actions["evidence"] == "")].index:
        problems.append(
            Problem(
                names["actions"],
                int(row),
                "evidence",
                "is empty but the row states an amount; paste the source's sentence that states it",
            )
        )
    problems += _low_high(actions, "amount_low", "amount_high", names["actions"])
    problems += _low_high(tables["user_estimates"], "people_low", "people_high", names["user_estimates"])

    for table, column, precision in (
        ("actions", "date", "date_precision"),
        ("cases", "started_date", "started_date_precision"),
    ):
        frame = tables[table]
        length = frame[precision].map(PRECISION_LENGTH)
        mismatch = frame[length.notna() & (frame[column] != "") & (frame[column].str.len() != length)]
        for row, r in mismatch.iterrows():
            problems.append(
                Problem(
                    names[table],
                    int(row),
                    column,
                    f"'{r[column]}' does not have {precision} '{r[precision]}' "
                    f"(a {r[precision]} date is written like "
                    f"{ {'day': '2021-06-30', 'month': '2021-06', 'year': '2021'}[r[precision]] })",
                )
            )

    # No date in the future: a date later than today is a typo (or a deadline, which we record
    # on the day it was set).
    for table, spec in specs.items():
        for f in spec["fields"]:
            if f.get("type") == "date":
                values = tables[table][f["name"]]
                floor = date_floor(values)
                future = values[floor > pd.Timestamp(today)]
                for row, value in future.items():
                    problems.append(
                        Problem(
                            names[table],
                            int(row),
                            f["name"],
                            f"'{value}' is in the future (today is {today.isoformat()})",
                        )
                    )

    # A step cannot come before the case began (compared at the coarser of the two precisions:
    # 2021-06 is not before 2021-06-15, 2021 is not before 2021-03).
    started = actions["case_id"].map(cases.set_index("case_id")["started_date"]).fillna("")
    when, begun = date_floor(actions["date"]), date_floor(started)
    width = pd.concat([actions["date"].str.len(), started.str.len()], axis=1).min(axis=1)
    months = lambda d: d.dt.year * 12 + d.dt.month
    early = (
        ((width == 4) & (when.dt.year < begun.dt.year))
        | ((width == 7) & (months(when) < months(begun)))
        | ((width == 10) & (when < begun))
    )
    for row in actions.index[early.fillna(False)]:
        problems.append(
            Problem(
                names["actions"],
                int(row),
                "date",
                f"'{actions.at[row, 'date']}' is before its case {actions.at[row, 'case_id']} "
                f"began ({started[row]}); fix the date or the case's started_date",
            )
        )

    estimates = tables["user_estimates"]
    marked = estimates[estimates["per_person_basis"] == "yes"]
    twice = marked[marked["case_id"].duplicated(keep="first")]
    for case_id in twice["case_id"].unique():
        rows = marked.index[marked["case_id"] == case_id]
        problems.append(
            Problem(
                names["user_estimates"],
                int(rows[1]),
                "per_person_basis",
                f"case {case_id} has {len(rows)} estimates marked 'yes'; mark at most one, the "
                "one per-person amounts should divide by",
            )
        )

    for table, spec in specs.items():
        key = spec.get("primary_key")
        if isinstance(key, list):
            frame = tables[table]
            dupes = frame[frame.duplicated(key, keep="first")]
            for row, r in dupes.iterrows():
                problems.append(
                    Problem(
                        names[table],
                        int(row),
                        key[0],
                        f"another row has the same {', '.join(key)} "
                        f"({', '.join(str(r[k]) for k in key)}); each combination must be unique",
                    )
                )

    conflicts = tables["conflicts"]
    prices = tables["price_indexes"]
    known = pd.concat(
        [
            actions["action_id"],
            cases["case_id"],
            tables["user_estimates"]["estimate_id"],
            prices["index_code"] + "-" + prices["year"],
            "platform_users:"
            + tables["platform_users"]["platform"]
            + ":"
            + tables["platform_users"]["jurisdiction"]
            + ":"
            + tables["platform_users"]["as_of_date"],
        ]
    )
    for row, value in conflicts["record_id"][~conflicts["record_id"].isin(known)].items():
        problems.append(
            Problem(
                names["conflicts"],
                int(row),
                "record_id",
                f"'{value}' is not an action_id, case_id, estimate_id, index-year (HICP_EA-2015) or "
                "platform_users:platform:jurisdiction:as_of_date",
            )
        )
    # Several sources may confirm one index value; they must agree.
    spread = prices.groupby(["index_code", "year", "kind"])["value"].nunique()
    for (code, year, kind), n in spread[spread > 1].items():
        rows = prices[(prices["index_code"] == code) & (prices["year"] == year) & (prices["kind"] == kind)]
        problems.append(
            Problem(
                names["price_indexes"],
                int(rows.index[1]),
                "value",
                f"{code} {year} {kind} has {n} different values "
                f"({', '.join(rows['value'])}); keep one and record the other in conflicts.csv",
            )
        )
    return problems


def _low_high(frame: pd.DataFrame, low: str, high: str, name: str) -> list[Problem]:
    lows = pd.to_numeric(frame[low].where(frame[low] != ""), errors="coerce")
    highs = pd.to_numeric(frame[high].where(frame[high] != ""), errors="coerce")
    bad = frame[lows > highs]
    return [
        Problem(name, int(row), low, f"{r[low]} is greater than {high} {r[high]}; swap them")
        for row, r in bad.iterrows()
    ]


def _typed(frame: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """Numbers as floats, integers as nullable ints; strings and partial dates stay text."""
    out = frame.copy()
    for f in spec["fields"]:
        if f.get("type") == "number":
            out[f["name"]] = pd.to_numeric(out[f["name"]].where(out[f["name"]] != ""), errors="raise").astype("float64")
        elif f.get("type") == "integer":
            out[f["name"]] = pd.to_numeric(out[f["name"]].where(out[f["name"]] != ""), errors="raise").astype("Int64")
    return out


def load_raw(raw_dir: Path = paths.RAW, schema: dict | None = None, today: dt.date | None = None) -> RawData:
    """Read and validate every raw table; raise RawDataError listing every problem found."""
    schema = schema or load_schema(
        Path(raw_dir) / "schema.yaml" if (Path(raw_dir) / "schema.yaml").exists() else paths.SCHEMA
    )
    today = today or dt.date.today()
    tables, problems, warnings, names = {}, [], [], {}
    vocab = schema["vocabularies"]
    for table, spec in schema["tables"].items():
        path = Path(raw_dir) / spec["file"]
        names[table] = paths.relative(path)
        frame, table_problems, table_warnings = read_table(path, spec)
        warnings += table_warnings
        problems += table_problems
        if frame is None:
            continue
        for f in spec["fields"]:
            problems += _check_field(frame, f, names[table], vocab)
        tables[table] = frame
    if problems:
        raise RawDataError(problems)
    problems = _cross_checks(tables, schema, names, today)
    if problems:
        raise RawDataError(problems)
    typed = {t: _typed(tables[t], schema["tables"][t]) for t in tables}
    return RawData(typed, warnings)
