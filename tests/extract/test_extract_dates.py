"""Dates in text, epochs and URLs (cms.md §5): exact days, never guesses."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.dates import date_from_url, parse_date, parse_epoch

TODAY = date(2026, 9, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-10-20", date(2017, 10, 20)),
        ("2026-01-22 11:40:11", date(2026, 1, 22)),
        ("2026-09-21 17:00", date(2026, 9, 21)),
        ("[ 2026-09-03 ]", date(2026, 9, 3)),
        ("<span>[2026-09-03]</span>", date(2026, 9, 3)),
        ("2026年08月30日", date(2026, 8, 30)),
        ("2026年8月3日", date(2026, 8, 3)),
        ("2026 年 8 月 3 日", date(2026, 8, 3)),
        ("2021/4/2", date(2021, 4, 2)),
        ("2026/10/13", date(2026, 10, 13)),
        ("2026.09.03", date(2026, 9, 3)),
        ("２０２６－０９－０３", date(2026, 9, 3)),
        ("发布日期：2017-05-15 10:49:00", date(2017, 5, 15)),
        ("发布时间：2026-01-22 11:40:11 来源：市统计局", date(2026, 1, 22)),
        # month/day only, resolved against today (2026-09-10)
        ("09-03", date(2026, 9, 3)),
        ("9/3", date(2026, 9, 3)),
        ("09月03日", date(2026, 9, 3)),
        ("9月3日", date(2026, 9, 3)),
        ("09-11", date(2026, 9, 11)),  # tomorrow: within one day of slack, still this year
        ("09-12", date(2025, 9, 12)),  # two days ahead would be the future: last year
        ("12-25", date(2025, 12, 25)),
        # the first valid date wins; invalid ones are skipped
        ("2026-13-01 then 2025-01-02", date(2025, 1, 2)),
        ("成文日期 2020-02-30 发布日期 2020-03-01", date(2020, 3, 1)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_parse_date_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "国发〔2018〕43号",
        "〔2021〕12号",
        "[2021]12号",
        "t20171020_398361",
        "./201710/t20171020_398361.html",
        "000014349/2018-00222",
        "014742224A/2023-0043406",
        "2023-02-30",
        "2025-02-29",
        "2026-13-01",
        "1989-12-31",  # before government web publishing
        "2028-01-01",  # beyond today.year + 1
        "2023-05",  # month precision is not a day
        "202305",
        "1-2月份",  # a range of months, not January 2nd
        "第3-4条",
        "02-30",
        "访问量：199",
        "11:40:11",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text, TODAY) is None


def test_parse_date_next_year_allowed() -> None:
    assert parse_date("2027-01-02", TODAY) == date(2027, 1, 2)


def test_month_day_in_january_reads_december_as_last_year() -> None:
    assert parse_date("12-31", date(2027, 1, 5)) == date(2026, 12, 31)
    assert parse_date("01-05", date(2027, 1, 5)) == date(2027, 1, 5)


def test_leap_day_month_day_resolves_to_a_leap_year_only() -> None:
    assert parse_date("02-29", date(2024, 3, 1)) == date(2024, 2, 29)
    assert parse_date("02-29", date(2025, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1783353600, date(2026, 7, 7)),  # midnight CST, still 07-06 in UTC
        (1783353600000, date(2026, 7, 7)),  # milliseconds
        ("1783353600", date(2026, 7, 7)),
        (1783353600.5, date(2026, 7, 7)),
        (1783353599, date(2026, 7, 6)),  # one second before CST midnight
        (1508428800, date(2017, 10, 20)),
    ],
)
def test_parse_epoch(value: object, expected: date) -> None:
    assert parse_epoch(value) == expected


@pytest.mark.parametrize("value", [None, True, "", "abc", -1, 0, 123, float("nan"), [1]])
def test_parse_epoch_rejects(value: object) -> None:
    assert parse_epoch(value) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.x.gov.cn/col/201710/t20171020_398361.html", date(2017, 10, 20)),
        ("http://www.x.gov.cn/a/201711/t20171117_5577604_1.html", date(2017, 11, 17)),
        ("https://x.gov.cn/gszbm/auto23716/202008/t20200805_1353179.shtml", date(2020, 8, 5)),
        ("/zwgk_25/fdzdgknr/x/202506/t20250603_2590185.htm", date(2025, 6, 3)),
        ("http://x.gov.cn/art/2026/9/24/art_6372_11834669.html", date(2026, 9, 24)),
        ("http://x.gov.cn/art/2017/4/24/art_31685_2451995.html", date(2017, 4, 24)),
        (
            "https://www.sh.gov.cn/nw12344/20230820/0a1b2c3d4e5f60718293a4b5c6d7e8f9.html",
            date(2023, 8, 20),
        ),
        ("./201912/t20191231_1720657.html?iszzb=1", date(2019, 12, 31)),
    ],
)
def test_date_from_url(url: str, expected: date) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        # month-only Ucap directory: a day would be a guess
        "http://www.wanzai.gov.cn/wzxrmzf/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml",
        "http://x.gov.cn/rsgl/zkxx/t27298550.shtml",  # Guangxi, no date in URL
        "http://x.gov.cn/col/col42150/index.html",
        "http://x.gov.cn/a/201713/t20171320_1.html",  # month 13
        "http://x.gov.cn/art/2023/2/30/art_1_2.html",  # Feb 30
        "http://x.gov.cn/art/1985/2/3/art_1_2.html",  # year out of range
        "http://x.gov.cn/gkmlpt/content/2/2345/post_2345678.html",
        "http://x.gov.cn/art/2024/art_0a1b2c3d4e5f60718293a4b5c6d7e8f9.html",
        "http://x.gov.cn/index.html?date=20230820",  # query is not the path
        "",
    ],
)
def test_date_from_url_none(url: str) -> None:
    assert date_from_url(url) is None


def test_date_from_url_respects_today_bound() -> None:
    url = "http://x.gov.cn/art/2030/1/1/art_1_2.html"
    assert date_from_url(url) == date(2030, 1, 1)
    assert date_from_url(url, today=TODAY) is None
