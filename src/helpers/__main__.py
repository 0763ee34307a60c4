"""Command line: `python -m helpers report|validate`."""

from __future__ import annotations

import sys


def validate_main() -> int:
    from .validate import RawDataError, load_raw

    try:
        raw = load_raw()
    except RawDataError as exc:
        print(exc, file=sys.stderr)
        return 2
    for warning in raw.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in raw.tables.items())
    print(f"raw data is valid: {counts}")
    return 0


def summary_main() -> int:
    """The latest build's change summary, for a commit message."""
    from .report import read_manifest

    manifest = read_manifest()
    print(f"data {manifest.get('data_version', '?')}: {manifest.get('changes', 'no build published yet')}")
    return 0


def main() -> int:
    commands = {"report", "validate", "summary"}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("usage: python -m helpers {report,validate,summary} [options]", file=sys.stderr)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "validate":
        return validate_main()
    if command == "summary":
        return summary_main()
    from .report import main as report_main

    return report_main(rest)


if __name__ == "__main__":
    sys.exit(main())
