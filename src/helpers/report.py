"""Regenerate the published tables and reports: validated, incremental, parallel, atomic.

    python -m helpers report [--force] [--jobs N] [--timeout SECONDS]

1. Refuse to start while another regeneration holds the lock.
2. Finish a publish that a crash interrupted (the journal says how far it got).
3. Hash every input; if nothing changed since the published build, stop: no kernel starts.
4. Validate the raw data and every run's parameters before any kernel starts.
5. Build everything in a staging folder: tables, executed notebooks, HTML, index, manifest.
6. Publish data/processed/ and reports/ (and the default runs' notebooks) in one step.
A failure at any point before step 6 leaves the published output exactly as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import paths
from .params import tree_hash

BUILD_DIR = paths.ROOT / ".build"
LOCK_FILE = BUILD_DIR / "report.lock"
JOURNAL = BUILD_DIR / "publish.json"
MANIFEST = "manifest.json"
PUBLISHED = {"data/processed": paths.ROOT / "data" / "processed", "reports": paths.ROOT / "reports"}


class BuildError(RuntimeError):
    """A regeneration that cannot go on; the message says what and where. Nothing was published."""


@dataclass
class Run:
    """One notebook executed with one set of parameters."""

    name: str
    notebook: str
    parameters: dict
    default: bool = False
    title: str = ""
    input_hash: str = ""
    outputs: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Inputs and their hashes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notebook_source_hash(path: Path) -> str:
    """Hash of a notebook's cells' sources and tags: its committed outputs do not count."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        (
            c["cell_type"],
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
            sorted(c.get("metadata", {}).get("tags", [])),
        )
        for c in nb["cells"]
    ]
    return _sha(json.dumps(cells, sort_keys=True).encode())


def shared_inputs() -> dict[str, str]:
    """Hashes of what every run depends on."""
    return {
        "raw_data": tree_hash(paths.RAW),
        "helpers": tree_hash(Path(__file__).resolve().parent),
        "requirements": _sha((paths.ROOT / "requirements.txt").read_bytes()),
    }


def run_input_hash(run: Run, shared: dict[str, str]) -> str:
    """What a run's output depends on: the shared inputs, its notebook's cells and its parameters."""
    inputs = {
        **shared,
        "notebook": notebook_source_hash(paths.NOTEBOOKS / run.notebook),
        "parameters": run.parameters,
        "default": run.default,
    }
    return _sha(json.dumps(inputs, sort_keys=True).encode())


def load_runs(runs_file: Path = paths.RUNS_FILE) -> list[Run]:
    """The notebook runs listed in notebooks/runs.yaml, with their structure checked."""
    name = paths.relative(runs_file)
    try:
        spec = yaml.safe_load(runs_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"{name}: cannot be read as YAML ({exc})") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("runs"), list) or not spec["runs"]:
        raise BuildError(f"{name}: needs a top-level 'runs:' list with at least one run")
    runs, seen = [], set()
    for i, item in enumerate(spec["runs"], start=1):
        where = f"{name}, run {i}"
        if not isinstance(item, dict) or not {"name", "notebook"} <= set(item):
            raise BuildError(f"{where}: each run needs 'name' and 'notebook' (and optional 'parameters', 'default')")
        unknown = set(item) - {"name", "notebook", "parameters", "default"}
        if unknown:
            raise BuildError(f"{where}: unknown keys {sorted(unknown)}; use name, notebook, parameters, default")
        run_name = str(item["name"])
        if not run_name.replace("-", "").isalnum() or run_name != run_name.lower():
            raise BuildError(f"{where}: name {run_name!r} must be lowercase letters, digits and hyphens")
        if run_name in seen:
            raise BuildError(f"{where}: name {run_name!r} is used twice")
        seen.add(run_name)
        if not (paths.NOTEBOOKS / str(item["notebook"])).is_file():
            raise BuildError(f"{where}: notebook {item['notebook']!r} is not in notebooks/")
        runs.append(
            Run(run_name, str(item["notebook"]), dict(item.get("parameters") or {}), bool(item.get("default", False)))
        )
    return runs


