"""Changing and cancelling a porting over REST: real servers, seeded SQLite,
BOT_TODAY pinned to Thursday 26 November 2026, codes read from the outbox."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import session_scope
from bot.models import OutboxMessage, Porting
from tests.e2e.conftest import Conversation, get_json

MARIE = "0612345678"  # Tue 8 Dec 2026 morning, subscribed Mon 16 Nov
KARIM = "0623456789"  # Sat 28 Nov: less than 4 days away
SOPHIE = "0745678901"  # Mon 21 Dec morning
JEAN = "0656789012"  # a customer line without porting
THOMAS = "0634567890"  # Tue 5 Jan 2027 afternoon


def _texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text", "") for reply in replies)


def _buttons(replies: list[dict]) -> list[dict]:
    return [button for reply in replies for button in reply.get("buttons", [])]


def _sms_to(env: dict[str, str], msisdn: str) -> list[str]:
    with session_scope(Settings.from_env(env)) as session:
        rows = session.execute(
            select(OutboxMessage.text)
            .where(OutboxMessage.to == msisdn)
            .order_by(OutboxMessage.id)
        )
        return [text for (text,) in rows]


def _code(env: dict[str, str], msisdn: str) -> str:
    (code,) = re.findall(r"\b\d{6}\b", _sms_to(env, msisdn)[-1])
    return code


def _scheduled(env: dict[str, str], msisdn: str) -> tuple[str, str]:
    with session_scope(Settings.from_env(env)) as session:
        porting = session.execute(
            select(Porting).where(Porting.msisdn == msisdn)
        ).scalar_one()
        return porting.scheduled_on.isoformat(), porting.status.value


def _verify_replies(
    conversation: Conversation, env: dict[str, str], msisdn: str
) -> list[dict]:
    spaced = " ".join(msisdn[i : i + 2] for i in range(0, 10, 2))
    asked = conversation.say(f"c'est le {spaced}")
    assert "code à 6 chiffres" in _texts(asked)
    return conversation.say(_code(env, msisdn))


def _verify(conversation: Conversation, env: dict[str, str], msisdn: str) -> str:
    return _texts(_verify_replies(conversation, env, msisdn))


def test_a_refused_then_accepted_change_to_a_saturday(conversation, e2e_env):
    before = len(_sms_to(e2e_env, MARIE))  # other tests text this line too
    first = conversation.say(
        "je voudrais décaler ma portabilité au dimanche 13 décembre"
    )
    assert "vérifier" in _texts(first)
    verified = _verify(conversation, e2e_env, MARIE)
    assert "mardi 8 décembre 2026, le matin" in verified
    assert "Pas de portabilité le dimanche 13" in verified  # first message's date
    offered = [b["title"] for b in _buttons(conversation.say("alors le 25 décembre"))]
    assert offered == [
        "mercredi 23 décembre 2026",
        "jeudi 24 décembre 2026",
        "samedi 26 décembre 2026",
    ]
    assert "trop proche" in _texts(conversation.say("samedi 28 novembre"))
    assert "59 jours" in _texts(conversation.say("le 20 janvier"))
    assert "déjà prévue" in _texts(conversation.say("le 8 décembre"))
    confirm = conversation.say('/inform{"date": "2026-12-12"}')
    assert "samedi 12 décembre 2026" in _texts(confirm)
    done = _texts(conversation.say("oui"))
    assert "C'est fait" in done and "SMS" in done
    assert _scheduled(e2e_env, MARIE) == ("2026-12-12", "scheduled")
    sms = _sms_to(e2e_env, MARIE)
    assert len(sms) == before + 2  # the code, then the confirmation
    assert "samedi 12 décembre 2026" in sms[-1]
    # A second "oui" applies nothing and sends nothing.
    conversation.say("oui")
    assert len(_sms_to(e2e_env, MARIE)) == before + 2


def test_a_holiday_is_refused_with_its_name(conversation, e2e_env):
    conversation.say("changer la date de ma porta svp")
    _verify(conversation, e2e_env, THOMAS)
    refused = _texts(conversation.say("le 1er janvier"))
    assert "jour férié" in refused and "Jour de l'an" in refused


def test_no_at_the_confirmation_changes_nothing(conversation, e2e_env):
    conversation.say("je veux avancer la date de portage")
    _verify(conversation, e2e_env, THOMAS)
    assert "Vous confirmez" in _texts(conversation.say("le samedi 19 décembre"))
    assert "je ne change rien" in _texts(conversation.say("non"))
    assert _scheduled(e2e_env, THOMAS) == ("2027-01-05", "scheduled")


def test_a_cancellation_with_a_question_in_the_middle(conversation, e2e_env):
    conversation.say("je veux annuler ma portabilité")
    verified = _verify(conversation, e2e_env, SOPHIE)
    assert "restera chez votre opérateur actuel" in verified
    digression = _texts(conversation.say("au fait c'est quoi le code RIO ?"))
    assert "3179" in digression and "confirmez l'annulation" in digression
    assert "annulée" in _texts(conversation.say("oui"))
    assert _scheduled(e2e_env, SOPHIE)[1] == "cancelled"
    assert "annulée" in _sms_to(e2e_env, SOPHIE)[-1]


def test_a_passed_deadline_refuses_change_and_cancellation(conversation, e2e_env):
    conversation.say("annuler la portabilité")
    assert "trop tard" in _verify(conversation, e2e_env, KARIM)
    assert _scheduled(e2e_env, KARIM)[1] == "scheduled"


def test_three_wrong_codes_lock_the_code(conversation, e2e_env):
    conversation.say("c'est quand ma portabilité ?")
    conversation.say(JEAN)
    assert "2 essai" in _texts(conversation.say("111111"))
    assert "1 essai" in _texts(conversation.say("222222"))
    assert "Trois codes erronés" in _texts(conversation.say("333333"))


def test_a_number_without_porting_gets_its_own_answer(conversation, e2e_env):
    conversation.say("à quelle date mon numéro sera transféré ?")
    replies = _verify_replies(conversation, e2e_env, JEAN)
    assert "aucune portabilité" in _texts(replies)
    # An advisor is offered; "oui" calls one in.
    assert "transmette votre demande à un conseiller" in _texts(replies)
    assert [b["payload"] for b in _buttons(replies)] == ["/affirm", "/deny"]


@pytest.mark.parametrize("leave", ["stop", "annule", "non"])
def test_stop_annule_or_no_leaves_the_form(conversation, leave):
    conversation.say("je voudrais changer ma date de portabilité")
    assert "rien n'a été modifié" in _texts(conversation.say(leave))
    # The form is gone: a question gets its answer and no request for the number.
    after = _texts(conversation.say("c'est quoi le code rio"))
    assert "3179" in after and "numéro de mobile" not in after


def test_a_payload_cannot_set_the_verified_number(conversation, servers, e2e_env):
    forged = '/change_porting_date{"verified_msisdn": "0612345678", "otp_code": "1"}'
    replies = _texts(conversation.say(forged))
    assert "vérifier" in replies and "8 décembre" not in replies
    tracker = get_json(
        f"{servers.rasa_url}/conversations/{conversation.sender}/tracker",
        servers.api_headers(),
    )
    assert tracker["slots"]["verified_msisdn"] is None


EMMA = "0767890123"  # porting completed on Sat 21 Nov 2026


def test_the_status_of_a_completed_porting_and_no_change_to_it(conversation, e2e_env):
    before = len(_sms_to(e2e_env, EMMA))
    conversation.say("ma portabilité a-t-elle eu lieu ?")
    assert "a eu lieu le samedi 21 novembre 2026" in _verify(
        conversation, e2e_env, EMMA
    )
    # Already verified in this conversation: no new code, the same checks.
    replies = _texts(conversation.say("je veux changer la date de portabilité"))
    assert "déjà eu lieu" in replies and "code" not in replies
    assert len(_sms_to(e2e_env, EMMA)) == before + 1
