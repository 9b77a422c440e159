"""What the agent reads first: wishes, verified number, porting, order, refusal."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import DEFAULT_FIXTURE
from bot.handoff import summary
from bot.seed import load_fixture, seed

TODAY = date(2026, 11, 26)
MARIE = "0612345678"  # porting Tue 8 Dec 2026 in the morning; order shipped
JEAN = "0656789012"  # a completed order, no porting


@pytest.fixture
def demo(db_session):
    seed(db_session, load_fixture(DEFAULT_FIXTURE), TODAY)
    db_session.flush()
    return db_session


def test_a_verified_customer_s_porting_and_order_are_summarised(demo):
    built = summary.build(
        demo,
        intents=["greet", "change_porting_date", "ask_rio", "affirm"],
        task="change",
        verified_msisdn=MARIE,
        refusal="deadline_passed",
    )
    assert built == {
        "wanted": ["modifier la date de portabilité", "obtenir son code RIO"],
        "verified": True,
        "number": "06 xx xx xx 78",
        "porting": {
            "date": "mardi 8 décembre 2026",
            "slot": "le matin",
            "status": "prévue",
        },
        "order": {"id": "CMD-2026-004512", "status": "expédiée"},
        "refused": "trop tard pour modifier ou annuler (moins de 4 jours avant)",
        "text": (
            "Souhaite modifier la date de portabilité, puis obtenir son code RIO. "
            "Numéro vérifié par SMS : 06 xx xx xx 78. "
            "Portabilité prévue le mardi 8 décembre 2026, le matin. "
            "Commande CMD-2026-004512 : expédiée. "
            "Refus de l'assistant : trop tard pour modifier ou annuler "
            "(moins de 4 jours avant)."
        ),
    }
    assert MARIE not in built["text"]


def test_a_verified_number_without_porting_shows_only_its_order(demo):
    built = summary.build(
        demo, intents=["order_status"], task=None, verified_msisdn=JEAN, refusal=None
    )
    assert built["porting"] is None
    assert built["order"] == {"id": "CMD-2026-003901", "status": "terminée"}
    assert built["refused"] is None
    assert built["text"] == (
        "Souhaite suivre sa commande. Numéro vérifié par SMS : 06 xx xx xx 12. "
        "Commande CMD-2026-003901 : terminée."
    )


def test_an_unverified_customer_gets_no_customer_data(demo):
    built = summary.build(
        demo,
        intents=["order_status", "complain"],
        task="status",
        verified_msisdn=None,
        refusal="no_porting",
    )
    assert (built["verified"], built["number"], built["porting"], built["order"]) == (
        False,
        None,
        None,
        None,
    )
    assert built["text"] == (
        "Souhaite connaître la date de portabilité, puis faire une réclamation, puis "
        "suivre sa commande. Numéro non vérifié. Refus de l'assistant : aucune "
        "portabilité trouvée pour ce numéro."
    )


@pytest.mark.parametrize(
    ("intents", "task", "expected"),
    [
        ([], None, []),
        (["greet", "nlu_fallback", "goodbye"], "unknown_task", []),
        (["ask_rio", "ask_rio", "ask_rio"], None, ["obtenir son code RIO"]),
        (
            ["ask_rio", "sim_unlock", "activate_line", "complain"],
            None,
            ["faire une réclamation", "activer sa ligne", "débloquer son mobile"],
        ),
        (
            ["cancel_porting", "order_status"],
            "cancel",
            ["annuler la portabilité", "suivre sa commande"],
        ),
    ],
)
def test_the_wishes_are_the_latest_first_without_repeats_at_most_three(
    intents, task, expected
):
    assert summary.wanted(intents, task) == expected


def test_an_empty_summary_still_says_the_number_is_not_verified():
    assert summary.as_text({}) == "Numéro non vérifié."
