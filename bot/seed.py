"""Demo data: read and check a fixture file, then upsert it into the database."""

from __future__ import annotations

import dataclasses
import re
import types
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import models  # enumerations, as models.OrderStatus etc.
from bot.business_days import next_business_day
from bot.models import DeclaredUser, Holder, Line, Order, Porting
from bot.rio import InvalidRio, compact_rio, validate_rio

KINDS = ("holders", "lines", "users", "orders", "portings")
OUTCOMES = ("created", "updated", "unchanged", "deleted")


class SeedError(ValueError):
    """A fixture file cannot be read or holds an invalid value."""


def _shape(pattern: str, normalize: Any = None) -> dict[str, Any]:
    """Describe a text field that must match `pattern` once normalized."""
    return {"pattern": re.compile(pattern), "normalize": normalize}


# The fixture's records. Field names are the YAML keys, fields with a default are
# optional, and each field's type says how its value is checked (_Checker.convert).
@dataclass(frozen=True)
class UserData:
    """The user declared on a line."""

    first_name: str
    last_name: str
    password_set: bool


@dataclass(frozen=True)
class LineData:
    """A line of a customer."""

    msisdn: str = field(metadata=_shape(r"0\d{9}"))
    activated: bool
    user: UserData | None = None


@dataclass(frozen=True)
class PortingData:
    """The porting of an order; `scheduled` is an offset in days from today."""

    rio: str = field(metadata=_shape(r"[A-Z0-9+]{12}", compact_rio))
    scheduled: int
    slot: models.PortingSlot
    status: models.PortingStatus


@dataclass(frozen=True)
class OrderData:
    """An order of a customer; `subscribed` is an offset in days from today."""

    id: str = field(metadata=_shape(r"CMD-\d{4}-\d{6}"))
    msisdn: str = field(metadata=_shape(r"0\d{9}"))
    subscribed: int
    status: models.OrderStatus
    documents_missing: tuple[models.DocumentKind, ...] = ()
    porting: PortingData | None = None


