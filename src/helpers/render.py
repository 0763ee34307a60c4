"""Render executed notebooks to reader HTML: no code, no parameter cells, no network needed."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
# Cells readers never see: the parameter cells and the notebook's generic title (the report
# shows the title built from its parameters instead).
HIDDEN_TAGS = ("parameters", "injected-parameters", "notebook-title", "remove-in-report")


def html_exporter() -> HTMLExporter:
    """nbconvert's lab template without its CDN scripts, code hidden, tagged cells removed."""
    config = Config()
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_TAGS)
    return HTMLExporter(config=config, extra_template_basedirs=[str(TEMPLATE_DIR)], template_name="offline")


def render_html(notebook_path: Path, html_path: Path, title: str) -> Path:
    """Write the reader HTML of an executed notebook."""
    nb = nbformat.read(notebook_path, as_version=4)
    nb.metadata["title"] = title
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path
