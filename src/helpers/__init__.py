"""Helpers for the privacy-actions dataset: load, validate, convert, tidy, format, chart, publish.

The flow: data/raw/*.csv -> validate.load_raw -> tidy.build_tables -> data/processed/*.csv
-> notebooks (papermill) -> reports/ (nbconvert HTML).
"""

from __future__ import annotations

from .params import ParameterError, check_parameters, data_version, select_platform
from .tidy import read_table
from .validate import RawDataError, load_raw
from .web import html_table, md

__all__ = [
    "ParameterError",
    "RawDataError",
    "check_parameters",
    "data_version",
    "html_table",
    "load_raw",
    "md",
    "read_table",
    "select_platform",
]