def check_run_parameters(runs: list[Run]) -> None:
    """Every run's parameters exist in its notebook and make sense, before any kernel starts."""
    from papermill.inspection import inspect_notebook

    from .params import ParameterError, check_parameters

    problems = []
    for run in runs:
        declared = inspect_notebook(str(paths.NOTEBOOKS / run.notebook))
        unknown = sorted(set(run.parameters) - set(declared))
        if unknown:
            problems.append(
                f"run {run.name!r}: {run.notebook} has no parameter {', '.join(unknown)}; "
                f"its parameters are {', '.join(declared)}"
            )
            continue
        defaults = {k: _literal(v["default"]) for k, v in declared.items()}
        try:
            check_parameters(**{**defaults, **run.parameters})
        except ParameterError as exc:
            problems.append(f"run {run.name!r} ({run.notebook}): {exc}")
    if problems:
        raise BuildError(
            "bad notebook parameters in notebooks/runs.yaml, no notebook was run:\n  - " + "\n  - ".join(problems)
        )


def _literal(text: str):
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


# ---------------------------------------------------------------------------------------------
# Executing one run (in a worker process)

VOLATILE_NB_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables")


def clean_notebook(nb) -> None:
    """Drop timings and machine paths papermill records, so the same inputs write the same bytes."""
    meta = nb.metadata.get("papermill", {})
    for key in VOLATILE_NB_KEYS:
        meta.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)


