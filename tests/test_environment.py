"""One source of pins: environment.yml is generated from requirements.txt and must match it."""

from __future__ import annotations

import yaml

from helpers import envfile, paths


def test_environment_yml_matches_requirements():
    committed = (paths.ROOT / "environment.yml").read_text(encoding="utf-8")
    assert committed == envfile.render(), "environment.yml is stale: run `make environment.yml`"
    pip_section = next(d for d in yaml.safe_load(committed)["dependencies"] if isinstance(d, dict))["pip"]
    assert [p for p in pip_section if p != "-e ."] == envfile.pins()


def test_every_requirement_is_pinned():
    for pin in envfile.pins():
        if not pin.startswith("-r"):
            assert "==" in pin, f"{pin} is not pinned with =="


def test_lab_requirements_reuse_the_same_pins():
    lab = (paths.ROOT / "requirements-lab.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in lab


def test_readme_data_dictionary_is_current():
    from helpers import docs

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == docs.render(readme), "README's data dictionary is stale: run `make docs`"


def test_readme_shows_the_two_commands_first():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = readme[:1500]
    assert "make report" in first_screen and "make test" in first_screen
    assert "make test" in (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
