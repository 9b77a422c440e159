"""Fixture files are checked entirely before anything is written."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.cli import main
from bot.config import DEFAULT_FIXTURE
from bot.db import session_scope
from bot.models import Holder
from bot.seed import SeedError, load_fixture

DEMO: dict[str, Any] = yaml.safe_load(DEFAULT_FIXTURE.read_text(encoding="utf-8"))


def customer(index: int) -> Callable[[dict], dict]:
    return lambda data: data["customers"][index]


def order(index: int) -> Callable[[dict], dict]:
    return lambda data: data["customers"][index]["orders"][0]


def line(index: int) -> Callable[[dict], dict]:
    return lambda data: data["customers"][index]["lines"][0]


def porting(index: int) -> Callable[[dict], dict]:
    return lambda data: data["customers"][index]["orders"][0]["porting"]


MISSING = object()

P = pytest.param
# fmt: off
BAD_VALUES = [  # where, key, bad value, expected path in the message, expected words
    P(order(2), "status", "shiped", "customers[2].orders[0].status",
      "unknown value 'shiped' (expected one of: received, awaiting_documents",
      id="unknown order status"),
    P(porting(0), "slot", "evening", "customers[0].orders[0].porting.slot",
      "unknown value 'evening'", id="unknown slot"),
    P(porting(0), "status", "done", "customers[0].orders[0].porting.status",
      "expected one of: scheduled, cancelled, completed", id="unknown porting status"),
    P(order(2), "documents_missing", ["passport"],
      "customers[2].orders[0].documents_missing[0]", "unknown value 'passport'",
      id="unknown document"),
    P(order(2), "documents_missing", ["identity_back", "identity_back"],
      "customers[2].orders[0].documents_missing", "listed twice", id="document twice"),
    P(porting(0), "rio", "02PK7T2QXTB7", "customers[0].orders[0].porting.rio",
      "la clé TB7 ne correspond pas au numéro 0612345678", id="bad RIO key"),
    P(porting(1), "rio", "02PK7T2QXTB6", "customers[1].orders[0].porting.rio",
      "ne correspond pas", id="RIO of another number"),
    P(porting(0), "rio", "02PK7T2QX", "customers[0].orders[0].porting.rio",
      "does not match", id="RIO too short"),
    P(line(1), "msisdn", "062345678", "customers[1].lines[0].msisdn",
      "does not match", id="msisdn of 9 digits"),
    P(line(1), "msisdn", "6234567890", "customers[1].lines[0].msisdn",
      "does not match", id="msisdn without its 0"),
    P(line(1), "msisdn", 623456789, "customers[1].lines[0].msisdn",
      "expected a non-empty text (quoted), got 623456789", id="msisdn not quoted"),
    P(order(3), "msisdn", "0612345678", "customers[3].orders[0].msisdn",
      "0612345678 is not a line of C1004", id="order on another's line"),
    P(customer(0), "email", "marie.dupont@", "customers[0].email",
      "does not match", id="bad e-mail"),
    P(customer(0), "email", MISSING, "customers[0].email",
      "missing required field", id="missing e-mail"),
    P(customer(4), "password_set", "yes", "customers[4].password_set",
      "expected true or false, got 'yes'", id="flag as text"),
    P(order(1), "subscribed", "ten", "customers[1].orders[0].subscribed",
      "expected a whole number of days, got 'ten'", id="offset as text"),
    P(porting(1), "scheduled", 1.5, "customers[1].orders[0].porting.scheduled",
      "expected a whole number of days", id="offset as decimal"),
    P(porting(1), "scheduled", True, "customers[1].orders[0].porting.scheduled",
      "expected a whole number of days", id="offset as flag"),
    P(order(5), "stauts", "received", "customers[5].orders[0].stauts",
      "unknown field", id="misspelt field"),
    P(order(5), "id", "CMD-2026-004512", "customers[5].orders[0].id",
      "duplicate order id 'CMD-2026-004512' (also at customers[0].orders[0].id)",
      id="duplicate order"),
    P(customer(5), "id", "C1001", "customers[5].id", "duplicate customer id",
      id="duplicate customer"),
    P(customer(5), "id", "X-42", "customers[5].id", "does not match", id="bad id"),
    P(customer(5), "lines", "0634567890", "customers[5].lines", "expected a list",
      id="lines not a list"),
    P(line(5), "user", "Thomas", "customers[5].lines[0].user", "expected a mapping",
      id="user not a mapping"),
]
# fmt: on


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    return path


def broken(where: Callable[[dict], dict], key: str, value: Any) -> dict:
    data = copy.deepcopy(DEMO)
    if value is MISSING:
        del where(data)[key]
    else:
        where(data)[key] = value
    return data


@pytest.mark.parametrize(("where", "key", "value", "path", "words"), BAD_VALUES)
def test_a_bad_value_is_refused_naming_the_file_and_the_field(
    tmp_path, where, key, value, path, words
):
    source = write(tmp_path, yaml.safe_dump(broken(where, key, value)))
    with pytest.raises(SeedError) as caught:
        load_fixture(source)
    message = str(caught.value)
    assert message.startswith(f"{source}: {path}: ")
    assert words in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("customers: [\n  - id: C1\n", "invalid YAML"),
        ("customers:\n\t- id: C1\n", "invalid YAML"),
        ("", "expected a mapping with one key, 'customers'"),
        ("- id: C1001\n", "expected a mapping with one key, 'customers'"),
        ("clients: []\n", "expected a mapping with one key, 'customers'"),
        ("customers: []\nextra: 1\n", "expected a mapping with one key, 'customers'"),
        ("customers: C1001\n", "customers: expected a list"),
    ],
)
def test_a_file_without_a_customers_list_is_refused(tmp_path, text, words):
    source = write(tmp_path, text)
    with pytest.raises(SeedError) as caught:
        load_fixture(source)
    assert str(caught.value).startswith(f"{source}: ")
    assert words in str(caught.value)


@pytest.mark.parametrize("name", ["missing.yml", "."])
def test_an_unreadable_file_is_refused(tmp_path, name):
    with pytest.raises(SeedError, match="cannot read the file"):
        load_fixture(tmp_path / name)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes("customers: []\n# café\n".encode("latin-1"))
    with pytest.raises(SeedError, match="cannot read the file"):
        load_fixture(path)


def test_the_demo_fixture_is_valid():
    data = load_fixture(DEFAULT_FIXTURE)
    assert [c.id for c in data.customers] == [f"C100{n}" for n in range(1, 7)]


def holder_names() -> dict[str, str]:
    with session_scope() as session:
        rows = session.execute(select(Holder.id, Holder.first_name)).all()
    return dict(rows)


def test_nothing_is_written_when_the_file_is_invalid(migrated_url, tmp_path):
    assert main(["seed"]) == 0
    data = broken(order(5), "status", "shiped")
    data["customers"][0]["first_name"] = "Changed"
    data["customers"].append({**data["customers"][0], "id": "C2000"})
    assert main(["seed", "--file", str(write(tmp_path, yaml.safe_dump(data)))]) == 2
    names = holder_names()
    assert names["C1001"] == "Marie"
    assert "C2000" not in names


def test_an_invalid_file_leaves_an_empty_database_empty(migrated_url, tmp_path):
    bad = write(tmp_path, yaml.safe_dump(broken(porting(0), "rio", "02PK7T2QXTB7")))
    assert main(["seed", "--file", str(bad)]) == 2
    with session_scope() as session:
        assert session.execute(select(func.count()).select_from(Holder)).scalar() == 0


def test_an_e_mail_of_another_holder_in_the_database_is_refused(migrated_url, tmp_path):
    assert main(["seed"]) == 0
    data = {"customers": [broken(customer(0), "id", "C9999")["customers"][0]]}
    data["customers"][0]["orders"] = []
    data["customers"][0]["lines"] = []
    assert main(["seed", "--file", str(write(tmp_path, yaml.safe_dump(data)))]) == 2
    assert "C9999" not in holder_names()
