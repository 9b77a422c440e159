"""Property tests of the French date reader (`bot.dates`): `requested_date`,
`find_dates`, `requested_period` and `pick_offered`, against any "today".

The contract tested is the one the module states and its example tests pin down:
- any text, however hostile, reads without an exception, and every date found
  points at what the customer wrote, in reading order;
- a date named without its year ("le 15 décembre", "le 18", "15/12", "mardi",
  "demain", "dans 10 jours", "Noël", "le premier lundi de janvier", "le samedi
  après Noël") is the next one on or after today: never in the past;
- a date written with its year is that date, even in the past ("le 15 décembre
  2025" is read as written: refusing it is the caller's business);
- past days named to situate the message ("hier", "mardi dernier") are never
  the one asked for;
- a period runs forward (start <= end), its `date_period` value reads back as
  itself, and a named period is not over, but a part of a month ("début
  novembre" late in November is this November's, by the month-not-over rule);
- a word thousands of letters long is read at once.
"""

from __future__ import annotations

import calendar
import time
from datetime import date, timedelta

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bot.dates import find_dates, format_french_date, requested_date
from bot.dates.lexicon import MONTHS, WEEKDAYS
from bot.dates.offered import pick_offered
from bot.dates.periods import Period, requested_period

PROPERTIES = settings(
    derandomize=True,  # the same examples on every run: CI is not a lottery
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
)

# Any reference day of this century (years up to 2100 are read as years), with
# the days where calendars turn over drawn more often: the year end around
# Christmas, month ends, 28-29 February.
_YEARS = st.integers(2000, 2090)
todays = st.one_of(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.builds(
        lambda year, offset: date(year, 12, 18) + timedelta(days=offset),
        _YEARS,
        st.integers(0, 15),
    ),
    st.builds(
        lambda year, month, back: date(year, month, 1) - timedelta(days=back),
        _YEARS,
        st.integers(1, 12),
        st.integers(0, 3),
    ),
)

_TRICKY = [
    "\u200f",
    "\u202e",
    "\u200b",
    "\u00a0",
    "\x00",
    "\x1b",
    "\r\n",
    "😀",
    "👍🏽",
    "٠١٢٣",
    "１５／１２",
    "𝐃𝐄𝐂𝐄𝐌𝐁𝐑𝐄",
    "<script>alert('le 15')</script>",
    "'; DROP TABLE portings; --",
    '/change_porting_date{"date":"2026-13-45"}',
]
# Words and numbers the date patterns react to, to be glued into odd messages.
_DATE_WORDS = [
    "le",
    "du",
    "au",
    "de",
    "ce",
    "la",
    "l'",
    "et",
    "ou",
    "pas",
    "non",
    "lieu",
    "plutôt",
    "que",
    "mais",
    "prochain",
    "dernier",
    "suivant",
    "en",
    "huit",
    "quinze",
    "premier",
    "1er",
    "2e",
    "dernière",
    "semaine",
    "mois",
    "jours",
    "dans",
    "ds",
    "demain",
    "après-demain",
    "aujourd'hui",
    "hier",
    "avant-hier",
    "lendemain",
    "veille",
    "décaler",
    "avancer",
    "d'une",
    "semaine",
    "plus tôt",
    "Noël",
    "réveillon",
    "Saint-Sylvestre",
    "jour de l'an",
    "nouvel an",
    "fin",
    "début",
    "mi",
    "avant",
    "après",
    "entre",
    "fêtes",
    "dès que possible",
    "le plus tard possible",
    "vingt",
    "trente",
    "et un",
    "deux",
    "h",
    "€",
    *WEEKDAYS,
    *MONTHS,
    "déc.",
    "fevr",
    "samdi",
    "/",
    ".",
    "-",
    ",",
    "?",
    "06 12 34 56 78",
    "482 913",
    "CMD-2026-004512",
]
hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(max_size=2500),
    st.lists(
        st.one_of(
            st.sampled_from(_DATE_WORDS),
            st.sampled_from(_TRICKY),
            st.integers(0, 2200).map(str),
            st.text(max_size=6),
        ),
        max_size=25,
    ).flatmap(
        lambda words: st.lists(
            st.sampled_from([" ", "", " ", "-", "/", ", "]),
            min_size=len(words),
            max_size=len(words),
        ).map(
            lambda seps: "".join(
                s + w for s, w in zip(seps, words, strict=False)
            ).strip()
        )
    ),
)


