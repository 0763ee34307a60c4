"""Money and count formatters, so that no figure is ever typed into prose."""

from __future__ import annotations

import math

SCALES = ((1e9, "billion"), (1e6, "million"))


def _number(value: float, digits: int = 3) -> str:
    """1500000000 -> '1.5 billion', 92000000 -> '92 million', 750000 -> '750,000', 937.5 -> '938'."""
    for size, word in SCALES:
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:.{max(digits - 1 - int(math.log10(abs(scaled))), 0)}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{text} {word}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        text = f"{value:,.2f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value:.2g}"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("", "<NA>", "nan")


def money(amount, currency: str) -> str:
    """'EUR 1.5 billion'; 'amount not stated' where there is none."""
    if _missing(amount):
        return "amount not stated"
    return f"{currency} {_number(float(amount))}"


def money_range(low, high, currency: str) -> str:
    """'EUR 940 to 1,250', or one figure where low equals high."""
    if _missing(low) or _missing(high):
        return "amount not stated"
    low_text, high_text = _number(float(low)), _number(float(high))
    if low_text == high_text:
        return f"{currency} {low_text}"
    return f"{currency} {low_text} to {high_text}"


def count(n) -> str:
    """'1.2 million', '12,000'."""
    return "unknown" if _missing(n) else _number(float(n))


def count_range(low, high) -> str:
    """'1.2 to 1.6 million' reads best; '1.2 million to 1.6 million' is what we say, unambiguously."""
    if _missing(low) or _missing(high):
        return "unknown"
    low_text, high_text = _number(float(low)), _number(float(high))
    return low_text if low_text == high_text else f"{low_text} to {high_text}"


def date(value: str) -> str:
    """ISO (possibly partial) date as words: '2021-06-30' -> '30 June 2021', '2021-06' -> 'June 2021'."""
    import datetime as dt

    if _missing(value):
        return "date unknown"
    parts = str(value).split("-")
    if len(parts) == 1:
        return parts[0]
    month = dt.date(2000, int(parts[1]), 1).strftime("%B")
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


# Names that read with "the" in a sentence ("in the Netherlands").
WITH_THE = {
    "Netherlands",
    "United States",
    "United Kingdom",
    "European Union",
    "Philippines",
    "United Arab Emirates",
    "Czech Republic",
    "Dominican Republic",
    "District of Columbia",
}


def place(name: str) -> str:
    """'in the Netherlands', 'in Ireland'."""
    return f"in the {name}" if name in WITH_THE else f"in {name}"
