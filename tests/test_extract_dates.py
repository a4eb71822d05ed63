"""Date expressions resolved against the publication date."""

from __future__ import annotations

import pytest

from frontwatch.nlp.dates import find_dates

# 2025-01-06 is a Monday; 2023-05-11 a Thursday.


@pytest.mark.parametrize("text,published,date,precision", [
    ("Russia claimed an advance on Monday", "2025-01-06", "2025-01-06", "day"),
    ("Ukraine began a new offensive Sunday", "2025-01-06", "2025-01-05", "day"),
    ("Soldin was killed Tuesday", "2023-05-11", "2023-05-09", "day"),
    ("its forces broke across the border on Aug. 6", "2025-01-06", "2024-08-06", "day"),
    ("footage from May 9 and 10", "2023-05-11", "2023-05-09", "day"),
    ("on 1 January 2018, servicemen looted", "2018-01-03", "2018-01-01", "day"),
    ("On Jan. 18 2019, individuals shot", "2019-01-20", "2019-01-18", "day"),
    ("yesterday's failure", "2025-01-06", "2025-01-05", "day"),
    ("Earlier this week, he had threatened", "2023-05-11", "2023-05-11", "week"),
    ("for the past five months have resisted", "2025-01-06", "2024-08-06", "month"),
    ("the attack last week", "2024-03-10", "2024-03-03", "week"),
    ("in March the city fell", "2024-05-01", "2024-03-01", "month"),
    ("since 2014", "2024-05-01", "2014-01-01", "year"),
    ("three days ago", "2024-05-10", "2024-05-07", "day"),
])  # fmt: skip
def test_past_dates(text, published, date, precision):
    found = find_dates(text, published)
    assert found and (found[0].date, found[0].precision) == (date, precision)


def test_future_statement_resolves_forward():
    d = find_dates("before Trump is sworn in on Jan. 20", "2025-01-06", forward=True)[0]
    assert d.date == "2025-01-20"
    assert find_dates("next Monday", "2025-01-06")[0].future


def test_no_date_words():
    assert find_dates("Russian forces shelled the city", "2025-01-06") == []
    assert find_dates("Losses may be high", "2025-01-06") == []
