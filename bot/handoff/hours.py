"""When advisors answer: `SUPPORT_HOURS`, French public holidays off, half-day slots.

`mon-sat 09:00-19:00` (the default) or several groups separated by `;`
(`mon-fri 09:00-19:00; sat 09:00-17:00`); days are `mon`…`sun`, alone, in ranges or
in comma lists. `always` keeps advisors available (demos and tests): no holiday, no
closing. Times are local to the assistant's time zone (Europe/Paris by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.business_days import holiday_name
from bot.config import ConfigError
from bot.dates import format_french_date

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GROUP_RE = re.compile(
    r"(?P<days>[a-z]{3}(?:\s*[-,]\s*[a-z]{3})*)\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
)
NOON_SPLIT = time(13, 0)  # mornings end and afternoons begin at 13:00
LOOKAHEAD_DAYS = 21  # a holiday season never closes advisors longer than this


@dataclass(frozen=True)
class Slot:
    """A half-day in which an advisor can call back, in local time."""

    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """A stable id for buttons: the local start, "2026-12-07T09:00"."""
        return self.start.strftime("%Y-%m-%dT%H:%M")

    @property
    def is_morning(self) -> bool:
        """Tell whether the slot ends by 13:00."""
        return self.end.time() <= NOON_SPLIT


@dataclass(frozen=True)
class SupportHours:
    """Opening hours per weekday (Monday = 0), or always open."""

    weekly: dict[int, tuple[time, time]]
    always: bool = False
    timezone: str = "Europe/Paris"

    @classmethod
    def parse(cls, text: str, timezone: str = "Europe/Paris") -> SupportHours:
        """Read a SUPPORT_HOURS value; raise ConfigError naming what is wrong."""
        spec = " ".join((text or "").lower().split())
        if spec == "always":
            return cls({}, always=True, timezone=timezone)
        weekly: dict[int, tuple[time, time]] = {}
        for group in filter(None, (part.strip() for part in spec.split(";"))):
            match = GROUP_RE.fullmatch(group)
            if not match:
                raise ConfigError(
                    f"SUPPORT_HOURS: {group!r} is not like 'mon-sat 09:00-19:00' "
                    "(or 'always')"
                )
            start, end = _time(match["start"]), _time(match["end"])
            if start >= end:
                raise ConfigError(f"SUPPORT_HOURS: {group!r} closes before it opens")
            for day in _days(match["days"]):
                if day in weekly:
                    raise ConfigError(f"SUPPORT_HOURS: {DAYS[day]} is given twice")
                weekly[day] = (start, end)
        if not weekly:
            raise ConfigError("SUPPORT_HOURS is empty: give hours or 'always'")
        return cls(weekly, timezone=timezone)

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.timezone))

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """The opening interval of `day` in local time, or None when closed."""
        hours = self.weekly.get(day.weekday())
        if hours is None or holiday_name(day) is not None:
            return None
        zone = ZoneInfo(self.timezone)
        return (
            datetime.combine(day, hours[0], tzinfo=zone),
            datetime.combine(day, hours[1], tzinfo=zone),
        )

    def is_open(self, moment: datetime) -> bool:
        """Tell whether advisors are there at `moment`."""
        if self.always:
            return True
        local = self._local(moment)
        window = self._window(local.date())
        return window is not None and window[0] <= local < window[1]

    def next_opening(self, moment: datetime) -> datetime | None:
        """The next time advisors arrive after `moment` (None when always open)."""
        if self.always:
            return None
        local = self._local(moment)
        for offset in range(LOOKAHEAD_DAYS):
            window = self._window(local.date() + timedelta(days=offset))
            if window and window[0] > local:
                return window[0]
        return None

    def callback_slots(
        self, moment: datetime, count: int = 4, margin: timedelta = timedelta(hours=1)
    ) -> list[Slot]:
        """The next `count` half-days, each ending at least `margin` after `moment`."""
        local = self._local(moment)
        slots: list[Slot] = []
        for offset in range(LOOKAHEAD_DAYS):
            day = local.date() + timedelta(days=offset)
            window = self._always_window(day) if self.always else self._window(day)
            if window is None:
                continue
            for slot in _halves(*window):
                if slot.end - margin >= local and len(slots) < count:
                    slots.append(slot)
        return slots

    def _always_window(self, day: date) -> tuple[datetime, datetime]:
        zone = ZoneInfo(self.timezone)
        return (
            datetime.combine(day, time(9, 0), tzinfo=zone),
            datetime.combine(day, time(19, 0), tzinfo=zone),
        )

    def describe(self) -> str:
        """The hours in French: "du lundi au samedi, de 9 h à 19 h"."""
        if self.always:
            return "tous les jours, à toute heure"
        groups: dict[tuple[time, time], list[int]] = {}
        for day in sorted(self.weekly):
            groups.setdefault(self.weekly[day], []).append(day)
        parts = [
            f"{_french_days(days)}, de {_french_time(start)} à {_french_time(end)}"
            for (start, end), days in groups.items()
        ]
        return " ; ".join(parts) + " (hors jours fériés)"


def _time(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ConfigError(f"SUPPORT_HOURS: {text!r} is not a time of day")
    return time(23, 59, 59) if hours == 24 else time(hours, minutes)


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        first, _, last = (piece.strip() for piece in part.partition("-"))
        for name in filter(None, (first, last)):
            if name not in DAYS:
                raise ConfigError(f"SUPPORT_HOURS: {name!r} is not a day (mon…sun)")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise ConfigError(f"SUPPORT_HOURS: {part!r} runs backwards")
        days.extend(range(start, end + 1))
    return days


def _halves(start: datetime, end: datetime) -> list[Slot]:
    noon = start.replace(hour=NOON_SPLIT.hour, minute=NOON_SPLIT.minute)
    if start < noon < end:
        return [Slot(start, noon), Slot(noon, end)]
    return [Slot(start, end)]


FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _french_days(days: list[int]) -> str:
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"du {FRENCH_DAYS[days[0]]} au {FRENCH_DAYS[days[-1]]}"
    names = [FRENCH_DAYS[day] for day in days]
    return "le " + " et le ".join(names) if len(names) <= 2 else ", ".join(names)


def _french_time(moment: time) -> str:
    if moment == time(23, 59, 59):
        return "minuit"
    return f"{moment.hour} h" if not moment.minute else f"{moment.hour} h {moment:%M}"


def french_moment(moment: datetime, now: datetime | None = None) -> str:
    """ "aujourd'hui à 9 h", "demain à 9 h" or "lundi 7 décembre à 9 h"."""
    today = (now or datetime.now(moment.tzinfo)).astimezone(moment.tzinfo).date()
    day = moment.date()
    when = {today: "aujourd'hui", today + timedelta(days=1): "demain"}.get(day)
    if when is None:
        when = format_french_date(day).rsplit(" ", 1)[0]  # without the year
    return f"{when} à {_french_time(moment.time())}"


def french_slot(slot: Slot, now: datetime | None = None) -> str:
    """ "lundi 7 décembre, entre 9 h et 13 h" (or today / tomorrow)."""
    day = french_moment(slot.start, now).rsplit(" à ", 1)[0]
    start, end = _french_time(slot.start.time()), _french_time(slot.end.time())
    return f"{day}, entre {start} et {end}"
