"""Formatters that turn data into the words of sentences."""

from helpers import fmt


def test_money():
    assert fmt.money(1_500_000_000, "EUR") == "EUR 1.5 billion"
    assert fmt.money(92_000_000, "USD") == "USD 92 million"
    assert fmt.money(750_000, "EUR") == "EUR 750,000"
    assert fmt.money(100_000_000, "BRL") == "BRL 100 million"  # zeros of a whole number are kept
    assert fmt.money(10_000_000_000, "USD") == "USD 10 billion"
    assert fmt.money(20, "EUR") == "EUR 20"
    assert fmt.money(float("nan"), "EUR") == "amount not stated"


def test_money_range():
    assert fmt.money_range(937.5, 1250, "EUR") == "EUR 938 to 1,250"
    assert fmt.money_range(5.7e6, 5.7e6, "USD") == "USD 5.7 million"


def test_counts_and_dates():
    assert fmt.count_range(1_200_000, 1_600_000) == "1.2 million to 1.6 million"
    assert fmt.count(12_000) == "12,000"
    assert fmt.date("2021-06-30") == "30 June 2021"
    assert fmt.date("2021-06") == "June 2021"
    assert fmt.date("2021") == "2021"
