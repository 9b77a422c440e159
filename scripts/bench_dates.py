"""Score French date resolvers on sets of customer messages: ours, dateparser, Duckling.

Usage: python scripts/bench_dates.py [--set PATH ...]  (default: the held-out set)
A set is YAML: `cases: [{text, today: YYYY-MM-DD, expected: YYYY-MM-DD or null}]`.
A case is right when the resolver gives exactly the expected date, or finds nothing
when nothing is expected. dateparser and Duckling conflict with Rasa's pins: in the
project venv they print "not installed"; scripts/bench_dates.sh runs this script in
a separate venv (.venv-bench) where both are installed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bot` is beside `scripts`
from bot.dates import requested_date  # noqa: E402

DEFAULT_SET = str(ROOT / "tests" / "dates" / "heldout.yml")
PARIS = "Europe/Paris"
Resolver = Callable[[str, date], date | None]
Case = tuple[str, date, date | None]  # text, today, expected
Miss = tuple[str, date, date | None, object]  # ... and what the resolver gave


def ours(text: str, today: date) -> date | None:
    """Our resolver: the date the customer asks for."""
    found = requested_date(text, today)
    return found.value if found else None


def load_dateparser() -> Resolver | None:
    """Return dateparser's search as a resolver (its last date), or None."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None

    def resolve(text: str, today: date) -> date | None:
        settings = {
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime.combine(today, time()),
        }
        found = search_dates(text, languages=["fr"], settings=settings)
        return found[-1][1].date() if found else None

    return resolve


def load_duckling() -> Resolver | None:
    """Return Duckling as a resolver (its last time value of grain "day"), or None."""
    try:
        import duckling
    except ImportError:
        return None
    zones = duckling.load_time_zones("/usr/share/zoneinfo")
    locale = duckling.default_locale_lang(duckling.parse_lang("FR"))
    dimensions = duckling.parse_dimensions(["time"])

    def resolve(text: str, today: date) -> date | None:
        noon = datetime.combine(today, time(12), tzinfo=ZoneInfo(PARIS))
        reference = duckling.parse_ref_time(zones, PARIS, int(noon.timestamp()))
        context = duckling.Context(reference, locale)
        days = [
            item["value"]["value"]
            for item in duckling.parse(text, context, dimensions, False)
            if item["dim"] == "time"
            and item["value"].get("grain") == "day"
            and "value" in item["value"]
        ]
        return date.fromisoformat(days[-1][:10]) if days else None

    return resolve


def load_cases(path: Path) -> list[Case]:
    """Read a set: (text, today, expected date or None) for each case."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return [
        (case["text"], _as_date(case["today"]), _as_date(case["expected"]))
        for case in cases
    ]


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def score(resolver: Resolver, cases: list[Case]) -> list[Miss]:
    """Return the misses of `resolver` on `cases`: (text, today, expected, got)."""
    misses: list[Miss] = []
    for text, today, expected in cases:
        try:
            got: object = resolver(text, today)
        except Exception as error:  # a library crashing on a message is a miss
            got = f"error: {type(error).__name__}"
        if got != expected:
            misses.append((text, today, expected, got))
    return misses


def main(argv: list[str] | None = None) -> int:
    """Print each resolver's share of right answers per set, and our misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="sets", metavar="PATH")
    args = parser.parse_args(argv)
    resolvers: list[tuple[str, Resolver | None]] = [
        ("ours", ours),
        ("dateparser", load_dateparser()),
        ("duckling", load_duckling()),
    ]
    paths = [Path(name) for name in args.sets or [DEFAULT_SET]]
    missing = [path for path in paths if not path.exists()]
    if missing:
        print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    for path in paths:
        cases = load_cases(path)
        dated = sum(1 for _, _, expected in cases if expected is not None)
        print(
            f"\n{path}: {len(cases)} cases ({dated} with a date, "
            f"{len(cases) - dated} without)"
        )
        our_misses: list[Miss] = []
        for name, resolver in resolvers:
            if resolver is None:
                print(f"  {name:<11} not installed")
                continue
            misses = score(resolver, cases)
            right = len(cases) - len(misses)
            print(f"  {name:<11} {right}/{len(cases)} = {right / len(cases):.1%}")
            if name == "ours":
                our_misses = misses
        for text, today, expected, got in our_misses:
            print(f"  miss [{today}] {text!r}: expected {expected}, got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
