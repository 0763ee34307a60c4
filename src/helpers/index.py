"""reports/index.html: every report with its title, parameters, when and from which data it was built."""

from __future__ import annotations

import html
from pathlib import Path

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Privacy actions against online platforms: reports</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 960px; margin: 0 auto;
         padding: 12px; color: #1a1a1a; line-height: 1.45; }}
  table {{ border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }}
  th, td {{ text-align: left; padding: 6px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }}
  code {{ font-size: 0.9em; }}
  .meta {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Privacy actions against online platforms</h1>
<p>Regulators' fines, collective claims, lawsuits, settlements and court rulings, followed from what was
demanded to what was decided and paid. Every figure in these reports cites its source.</p>
<p class="meta">Data version <code>{data_version}</code>, built {built_at} from commit <code>{commit}</code>.{changes}</p>
<p>Download the tables (CSV, UTF-8, described column by column in
<a href="../data/processed/datapackage.json">datapackage.json</a>): {tables}.</p>
<h2>Reports</h2>
<table>
<thead><tr><th>Report</th><th>Parameters</th><th>Regenerated</th><th>Data version</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2>Words of caution</h2>
<p>A demanded sum is not a fine, and an announced fine is not money paid: fines are appealed, reduced and
annulled; claims are opening positions. Each report says which stage every amount belongs to.</p>
</body>
</html>
"""


def _when(stamp: str) -> str:
    """'2026-11-29T05:15:19+00:00' -> '29 November 2026, 05:15 UTC'."""
    import datetime as dt

    moment = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def write_index(manifest: dict, path: Path) -> Path:
    """Write the index page; every value from the data or the parameters is escaped."""
    e = html.escape
    rows = []
    for run in manifest["runs"]:
        params = (
            ", ".join(
                f"{e(str(k))} = {e(repr(v) if v in ('', [], None) else str(v))}" for k, v in run["parameters"].items()
            )
            or "the notebook's defaults"
        )
        rows.append(
            f'<tr><td><a href="{e(run["name"])}.html">{e(run["title"])}</a><br>'
            f'<span class="meta">notebooks/{e(run["notebook"])}</span></td>'
            f"<td>{params}</td><td>{e(_when(run['executed_at']))}</td><td><code>{e(run['data_version'])}</code></td></tr>"
        )
    tables = ", ".join(
        f'<a href="../data/processed/{e(name)}.csv">{e(name)}</a> ({count:,} rows)'
        for name, count in manifest.get("tables", {}).items()
    )
    changes = ""
    if manifest.get("changes_page"):
        changes = (
            f' <a href="{e(manifest["changes_page"])}">What changed in this build</a>: '
            f"{e(manifest.get('changes', ''))}."
        )
    path.write_text(
        PAGE.format(
            data_version=e(manifest["data_version"]),
            built_at=e(_when(manifest["built_at"])),
            commit=e(manifest["commit"]),
            tables=tables,
            changes=changes,
            rows="\n".join(rows),
        ),
        encoding="utf-8",
    )
    return path