def _day_of(month: int) -> st.SearchStrategy[int]:
    # 29 February exists once in four years: the reader then looks years ahead.
    return st.integers(1, 29 if month == 2 else calendar.monthrange(2001, month)[1])


days_and_months = st.integers(1, 12).flatmap(
    lambda month: st.tuples(_day_of(month), st.just(month))
)


def _spelled_day(day: int) -> str:
    return "1er" if day == 1 else str(day)


# -------------------------------------------------------------- any text at all


@PROPERTIES
@given(hostile_text, todays)
def test_any_text_is_read_without_error_and_dates_point_at_what_was_written(
    text: str, today: date
) -> None:
    found = find_dates(text, today)
    previous_end = 0
    for item in found:
        assert previous_end <= item.start < item.end <= len(text)
        assert text[item.start : item.end] == item.text
        assert item.text == item.text.strip()
        format_french_date(item.value)
        previous_end = item.end
    asked = requested_date(text, today)
    if asked is not None:
        assert text[asked.start : asked.end] == asked.text
        assert asked.start < asked.end


@PROPERTIES
@given(hostile_text, todays)
def test_any_text_gives_no_period_or_one_that_runs_forward_and_reads_back(
    text: str, today: date
) -> None:
    period = requested_period(text, today)
    if period is None:
        return
    assert period.start <= period.end, (text, today, period)
    assert Period.from_iso(period.iso()) == period
    assert Period.from_iso(period.iso()).iso() == period.iso()


_FORWARD_PERIODS = [
    "le plus tôt possible",
    "dès que possible",
    "le plus tard possible",
    "la semaine prochaine",
    "cette semaine",
    "le mois prochain",
    "fin du mois prochain",
    "début du mois prochain",
    "après les fêtes",
    "après le nouvel an",
    "après Noël",
    "avant Noël",
    "avant les fêtes",
    "entre Noël et le nouvel an",
    *(f"en {month}" for month in MONTHS),
    *(f"fin {month}" for month in MONTHS),
]
# A part of a month is that of the month not yet over ("début novembre" late in
# November is this November's): it may lie before today, but still runs forward.
_PARTS_OF_MONTHS = [
    *(f"{part} {month}" for part in ("début", "mi", "milieu de") for month in MONTHS),
    "début du mois",
    "milieu du mois",
]


@PROPERTIES
@given(todays)
@example(date(2026, 12, 25))  # "avant Noël" on Christmas Day ran backwards
def test_a_named_period_runs_forward_and_is_not_over_unless_a_part_of_a_month(
    today: date,
) -> None:
    for text in _FORWARD_PERIODS + _PARTS_OF_MONTHS:
        period = requested_period(text, today)
        assert period is not None, text
        assert period.start <= period.end, (text, today, period)
        assert Period.from_iso(period.iso()) == period
        if text in _FORWARD_PERIODS:
            assert period.end >= today, (text, today, period)


@PROPERTIES
@given(
    hostile_text,
    todays,
    st.lists(st.dates(date(2000, 1, 1), date(2100, 12, 31)), max_size=6),
)
def test_any_text_picks_one_of_the_offered_dates_or_none(
    text: str, today: date, offered: list[date]
) -> None:
    picked = pick_offered(text, today, offered)
    assert picked is None or picked in offered


# ------------------------------------------- dates without a year are ahead


@PROPERTIES
@given(
    days_and_months,
    todays,
    st.sampled_from(
        ["le {d} {m}", "{d} {m}", "le {d} {m} prochain", "pour le {d} {m}"]
    ),
)
def test_a_day_and_month_without_year_is_the_next_one_on_or_after_today(
    day_month: tuple[int, int], today: date, pattern: str
) -> None:
    day, month = day_month
    text = pattern.format(d=_spelled_day(day), m=MONTHS[month - 1])
    found = requested_date(text, today)
    assert found is not None, text
    value = found.value
    assert (value.day, value.month) == (day, month)
    assert value >= today, (text, today, value)
    # ... and the first one: none between today and it.
    earlier = [
        date(year, month, day)
        for year in range(today.year, value.year)
        if calendar.isleap(year) or (month, day) != (2, 29)
    ]
    assert all(candidate < today for candidate in earlier), (text, today, value)


