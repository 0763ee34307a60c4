"""What changed between two published builds: rows added, removed and changed per table, and the
headline figures that moved. A journalist reviewing a scheduled build reads this first.

Each build writes reports/changes/<built_at>.md (the history, one file per build) and
reports/changes.html (the latest, linked from the index).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from . import fmt

# How rows of each published table are identified across builds.
KEYS = {
    "actions": ["action_id"],
    "cases": ["case_id"],
    "user_estimates": ["estimate_id"],
    "sources": ["source_id"],
    "conflicts": ["record_id", "field", "other_source_id"],
    "platform_users": ["platform", "jurisdiction", "as_of_date", "source_id"],
}
MAX_LISTED = 50  # rows listed per table and kind of change; the rest are counted


def _read(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return pd.read_csv(path, dtype="str", keep_default_na=False)


def table_changes(old: pd.DataFrame | None, new: pd.DataFrame, key: list[str]) -> dict:
    """Rows added, removed and changed (with old -> new per field), compared as text."""
    if old is None:
        return {"added": new[key].astype(str).agg(" / ".join, axis=1).tolist(), "removed": [], "changed": {}}
    old_i, new_i = old.set_index(key), new.set_index(key)
    ident = lambda index: [" / ".join(k) if isinstance(k, tuple) else k for k in index]
    added = new_i.index.difference(old_i.index)
    removed = old_i.index.difference(new_i.index)
    common = new_i.index.intersection(old_i.index)
    changed = {}
    columns = [c for c in new_i.columns if c in old_i.columns]
    a, b = old_i.loc[common, columns], new_i.loc[common, columns]
    differs = a.ne(b)
    for row in differs.index[differs.any(axis=1)]:
        name = " / ".join(row) if isinstance(row, tuple) else row
        changed[name] = {c: (a.at[row, c], b.at[row, c]) for c in columns if differs.at[row, c]}
    for c in set(new_i.columns) ^ set(old_i.columns):
        changed.setdefault("(columns)", {})[c] = (
            "present" if c in old_i.columns else "absent",
            "present" if c in new_i.columns else "absent",
        )
    return {"added": ident(added), "removed": ident(removed), "changed": changed}


def headlines(folder: Path) -> dict[str, str]:
    """The figures a reader sees first, per platform and overall, as text (so any change shows)."""
    actions = _read(Path(folder) / "actions.csv")
    cases = _read(Path(folder) / "cases.csv")
    if actions is None or cases is None:
        return {}
    figures = {}
    for platform, group in [("all platforms", cases)] + list(cases.groupby("platform")):
        mine = actions if platform == "all platforms" else actions[actions["platform"] == platform]
        figures[f"{platform}: actions"] = str(len(mine))
        figures[f"{platform}: cases"] = str(len(group))
        figures[f"{platform}: jurisdictions"] = str(mine["jurisdiction"].nunique())
        claim = pd.to_numeric(group["claim_eur_high"], errors="coerce")
        outcome_low = pd.to_numeric(group["outcome_eur_low"], errors="coerce")
        outcome_high = pd.to_numeric(group["outcome_eur_high"], errors="coerce")
        if claim.notna().any():
            figures[f"{platform}: largest demand"] = fmt.money(claim.max(), "EUR")
        if outcome_high.notna().any():
            figures[f"{platform}: largest decided amount"] = fmt.money(outcome_high.max(), "EUR")
            figures[f"{platform}: decided, sum of cases"] = fmt.money_range(
                outcome_low.sum(), outcome_high.sum(), "EUR"
            )
    return figures


def compare(old_folder: Path, new_folder: Path) -> dict:
    """Everything that changed between the published tables in two folders."""
    tables = {}
    for name, key in KEYS.items():
        new = _read(Path(new_folder) / f"{name}.csv")
        if new is not None:
            tables[name] = table_changes(_read(Path(old_folder) / f"{name}.csv"), new, key)
    before, after = headlines(old_folder), headlines(new_folder)
    moved = {
        k: (before.get(k, "-"), after.get(k, "-"))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }
    return {"tables": tables, "headlines": moved, "first_build": not (Path(old_folder) / "actions.csv").exists()}


def summary(changes: dict) -> str:
    """One line for a commit message or a log."""
    if changes["first_build"]:
        return "first build"
    parts = []
    for name, c in changes["tables"].items():
        counts = [
            f"+{len(c['added'])}" if c["added"] else "",
            f"-{len(c['removed'])}" if c["removed"] else "",
            f"~{len(c['changed'])}" if c["changed"] else "",
        ]
        if any(counts):
            parts.append(f"{name} {' '.join(x for x in counts if x)}")
    text = "; ".join(parts) if parts else "no change in the published tables"
    if changes["headlines"]:
        text += f"; {len(changes['headlines'])} headline figures moved"
    return text


def markdown(changes: dict, built_at: str, previous: str | None) -> str:
    """The change log of one build, in Markdown."""
    lines = [f"# Changes in the build of {built_at}", ""]
    lines.append(
        "First build: everything is new."
        if changes["first_build"]
        else f"Compared with the build of {previous}. In short: {summary(changes)}."
    )
    if changes["headlines"]:
        lines += ["", "## Headline figures that moved", "", "| figure | before | now |", "|---|---|---|"]
        lines += [f"| {k} | {old} | {new} |" for k, (old, new) in changes["headlines"].items()]
    for name, c in changes["tables"].items():
        if not (c["added"] or c["removed"] or c["changed"]) or changes["first_build"]:
            continue
        lines += ["", f"## {name}.csv", ""]
        for kind in ("added", "removed"):
            if c[kind]:
                shown = ", ".join(f"`{k}`" for k in c[kind][:MAX_LISTED])
                more = f" and {len(c[kind]) - MAX_LISTED} more" if len(c[kind]) > MAX_LISTED else ""
                lines.append(f"- {len(c[kind])} rows {kind}: {shown}{more}")
        if c["changed"]:
            lines.append(f"- {len(c['changed'])} rows changed:")
            for row, fields in list(c["changed"].items())[:MAX_LISTED]:
                diffs = "; ".join(f"{f}: `{old}` → `{new}`" for f, (old, new) in fields.items())
                lines.append(f"  - `{row}`: {diffs}")
            if len(c["changed"]) > MAX_LISTED:
                lines.append(f"  - and {len(c['changed']) - MAX_LISTED} more")
    return "\n".join(lines) + "\n"


def as_html(text: str, title: str) -> str:
    """The Markdown change log as a small page (escaped line by line; no scripts)."""
    body = []
    for line in text.splitlines():
        escaped = html.escape(line).replace("`", "")
        if line.startswith("# "):
            body.append(f"<h1>{escaped[2:]}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{escaped[3:]}</h2>")
        elif line.startswith("|---"):
            continue
        elif line.startswith("| "):
            cells = "".join(f"<td>{c.strip()}</td>" for c in escaped.strip("|").split("|"))
            body.append(f"<table><tr>{cells}</tr></table>")
        elif line.startswith("  - "):
            body.append(f'<li style="margin-left:1.5em">{escaped[4:]}</li>')
        elif line.startswith("- "):
            body.append(f"<li>{escaped[2:]}</li>")
        elif line:
            body.append(f"<p>{escaped}</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:960px;"
        "margin:0 auto;padding:12px;line-height:1.45;overflow-wrap:anywhere}table{border-collapse:collapse}"
        "td{border-bottom:1px solid #ddd;padding:4px 8px}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + '\n<p><a href="index.html">Back to the reports</a></p>\n</body>\n</html>\n'
    )
