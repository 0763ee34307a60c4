"""Speed and memory figures, printed (never asserted): `make bench`.

1. Full regeneration (forced) against the same notebook runs as plain Python scripts, one after
   another. Target ratio <= 1.0.
2. Regeneration with nothing changed. Target <= 1 s.
3. Tidy tables from synthetic raw data of 1,000, 10,000 and 100,000 actions. Targets at 100,000:
   <= 3 s and <= 1 GiB peak memory; time growing no faster than linearly.
Everything runs in a throwaway copy of the checkout, so the published output is never touched.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import paths

SKIP = {".venv", ".venv-lab", ".build", ".git", "scratch", "__pycache__", ".pytest_cache"}


def copy_checkout(target: Path | None = None) -> Path:
    """A copy of the working tree whose `helpers` resolves to its own src/ (via PYTHONPATH).

    The benchmark and the fault tests build in such copies, never in the checkout itself.
    """
    target = target or Path(tempfile.mkdtemp(prefix="privacy-bench-")) / "checkout"
    shutil.copytree(paths.ROOT, target, ignore=lambda _, names: [n for n in names if n in SKIP])
    return target


def run_env(root: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    env.pop("PRIVACY_PROCESSED_DIR", None)
    env.pop("PRIVACY_CHARTS_DIR", None)
    return env


def timed(cmd: list[str], root: Path, env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=root, env=env or run_env(root), check=True, capture_output=True)
    return time.perf_counter() - started


def scripts_for_runs(root: Path, folder: Path) -> list[Path]:
    """Each run in runs.yaml as a plain Python script (parameters injected as papermill would)."""
    import nbformat
    from nbconvert import PythonExporter
    from papermill.parameterize import parameterize_notebook

    sys.path.insert(0, str(root / "src"))
    from helpers.report import load_runs

    scripts = []
    for run in load_runs(root / "notebooks" / "runs.yaml"):
        nb = nbformat.read(root / "notebooks" / run.notebook, as_version=4)
        if run.parameters:
            nb = parameterize_notebook(nb, run.parameters, kernel_name="python3")
        source, _ = PythonExporter().from_notebook_node(nb)
        script = folder / f"{run.name}.py"
        script.write_text(source.replace("get_ipython()", "None"), encoding="utf-8")
        scripts.append(script)
    return scripts


def regeneration(root: Path, repeats: int) -> dict:
    env = run_env(root)
    report = [sys.executable, "-m", "helpers", "report"]
    timed(report + ["--force"], root, env)  # warm the disk cache and the kernel spec lookup
    forced = [timed(report + ["--force"], root, env) for _ in range(repeats)]
    unchanged = [timed(report, root, env) for _ in range(max(3, repeats))]
    folder = Path(tempfile.mkdtemp(prefix="privacy-scripts-"))
    scripts = scripts_for_runs(root, folder)
    script_env = dict(env, PRIVACY_CHARTS_DIR=str(folder / "charts"), MPLBACKEND="Agg")
    plain = []
    for _ in range(repeats):
        started = time.perf_counter()
        for script in scripts:
            subprocess.run(
                [sys.executable, str(script)], cwd=root / "notebooks", env=script_env, check=True, capture_output=True
            )
        plain.append(time.perf_counter() - started)
    return {
        "runs": len(scripts),
        "forced": statistics.median(forced),
        "plain": statistics.median(plain),
        "unchanged": statistics.median(unchanged),
    }


# --- synthetic raw data for the tidy-table benchmark ----------------------------------------

JURISDICTIONS = [
    "NL",
    "IE",
    "GB",
    "FR",
    "DE",
    "IT",
    "ES",
    "US",
    "US-IL",
    "US-TX",
    "KR",
    "JP",
    "AU",
    "BR",
    "CA",
    "IN",
    "TR",
    "NO",
    "SE",
    "EU",
]
CURRENCIES = ["EUR", "USD", "GBP", "KRW", "BRL", "NOK", "SEK", "JPY"]


def synthetic_raw(folder: Path, n_actions: int, seed: int = 1) -> Path:
    """A valid raw dataset of n_actions fictional actions (real schema and price indexes)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.SCHEMA, folder / "schema.yaml")
    shutil.copyfile(paths.RAW / "price_indexes.csv", folder / "price_indexes.csv")
    prices = pd.read_csv(folder / "price_indexes.csv", dtype="str", keep_default_na=False)
    real_sources = pd.read_csv(paths.RAW / "sources.csv", dtype="str", keep_default_na=False)
    n_cases, n_sources = max(n_actions // 4, 1), max(n_actions // 10, 1)
    source_ids = [f"bench-source-{i}" for i in range(n_sources)]
    sources = pd.DataFrame(
        {
            "source_id": source_ids,
            "url": [f"https://example.org/{i}" for i in range(n_sources)],
            "publisher": "Example",
            "title": "Synthetic",
            "published_date": "2020-01-01",
            "accessed_date": "2026-11-29",
            "source_kind": "news",
            "language": "en",
        }
    )
    sources = pd.concat([sources, real_sources[real_sources["source_id"].isin(prices["source_id"])]])
    jurisdictions = pd.DataFrame(
        {
            "jurisdiction": JURISDICTIONS,
            "name": [f"Place {j}" for j in JURISDICTIONS],
            "region": "Europe",
            "regime": "other national law",
        }
    )
    platforms = pd.DataFrame({"platform": [f"Bench{i}" for i in range(10)], "company": "Bench Holdings"})
    years = rng.integers(2012, 2025, n_cases)
    cases = pd.DataFrame(
        {
            "case_id": [f"bench-case-{i}" for i in range(n_cases)],
            "platform": rng.choice(platforms["platform"], n_cases),
            "defendant": "",
            "jurisdiction": np.resize(JURISDICTIONS, n_cases),
            "forum": "A regulator",
            "forum_kind": "regulator",
            "brought_by": "A regulator",
            "case_kind": "regulatory",
            "topic": "children",
            "legal_basis": "GDPR",
            "started_date": [f"{y}-01-01" for y in years],
            "started_date_precision": "day",
            "summary": "Synthetic.",
            "source_id": rng.choice(source_ids, n_cases),
        }
    )
    case_of = rng.integers(0, n_cases, n_actions)
    day = rng.integers(0, 700, n_actions)
    dates = (pd.to_datetime([f"{y}-01-01" for y in years[case_of]]) + pd.to_timedelta(day, "D")).strftime("%Y-%m-%d")
    stated = rng.random(n_actions) < 0.6
    low = rng.integers(10_000, 1_000_000_000, n_actions)
    stage = np.where(rng.random(n_actions) < 0.4, "claim", "outcome")
    actions = pd.DataFrame(
        {
            "action_id": [f"bench-action-{i}" for i in range(n_actions)],
            "case_id": cases["case_id"].to_numpy()[case_of],
            "stage": stage,
            "action_type": np.where(stage == "claim", "claim", "fine"),
            "date": dates,
            "date_precision": "day",
            "status": "final",
            "amount_status": np.where(stated, "stated", "none"),
            "amount_low": np.where(stated, low.astype(str), ""),
            "amount_high": np.where(stated, (low * 2).astype(str), ""),
            "amount_unit": np.where(stated, "total", ""),
            "currency": np.where(stated, rng.choice(CURRENCIES, n_actions), ""),
            "follows_action_id": "",
            "description": "Synthetic.",
            "certainty": "confirmed",
            "notes": "",
            "evidence": np.where(stated, "the synthetic source states it", ""),
            "source_id": rng.choice(source_ids, n_actions),
        }
    )
    estimates = pd.DataFrame(
        {
            "estimate_id": [f"bench-case-{i}-u1" for i in range(0, n_cases, 2)],
            "case_id": cases["case_id"].iloc[::2],
            "population": "users",
            "people_low": 1000,
            "people_high": 5000,
            "as_of_date": "2020",
            "method": "synthetic",
            "per_person_basis": "yes",
            "certainty": "confirmed",
            "evidence": "synthetic",
            "source_id": rng.choice(source_ids, len(range(0, n_cases, 2))),
        }
    )
    empty = {
        "conflicts": [
            "record_id",
            "field",
            "chosen_value",
            "chosen_source_id",
            "other_value",
            "other_source_id",
            "reason",
        ],
        "platform_users": [
            "platform",
            "jurisdiction",
            "users_low",
            "users_high",
            "as_of_date",
            "population",
            "evidence",
            "source_id",
        ],
        "research_log": ["batch", "platform", "jurisdiction", "query", "result", "notes"],
    }
    for name, frame in {
        "sources": sources,
        "jurisdictions": jurisdictions,
        "platforms": platforms,
        "cases": cases,
        "actions": actions,
        "user_estimates": estimates,
    }.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    for name, columns in empty.items():
        pd.DataFrame(columns=columns).to_csv(folder / f"{name}.csv", index=False)
    return folder


def tidy_once(raw_dir: str, out_dir: str) -> None:
    """In a fresh process: validate and build the tidy tables; print seconds and peak memory."""
    started = time.perf_counter()
    from .tidy import build_tables, write_tables
    from .validate import load_raw

    imported = time.perf_counter()
    write_tables(build_tables(load_raw(Path(raw_dir))), Path(out_dir))
    done = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{done - imported:.3f} {imported - started:.3f} {peak_kib}")


def tidy_scaling(sizes: list[int]) -> list[dict]:
    results = []
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"privacy-tidy-{n}-"))
        synthetic_raw(folder / "raw", n)
        out = subprocess.run(
            [sys.executable, "-m", "helpers.bench", "tidy-once", str(folder / "raw"), str(folder / "out")],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds, imports, peak = out.stdout.split()
        results.append(
            {"actions": n, "seconds": float(seconds), "imports": float(imports), "peak_mib": int(peak) / 1024}
        )
        shutil.rmtree(folder, ignore_errors=True)
    return results


def main(argv: list[str]) -> int:
    if argv[:1] == ["tidy-once"]:
        tidy_once(argv[1], argv[2])
        return 0
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    root = copy_checkout()
    try:
        regen = regeneration(root, repeats)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    ratio = regen["forced"] / regen["plain"]
    print(f"\nregeneration ({regen['runs']} notebook runs, median of {repeats}):")
    print(f"  forced full regeneration     {regen['forced']:7.2f} s")
    print(f"  same runs as plain scripts   {regen['plain']:7.2f} s")
    print(f"  ratio                        {ratio:7.2f}   (target <= 1.0: {'met' if ratio <= 1.0 else 'NOT met'})")
    print(
        f"  nothing changed              {regen['unchanged']:7.2f} s (target <= 1 s: "
        f"{'met' if regen['unchanged'] <= 1.0 else 'NOT met'})"
    )
    results = tidy_scaling([1_000, 10_000, 100_000])
    print("\ntidy tables from synthetic raw data (validate + build + write; imports excluded):")
    for r in results:
        print(
            f"  {r['actions']:>7,} actions  {r['seconds']:6.2f} s  peak {r['peak_mib']:6.0f} MiB  "
            f"({1e6 * r['seconds'] / r['actions']:.1f} µs per action)"
        )
    last = results[-1]
    growth = (results[-1]["seconds"] / results[-2]["seconds"]) / (results[-1]["actions"] / results[-2]["actions"])
    print(
        f"  at 100,000: {'met' if last['seconds'] <= 3 else 'NOT met'} (<= 3 s), "
        f"{'met' if last['peak_mib'] <= 1024 else 'NOT met'} (<= 1 GiB); time x{growth:.2f} of linear from "
        f"10,000 to 100,000 ({'no faster than linear' if growth <= 1.1 else 'FASTER than linear'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