@PROPERTIES
@given(days_and_months, todays, st.sampled_from(["/", ".", "-"]))
def test_a_numeric_day_and_month_is_the_next_one_on_or_after_today(
    day_month: tuple[int, int], today: date, separator: str
) -> None:
    day, month = day_month
    text = f"le {day:02d}{separator}{month:02d}"
    found = requested_date(text, today)
    assert found is not None, text
    assert (found.value.day, found.value.month) == (day, month)
    assert found.value >= today, (text, today, found.value)


@PROPERTIES
@given(st.integers(1, 31), todays)
def test_a_day_alone_is_the_next_such_day_on_or_after_today(
    day: int, today: date
) -> None:
    found = requested_date(f"le {_spelled_day(day)} svp", today)
    assert found is not None
    assert found.value.day == day
    assert today <= found.value <= today + timedelta(days=62), (day, today)


@PROPERTIES
@given(st.integers(1, 31), todays)
def test_a_day_of_next_month_is_in_next_month_or_nothing(day: int, today: date) -> None:
    found = requested_date(f"le {day} du mois prochain", today)
    month_after = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    if day > calendar.monthrange(month_after.year, month_after.month)[1]:
        assert found is None
        return
    assert found is not None
    assert found.value == month_after.replace(day=day)
    assert found.value > today


@PROPERTIES
@given(
    st.integers(0, 6),
    todays,
    st.sampled_from(["{w}", "{w} prochain", "ce {w}", "{w} svp", "plutôt {w}"]),
)
def test_a_weekday_is_the_next_one_within_a_week(
    weekday: int, today: date, pattern: str
) -> None:
    text = pattern.format(w=WEEKDAYS[weekday])
    found = requested_date(text, today)
    assert found is not None, text
    assert found.value.weekday() == weekday
    assert today < found.value <= today + timedelta(days=7), (text, today)


@PROPERTIES
@given(st.integers(0, 6), todays, st.sampled_from(["en huit", "en quinze"]))
def test_a_weekday_en_huit_or_en_quinze_is_one_or_two_weeks_after_the_next(
    weekday: int, today: date, later: str
) -> None:
    found = requested_date(f"{WEEKDAYS[weekday]} {later}", today)
    assert found is not None
    weeks = 1 if later == "en huit" else 2
    assert found.value.weekday() == weekday
    assert found.value - timedelta(weeks=weeks) > today


@PROPERTIES
@given(todays, st.integers(0, 999), st.sampled_from(["jours", "semaines"]))
def test_relative_days_count_forward_from_today(
    today: date, count: int, unit: str
) -> None:
    found = requested_date(f"dans {count} {unit}", today)
    assert found is not None
    step = timedelta(days=count) if unit == "jours" else timedelta(weeks=count)
    assert found.value == today + step
    assert requested_date("demain", today).value == today + timedelta(days=1)
    assert requested_date("après-demain", today).value == today + timedelta(days=2)


@PROPERTIES
@given(todays, st.integers(0, 120))
def test_in_some_months_is_that_many_months_ahead(today: date, months: int) -> None:
    found = requested_date(f"dans {months} mois", today)
    assert found is not None
    value = found.value
    assert value >= today
    assert (value.year - today.year) * 12 + value.month - today.month == months
    assert value.day == min(today.day, calendar.monthrange(value.year, value.month)[1])


_FESTIVE = {
    "Noël": (12, 25),
    "la veille de Noël": (12, 24),
    "le lendemain de Noël": (12, 26),
    "le réveillon": (12, 24),
    "le réveillon du nouvel an": (12, 31),
    "la Saint-Sylvestre": (12, 31),
    "le jour de l'an": (1, 1),
    "le nouvel an": (1, 1),
}


@PROPERTIES
@given(st.sampled_from(sorted(_FESTIVE)), todays)
def test_a_festive_day_is_the_next_one_on_or_after_today(
    text: str, today: date
) -> None:
    found = requested_date(text, today)
    assert found is not None
    assert (found.value.month, found.value.day) == _FESTIVE[text]
    assert today <= found.value < today + timedelta(days=366), (text, today)


