"""The regeneration runner, for real, in a copy of the project: incremental, atomic, one at a time,
clear when a notebook fails or a folder cannot be written, and always leaving a whole report."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from copies import env_for, make_copy, published, report, report_cmd


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_copy(tmp_path_factory.mktemp("regeneration") / "project")
    first = report(root, "--force")
    assert first.returncode == 0, first.stderr
    return root


def test_nothing_changed_starts_no_kernel_and_publishes_nothing(project):
    before = published(project)
    again = report(project)
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the published build" in again.stdout
    assert "ran " not in again.stdout and "Kernel" not in again.stderr
    assert published(project) == before


def test_a_data_change_rebuilds_and_says_what_changed(project):
    raw = project / "data" / "raw" / "actions.csv"
    original = raw.read_text(encoding="utf-8")
    row = next(line for line in original.splitlines() if line.startswith("tiktok-nl-tbyp-2021-01,"))
    raw.write_text(
        original.replace(row, row.replace(",1500000000,1500000000,", ",1400000000,1500000000,")), encoding="utf-8"
    )
    try:
        history_before = len(list((project / "reports" / "changes").glob("*.md")))
        done = report(project)
        assert done.returncode == 0, done.stderr
        manifest = json.loads((project / "reports" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["changes"].startswith("actions ~1")
        page = (project / "reports" / "changes.html").read_text(encoding="utf-8")
        assert "tiktok-nl-tbyp-2021-01" in page and "amount_low: 1500000000 → 1400000000" in page
        assert len(list((project / "reports" / "changes").glob("*.md"))) == history_before + 1
        assert "What changed in this build" in (project / "reports" / "index.html").read_text(encoding="utf-8")
    finally:
        raw.write_text(original, encoding="utf-8")
        assert report(project).returncode == 0


@pytest.mark.parametrize("point", ["tables", "notebooks", "before-publish"])
def test_a_crash_before_publishing_leaves_the_previous_output_whole(project, point):
    before = published(project)
    crashed = report(project, "--force", PRIVACY_CRASH_AT=point)
    assert crashed.returncode == -signal.SIGKILL
    assert published(project) == before
    after = report(project)  # the next run cleans up and finds nothing to do
    assert after.returncode == 0 and "nothing changed" in after.stdout
    assert not list((project / ".build").glob("staging-*"))


def test_a_kill_at_any_moment_leaves_the_previous_output_whole(project):
    before = published(project)
    for delay in (0.5, 1.5, 3.0):
        process = subprocess.Popen(
            report_cmd("--force"),
            cwd=project,
            env=env_for(project),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)  # the runner, its workers and their kernels
        process.wait()
        assert published(project) == before, f"killed after {delay} s"


def test_a_crash_while_publishing_is_finished_by_the_next_run(project):
    crashed = report(project, "--force", PRIVACY_CRASH_AT="publish-data-processed")
    assert crashed.returncode == -signal.SIGKILL
    assert (project / ".build" / "publish.json").exists()
    finished = report(project)
    assert finished.returncode == 0, finished.stderr
    assert "finished publishing a build that was interrupted" in finished.stdout
    manifest = json.loads((project / "reports" / "manifest.json").read_text(encoding="utf-8"))
    with open(project / "data/processed/actions.csv", encoding="utf-8") as published_actions:
        assert manifest["tables"]["actions"] == sum(1 for _ in published_actions) - 1
    assert not (project / ".build" / "publish.json").exists()


def test_two_regenerations_at_once(project):
    first = subprocess.Popen(
        report_cmd("--force"),
        cwd=project,
        env=env_for(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = project / ".build" / "report.lock"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().startswith(f"pid {first.pid}")):
        time.sleep(0.05)
    second = report(project)
    assert second.returncode == 2
    assert "another regeneration is running (pid" in second.stderr
    assert first.wait(timeout=300) == 0


def test_a_failing_notebook_is_named_with_its_cell_and_nothing_is_published(project):
    broken = project / "notebooks" / "99-broken.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Broken"),
            nbformat.v4.new_code_cell('platform = "TikTok"  # a parameter', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_markdown_cell("A cell that fails."),
            nbformat.v4.new_code_cell("raise ValueError('boom: the data broke this notebook')"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, broken)
    runs = project / "notebooks" / "runs.yaml"
    original = runs.read_text(encoding="utf-8")
    runs.write_text(original + "  - name: broken\n    notebook: 99-broken.ipynb\n    default: true\n", encoding="utf-8")
    before = published(project)
    try:
        failed = report(project)
        assert failed.returncode == 2
        assert "notebooks/99-broken.ipynb (run 'broken', parameters {}) failed in cell 3" in failed.stderr
        assert "ValueError: boom: the data broke this notebook" in failed.stderr
        assert "Traceback" not in failed.stderr
        assert published(project) == before
    finally:
        runs.write_text(original, encoding="utf-8")
        broken.unlink()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become another user")
def test_an_unwritable_output_folder_is_named_before_any_work():
    # Outside pytest's own temporary folder, which only root may enter.
    place = Path(tempfile.mkdtemp(prefix="privacy-unwritable-", dir="/tmp"))
    place.chmod(0o755)
    root = make_copy(place / "project")
    for path in [place, root, *root.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)
    os.chown(root / "reports", 0, 0)  # the folder the regeneration user may not write
    os.chmod(root / "reports", 0o755)
    (root / "data" / "raw" / "research_log.csv").write_text(
        (root / "data" / "raw" / "research_log.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    before = published(root)
    try:
        denied = report(root, "--force", user=65534)
        assert denied.returncode == 2, denied.stderr
        assert "cannot write reports: permission denied. Nothing was built or published" in denied.stderr
        assert published(root) == before
    finally:
        shutil.rmtree(place, ignore_errors=True)
