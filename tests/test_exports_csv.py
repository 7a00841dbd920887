"""The CSV writer and pseudonyms: pure functions, no database."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse

from tracker.exports.csv_writer import cell, csv_chunks, neutralise, streaming_csv_response
from tracker.exports.pseudonym import Pseudonymiser, age_in_years, clinic_key, pseudonym


def _parse(chunks) -> list[list[str]]:
    text = b"".join(chunks).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Gymnastics", "Gymnastics"),
        ("a=b", "a=b"),
        ("", ""),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return", "plain", "inner", "empty"],
)
def test_it_neutralises_text_that_would_start_a_formula(text, expected):
    assert neutralise(text) == expected


def test_it_keeps_numbers_as_numbers_even_negative_but_neutralises_numeric_text():
    assert cell(-3) == -3
    assert cell(Decimal("-1.5")) == Decimal("-1.5")
    assert cell(2.25) == 2.25
    assert cell("-3") == "'-3"


def test_it_writes_dates_iso_8601_booleans_as_words_and_none_as_empty():
    aware = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    assert cell(dt.date(2026, 3, 1)) == "2026-03-01"
    assert cell(aware) == "2026-03-01T08:30:00+00:00"
    assert cell(True) == "true"
    assert cell(False) == "false"
    assert cell(None) == ""


def test_it_writes_subclasses_and_aware_times_as_their_base_types():
    class Code(str):
        pass

    class Count(int):
        pass

    aware = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))

    assert cell(Code("=1+1")) == "'=1+1"
    assert cell(Count(-3)) == -3
    assert cell(aware) == "2026-03-01T07:30:00+00:00"
    assert cell(dt.datetime(2026, 3, 1, 9, 30)) == "2026-03-01T09:30:00"  # noqa: DTZ001 - naive on purpose


def test_it_round_trips_non_ascii_quotes_and_newlines():
    rows = [["Zoë Ødegård", "زينب", "王芳", 'said "ow"\nthen sat', -4]]

    parsed = _parse(csv_chunks(["a", "b", "c", "d", "e"], rows))

    assert parsed == [
        ["a", "b", "c", "d", "e"],
        ["Zoë Ødegård", "زينب", "王芳", 'said "ow"\nthen sat', "-4"],
    ]


def test_it_adds_a_byte_order_mark_only_when_asked():
    plain = b"".join(csv_chunks(["x"], [[1]]))
    excel = b"".join(csv_chunks(["x"], [[1]], bom=True))

    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel[3:] == plain


def test_it_streams_lazily_in_chunks():
    consumed = []

    def rows():
        for n in range(20_000):
            consumed.append(n)
            yield [n, "row"]

    response = streaming_csv_response(filename="x.csv", header=["n", "text"], rows=rows())
    first = next(iter(response.streaming_content))

    assert isinstance(response, StreamingHttpResponse)
    assert first.startswith(b"n,text\r\n0,row\r\n")
    assert len(consumed) < 20_000  # the first chunk went out before the last row was read
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_it_gives_a_stable_pseudonym_that_differs_per_clinic_and_secret():
    key = clinic_key(1, b"secret-a")

    assert pseudonym(42, key) == pseudonym(42, clinic_key(1, b"secret-a"))
    assert pseudonym(42, key) != pseudonym(43, key)
    assert pseudonym(42, key) != pseudonym(42, clinic_key(2, b"secret-a"))
    assert pseudonym(42, key) != pseudonym(42, clinic_key(1, b"secret-b"))


def test_it_uses_the_configured_research_key(settings):
    settings.RESEARCH_PSEUDONYM_KEY = "key-one"
    first = Pseudonymiser()(patient_id=7, clinic_id=1)
    settings.RESEARCH_PSEUDONYM_KEY = "key-two"
    second = Pseudonymiser()(patient_id=7, clinic_id=1)

    assert first.startswith("P-")
    assert first != second


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2010, 5, 1), dt.date(2026, 4, 30), 15),
        (dt.date(2010, 5, 1), dt.date(2026, 5, 1), 16),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
    ],
    ids=["day-before-birthday", "birthday", "leap-day-before", "leap-day-after"],
)
def test_it_counts_age_in_whole_years(born, on, age):
    assert age_in_years(born, on) == age