@PROPERTIES
@given(
    st.integers(0, 6),
    st.sampled_from(["après", "d'après", "avant"]),
    todays,
)
@example(0, "avant", date(2026, 12, 24))  # was Monday 21 December, three days ago
def test_a_weekday_around_christmas_is_ahead_and_on_its_side_of_a_christmas(
    weekday: int, side: str, today: date
) -> None:
    text = f"le {WEEKDAYS[weekday]} {side} Noël"
    found = requested_date(text, today)
    assert found is not None, text
    value = found.value
    assert value.weekday() == weekday
    assert value >= today, (text, today, value)
    christmas = date(value.year if value.month == 12 else value.year - 1, 12, 25)
    if side == "avant":
        christmas = date(value.year, 12, 25)
        assert christmas - timedelta(days=7) <= value < christmas
    else:
        assert christmas < value <= christmas + timedelta(days=7)


@PROPERTIES
@given(
    st.sampled_from(["premier", "2e", "troisième", "4e", "dernier"]),
    st.integers(0, 6),
    st.integers(1, 12),
    todays,
)
def test_an_nth_weekday_of_a_month_is_ahead_in_that_month(
    rank: str, weekday: int, month: int, today: date
) -> None:
    text = f"le {rank} {WEEKDAYS[weekday]} de {MONTHS[month - 1]}"
    found = requested_date(text, today)
    assert found is not None, text
    assert found.value >= today, (text, today)
    assert (found.value.month, found.value.weekday()) == (month, weekday)


# ------------------------------------- what the year or the past words say


@PROPERTIES
@given(
    days_and_months,
    st.integers(1990, 2099),
    todays,
    st.sampled_from(["le {d} {m} {y}", "{dd}/{mm}/{y}", "{y}-{mm}-{dd}"]),
)
def test_a_date_with_its_year_is_that_date_even_in_the_past(
    day_month: tuple[int, int], year: int, today: date, pattern: str
) -> None:
    day, month = day_month
    assume(calendar.isleap(year) or (month, day) != (2, 29))
    text = pattern.format(
        d=_spelled_day(day), m=MONTHS[month - 1], y=year, dd=f"{day:02d}",
        mm=f"{month:02d}",
    )  # fmt: skip
    found = requested_date(text, today)
    assert found is not None, text
    assert found.value == date(year, month, day)


@PROPERTIES
@given(
    todays,
    st.sampled_from(["hier", "avant-hier", "{w} dernier", "aujourd'hui"]),
    st.integers(0, 6),
    st.sampled_from(["j'ai appelé {p}", "depuis {p} rien", "{p}, j'ai reçu le SMS"]),
)
def test_past_days_situating_the_message_are_never_the_one_asked_for(
    today: date, past: str, weekday: int, sentence: str
) -> None:
    text = sentence.format(p=past.format(w=WEEKDAYS[weekday]))
    found = requested_date(text, today)
    assert found is None or found.value >= today, (text, today, found)


@PROPERTIES
@given(
    todays,
    st.sampled_from(["hier", "avant-hier", "{w} dernier"]),
    st.integers(0, 6),
    days_and_months,
)
def test_beside_a_past_day_the_date_asked_for_is_the_one_ahead(
    today: date, past: str, weekday: int, day_month: tuple[int, int]
) -> None:
    day, month = day_month
    wanted = f"le {_spelled_day(day)} {MONTHS[month - 1]}"
    text = f"j'ai appelé {past.format(w=WEEKDAYS[weekday])}, je voudrais {wanted}"
    found = requested_date(text, today)
    assert found is not None, text
    assert found.text == wanted.removeprefix("le ")
    assert found.value >= today


# ------------------------------------------------------------- long words


def test_a_word_thousands_of_letters_long_is_read_at_once() -> None:
    # Typo tolerance compares each word with the month and weekday names: a
    # 40,000-letter word took seconds (a whole edit-distance table per name).
    text = "/" + "x" * 40_000
    began = time.perf_counter()
    assert requested_date(text, date(2026, 11, 26)) is None
    assert requested_period(text, date(2026, 11, 26)) is None
    assert time.perf_counter() - began < 1.0