@dataclass(frozen=True)
class CustomerData:
    """A holder with their lines and orders."""

    id: str = field(metadata=_shape(r"C\d+"))
    first_name: str
    last_name: str
    email: str = field(metadata=_shape(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", str.lower))
    password_set: bool
    lines: tuple[LineData, ...] = ()
    orders: tuple[OrderData, ...] = ()


@dataclass(frozen=True)
class FixtureData:
    """A whole fixture file, checked."""

    source: str
    customers: tuple[CustomerData, ...]


@dataclass
class SeedReport:
    """What `seed` did, counted per kind of record."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """Return a one-line summary."""
        totals = self.created + self.updated + self.unchanged
        kinds = ", ".join(f"{totals[kind]} {kind}" for kind in KINDS)
        counts = ", ".join(f"{n} {sum(getattr(self, n).values())}" for n in OUTCOMES)
        return f"{kinds}: {counts}"


@dataclass
class _Checker:
    """Turns raw YAML into records, raising SeedError naming the file and field path."""

    source: str

    def fail(self, path: str, problem: str) -> SeedError:
        return SeedError(f"{self.source}: {path}: {problem}")

    def record(self, cls: type, raw: Any, path: str) -> Any:
        if not isinstance(raw, dict):
            raise self.fail(path, f"expected a mapping, got {raw!r}")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for key in [key for key in raw if key not in fields]:
            raise self.fail(f"{path}.{key}", f"unknown field (known: {list(fields)})")
        hints, values = get_type_hints(cls), {}
        for name, spec in fields.items():
            if name in raw:
                value = raw[name]
                values[name] = self.convert(hints[name], value, f"{path}.{name}", spec)
            elif spec.default is dataclasses.MISSING:
                raise self.fail(f"{path}.{name}", "missing required field")
        return cls(**values)

    def convert(self, hint: Any, value: Any, path: str, spec: Any) -> Any:
        """Check `value` against the type `hint` of a field."""
        args = get_args(hint)
        if get_origin(hint) is types.UnionType:  # "X | None": null allowed
            inner = next(arg for arg in args if arg is not type(None))
            return None if value is None else self.convert(inner, value, path, spec)
        if get_origin(hint) is tuple:
            if not isinstance(value, list | type(None)):
                raise self.fail(path, f"expected a list, got {value!r}")
            items = enumerate(value or [])
            return tuple(
                self.convert(args[0], v, f"{path}[{i}]", spec) for i, v in items
            )
        if dataclasses.is_dataclass(hint):
            return self.record(hint, value, path)
        if isinstance(hint, type) and issubclass(hint, Enum):
            allowed = ", ".join(member.value for member in hint)
            if value not in allowed.split(", "):
                raise self.fail(
                    path, f"unknown value {value!r} (expected one of: {allowed})"
                )
            return hint(value)
        if hint in (bool, int) and type(value) is not hint:
            expected = "true or false" if hint is bool else "a whole number of days"
            raise self.fail(path, f"expected {expected}, got {value!r}")
        if hint is str and (not isinstance(value, str) or not value.strip()):
            raise self.fail(path, f"expected a non-empty text (quoted), got {value!r}")
        if hint is str:
            value = (spec.metadata.get("normalize") or str.strip)(value.strip())
            pattern = spec.metadata.get("pattern")
            if pattern is not None and not pattern.fullmatch(value):
                raise self.fail(path, f"{value!r} does not match {pattern.pattern}")
        return value

    def links(self, customers: tuple[CustomerData, ...]) -> None:
        """Check what spans records: unique keys, order lines, RIO keys."""
        seen: dict[tuple[str, str], str] = {}

        def unique(kind: str, value: str, path: str) -> None:
            first = seen.setdefault((kind, value), path)
            if first != path:
                raise self.fail(path, f"duplicate {kind} {value!r} (also at {first})")

        for i, customer in enumerate(customers):
            unique("customer id", customer.id, f"customers[{i}].id")
            unique("e-mail", customer.email, f"customers[{i}].email")
            for j, line in enumerate(customer.lines):
                unique("msisdn", line.msisdn, f"customers[{i}].lines[{j}].msisdn")
            msisdns = {line.msisdn for line in customer.lines}
            for j, order in enumerate(customer.orders):
                path = f"customers[{i}].orders[{j}]"
                unique("order id", order.id, f"{path}.id")
                if order.msisdn not in msisdns:
                    problem = f"{order.msisdn} is not a line of {customer.id}"
                    raise self.fail(f"{path}.msisdn", problem)
                if len(set(order.documents_missing)) != len(order.documents_missing):
                    raise self.fail(f"{path}.documents_missing", "listed twice")
                if order.porting is not None:
                    try:
                        validate_rio(order.porting.rio, order.msisdn)
                    except InvalidRio as exc:
                        raise self.fail(f"{path}.porting.rio", str(exc)) from exc


def load_fixture(path: str | Path) -> FixtureData:
    """Read and check a whole fixture file; raise SeedError on the first problem."""
    source = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(f"{source}: cannot read the file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise SeedError(f"{source}: invalid YAML ({exc})".replace("\n", " ")) from exc
    if not isinstance(raw, dict) or set(raw) != {"customers"}:
        raise SeedError(f"{source}: expected a mapping with one key, 'customers'")
    if not isinstance(raw["customers"], list):
        raise SeedError(f"{source}: customers: expected a list")
    check = _Checker(source)
    hint = tuple[CustomerData, ...]
    customers = check.convert(hint, raw["customers"], "customers", None)
    check.links(customers)
    return FixtureData(source=source, customers=customers)


def _sync(report: SeedReport, kind: str, record: Any, model: type, values: dict) -> Any:
    """Update `record` to `values` (or build a `model` if it is None), and count."""
    if record is None:
        report.created[kind] += 1
        return model(**values)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    (report.updated if changed else report.unchanged)[kind] += 1
    return record


def _upsert(
    session: Session, report: SeedReport, kind: str, model: type, key: str, values: dict
) -> Any:
    """Insert or update the `model` row whose primary key is `key`."""
    record = _sync(report, kind, session.get(model, key), model, values)
    session.add(record)
    return record


def _sync_child(
    report: SeedReport, kind: str, parent: Any, name: str, model: type, values: Any
) -> None:
    """Create, update or (when `values` is None) delete a one-to-one child."""
    current = getattr(parent, name)
    if values is None:
        if current is not None:
            setattr(parent, name, None)  # delete-orphan cascade removes the row
            report.deleted[kind] += 1
        return
    setattr(parent, name, _sync(report, kind, current, model, values))


def _check_emails(session: Session, data: FixtureData) -> None:
    emails = {customer.email: customer.id for customer in data.customers}
    statement = select(Holder.id, Holder.email).where(Holder.email.in_(emails))
    for holder_id, email in session.execute(statement):
        if emails[email] != holder_id:
            raise SeedError(f"{data.source}: {email} already belongs to {holder_id}")


def seed(session: Session, data: FixtureData, today: date) -> SeedReport:
    """Upsert checked fixture data by natural keys; dates are offsets from `today`."""
    report = SeedReport()
    _check_emails(session, data)
    for customer in data.customers:
        values = dataclasses.asdict(customer)
        del values["lines"], values["orders"]
        _upsert(session, report, "holders", Holder, customer.id, values)
        for item in customer.lines:
            values = {"msisdn": item.msisdn, "holder_id": customer.id}
            values["activated"] = item.activated
            line = _upsert(session, report, "lines", Line, item.msisdn, values)
            user = None if item.user is None else dataclasses.asdict(item.user)
            _sync_child(report, "users", line, "user", DeclaredUser, user)
        session.flush()
        for item in customer.orders:
            values = {
                "id": item.id,
                "holder_id": customer.id,
                "msisdn": item.msisdn,
                "subscribed_on": today + timedelta(days=item.subscribed),
                "status": item.status,
                "documents_missing": [kind.value for kind in item.documents_missing],
            }
            order = _upsert(session, report, "orders", Order, item.id, values)
            porting = None
            if item.porting is not None:
                porting = dataclasses.asdict(item.porting) | {"msisdn": item.msisdn}
                day = today + timedelta(days=porting.pop("scheduled"))
                porting["scheduled_on"] = next_business_day(day)
            _sync_child(report, "portings", order, "porting", Porting, porting)
        session.flush()
    return report