def notebook_title(nb) -> str:
    """The report's title: the first H1 the notebook outputs (built from its parameters)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/markdown", "")
            text = "".join(text) if isinstance(text, list) else text
            if text.startswith("# "):
                return text.splitlines()[0][2:].replace("\\", "").strip()
    return ""


def execute_run(run: Run, staging: Path, timeout: int) -> dict:
    """Execute a run into the staging folder and render its HTML; return what it produced."""
    import nbformat
    import papermill as pm

    from .render import render_html

    os.environ["PRIVACY_PROCESSED_DIR"] = str(staging / "data" / "processed")
    os.environ["PRIVACY_CHARTS_DIR"] = str(staging / "reports" / "charts" / run.name)
    os.environ.pop("MPLBACKEND", None)  # an inherited Agg backend makes charts vanish from notebooks
    executed = staging / "reports" / f"{run.name}.ipynb"
    started = time.perf_counter()
    try:
        pm.execute_notebook(
            str(paths.NOTEBOOKS / run.notebook),
            str(executed),
            parameters=run.parameters,
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=timeout,
            cwd=str(paths.NOTEBOOKS),
            shutdown_kernel="immediate",
        )
    except pm.PapermillExecutionError as exc:
        source = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        raise BuildError(
            f"notebooks/{run.notebook} (run {run.name!r}, parameters {run.parameters}) failed in "
            f"cell {exc.cell_index} (execution count {exc.exec_count}, starting {source!r}): "
            f"{exc.ename}: {exc.evalue}"
        ) from None
    except Exception as exc:  # noqa: BLE001  (a kernel that died or timed out: name the run all the same)
        raise BuildError(
            f"notebooks/{run.notebook} (run {run.name!r}, parameters {run.parameters}) could not "
            f"be executed: {type(exc).__name__}: {exc}"
        ) from None
    try:
        nb = nbformat.read(executed, as_version=4)
        clean_notebook(nb)
        nbformat.write(nb, executed)
        title = notebook_title(nb) or run.name
        render_html(executed, staging / "reports" / f"{run.name}.html", title)
    except Exception as exc:  # noqa: BLE001  (whatever nbconvert raises, name the run)
        raise BuildError(
            f"notebooks/{run.notebook} (run {run.name!r}) ran but could not be rendered to HTML: "
            f"{type(exc).__name__}: {exc}"
        ) from None
    return {"name": run.name, "title": title, "seconds": round(time.perf_counter() - started, 2)}


# ---------------------------------------------------------------------------------------------
# Publishing


def crash_point(name: str) -> None:
    """Die on the spot (SIGKILL, no clean-up) when PRIVACY_CRASH_AT names this point: for the fault tests."""
    if os.environ.get("PRIVACY_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def check_writable() -> None:
    """Every place a build writes to is writable, before any work starts."""
    targets = [PUBLISHED["data/processed"], PUBLISHED["reports"], paths.NOTEBOOKS, paths.ROOT / "README.md"]
    for target in targets:
        for place in (target, target.parent):
            if place.exists() and not os.access(place, os.W_OK):
                raise BuildError(
                    f"cannot write {paths.relative(place) or '.'}: permission denied. Nothing was built "
                    f"or published; make it writable (for example `chmod -R u+w "
                    f"{paths.relative(place) or '.'}`) and run again"
                )


def _swap_in(staged: Path, target: Path, trash: Path) -> None:
    if target.exists():
        os.rename(target, trash)
    os.rename(staged, target)


def publish(staging: Path, files: dict[str, Path]) -> None:
    """Move the staged folders and files into place; a journal lets the next run finish an interrupted publish."""
    trash = BUILD_DIR / f"old-{os.getpid()}"
    trash.mkdir(parents=True, exist_ok=True)
    plan = {
        "staging": str(staging.relative_to(paths.ROOT)),
        "trash": str(trash.relative_to(paths.ROOT)),
        "folders": list(PUBLISHED),
        "files": {k: str(v.relative_to(paths.ROOT)) for k, v in files.items()},
    }
    JOURNAL.write_text(json.dumps(plan), encoding="utf-8")
    finish_publish(plan)


def finish_publish(plan: dict) -> None:
    """Carry out (or finish) a publish plan; each step is safe to repeat."""
    staging, trash = paths.ROOT / plan["staging"], paths.ROOT / plan["trash"]
    trash.mkdir(parents=True, exist_ok=True)
    for key in plan["folders"]:
        staged, target = staging / key, PUBLISHED[key]
        if staged.exists():
            _swap_in(staged, target, trash / key.replace("/", "-"))
            crash_point(f"publish-{key.replace('/', '-')}")
    for target, staged in plan["files"].items():
        staged_path = paths.ROOT / staged
        if staged_path.exists():
            os.replace(staged_path, paths.ROOT / target)
    JOURNAL.unlink(missing_ok=True)
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def recover() -> str | None:
    """Finish a publish that was interrupted, and clear staging folders of builds that died."""
    message = None
    if JOURNAL.exists():
        finish_publish(json.loads(JOURNAL.read_text(encoding="utf-8")))
        message = "finished publishing a build that was interrupted while publishing"
    for stale in BUILD_DIR.glob("staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in BUILD_DIR.glob("old-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return message


class Lock:
    """One regeneration at a time: a second one refuses at once with a clear message."""

    def __enter__(self):
        BUILD_DIR.mkdir(parents=True, exist_ok=True)
        self.handle = open(LOCK_FILE, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "another process"
            self.handle.close()
            raise BuildError(
                f"another regeneration is running ({holder}); wait for it to finish, then run `make report` again"
            ) from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}, started {dt.datetime.now().isoformat(timespec='seconds')}")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


# ---------------------------------------------------------------------------------------------
# The build


def read_manifest() -> dict:
    path = PUBLISHED["reports"] / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _git_commit() -> str:
    import subprocess

    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    names = [
        line.split("==")[0]
        for line in (paths.ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    ]
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "missing"
    found["python"] = sys.version.split()[0]
    return found


def build(force: bool = False, jobs: int | None = None, timeout: int = 300, log=print) -> dict:
    """Regenerate what changed and publish it; return the new manifest (or the old one if nothing changed)."""
    check_writable()
    with Lock():
        note = recover()
        if note:
            log(note)
        runs = load_runs()
        shared = shared_inputs()
        runs_hash = _sha(paths.RUNS_FILE.read_bytes())
        for run in runs:
            run.input_hash = run_input_hash(run, shared)
        previous = read_manifest()
        before = {r["name"]: r for r in previous.get("runs", [])}
        todo = [r for r in runs if force or before.get(r.name, {}).get("input_hash") != r.input_hash]
        tables_stale = (
            force
            or previous.get("inputs", {}).get("raw_data") != shared["raw_data"]
            or previous.get("inputs", {}).get("helpers") != shared["helpers"]
        )
        if not todo and not tables_stale and previous.get("runs_file") == runs_hash:
            log("nothing changed since the published build: no notebook run, nothing published")
            return previous

        from .tidy import build_tables, write_tables
        from .validate import load_raw

        raw = load_raw()
        for warning in raw.warnings:
            log(f"warning: {warning}")
        check_run_parameters(runs)

        staging = BUILD_DIR / f"staging-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "data").mkdir(parents=True)
        old_reports = PUBLISHED["reports"]
        if old_reports.exists() and not force:
            shutil.copytree(old_reports, staging / "reports")
        elif (old_reports / "changes").exists():  # a forced rebuild keeps the history of changes
            shutil.copytree(old_reports / "changes", staging / "reports" / "changes")
        (staging / "reports").mkdir(exist_ok=True)
        try:
            write_tables(build_tables(raw), staging / "data" / "processed")
            crash_point("tables")
            results = _execute_all(todo, staging, jobs, timeout, log)
            crash_point("notebooks")
            manifest = _finish_staging(runs, results, before, staging, shared, runs_hash)
            files = _stage_files(runs, results, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        crash_point("before-publish")
        publish(staging, files)
        log(f"published {len(results)} run(s) and the tables; data version {manifest['data_version']}")
        return manifest


def _stage_files(runs: list[Run], results: dict, staging: Path) -> dict[str, Path]:
    """Single files published with the folders: README (its dictionaries describe the tables being
    published, row counts included) and each default run's executed notebook, into notebooks/."""
    from .docs import render as render_readme

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    (staging / "README.md").write_text(render_readme(readme, staging / "data" / "processed"), encoding="utf-8")
    files = {"README.md": staging / "README.md"}
    for run in runs:
        if run.default and run.name in results:
            copy = staging / "notebooks" / run.notebook
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(staging / "reports" / f"{run.name}.ipynb", copy)
            files[f"notebooks/{run.notebook}"] = copy
    return files


def _execute_all(todo: list[Run], staging: Path, jobs: int | None, timeout: int, log) -> dict[str, dict]:
    """Execute the runs in parallel (one worker per core by default), with a progress bar on a terminal."""
    from tqdm import tqdm

    if not todo:
        return {}
    for run in todo:  # a rerun replaces the run's charts wholesale
        shutil.rmtree(staging / "reports" / "charts" / run.name, ignore_errors=True)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    results = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(execute_run, run, staging, timeout): run for run in todo}
        bar = tqdm(total=len(todo), desc="notebooks", unit="run", disable=None, file=sys.stderr)
        try:
            for future in as_completed(futures):
                result = future.result()  # re-raises the first failure; nothing is published
                results[result["name"]] = result
                bar.update(1)
                if bar.disable:
                    log(f"ran {result['name']} in {result['seconds']} s")
        except BaseException:
            for f in futures:
                f.cancel()
            raise
        finally:
            bar.close()
    return results


def _finish_staging(runs, results, before, staging, shared, runs_hash) -> dict:
    """Write the manifest and the index into staging; drop outputs of runs no longer listed."""
    from .index import write_index
    from .params import data_version

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    version = data_version()
    listed = {r.name for r in runs}
    for old in set(before) - listed:
        for suffix in (".html", ".ipynb"):
            (staging / "reports" / f"{old}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(staging / "reports" / "charts" / old, ignore_errors=True)
    records = []
    for run in runs:
        if run.name in results:
            record = {
                "name": run.name,
                "notebook": run.notebook,
                "parameters": run.parameters,
                "default": run.default,
                "title": results[run.name]["title"],
                "input_hash": run.input_hash,
                "executed_at": now,
                "data_version": version,
                "seconds": results[run.name]["seconds"],
            }
        else:
            record = dict(before[run.name])
        records.append(record)
    manifest = {
        "built_at": now,
        "commit": _git_commit(),
        "data_version": version,
        "inputs": shared,
        "runs_file": runs_hash,
        "versions": _versions(),
        "runs": records,
        "tables": {
            p.stem: sum(1 for _ in p.open(encoding="utf-8")) - 1
            for p in sorted((staging / "data" / "processed").glob("*.csv"))
        },
    }
    manifest.update(_write_changes(staging, now))
    (staging / "reports" / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    write_index(manifest, staging / "reports" / "index.html")
    return manifest


def _write_changes(staging: Path, now: str) -> dict:
    """The change log against the published tables: one file per build, and the latest as a page."""
    from . import changes

    found = changes.compare(PUBLISHED["data/processed"], staging / "data" / "processed")
    previous = read_manifest().get("built_at")
    text = changes.markdown(found, now, previous)
    history = staging / "reports" / "changes"
    history.mkdir(parents=True, exist_ok=True)
    name = now.replace(":", "-").replace("+00-00", "Z")
    (history / f"{name}.md").write_text(text, encoding="utf-8")
    (staging / "reports" / "changes.html").write_text(
        changes.as_html(text, f"Changes in the build of {now}"), encoding="utf-8"
    )
    return {
        "changes": changes.summary(found),
        "changes_page": "changes.html",
        "changes_file": f"changes/{name}.md",
        "headlines_moved": len(found["headlines"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers report", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild every run even if its inputs are unchanged")
    parser.add_argument("--jobs", type=int, default=None, help="parallel notebook workers (default: one per core)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a notebook cell may run (default 300)")
    args = parser.parse_args(argv)
    from .validate import RawDataError

    try:
        build(force=args.force, jobs=args.jobs, timeout=args.timeout)
    except (BuildError, RawDataError) as exc:
        print(f"make report: {exc}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        where = paths.relative(Path(exc.filename)) if exc.filename else "a file"
        print(
            f"make report: cannot write {where}: permission denied. Nothing was published; "
            "make it writable and run again",
            file=sys.stderr,
        )
        return 2
    return 0
