"""Order status, supporting documents and access recovery over REST (real servers,
seeded SQLite with the demo data and tests/e2e/fixtures/more_orders.yml)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.access import redeem_reset_link
from bot.config import Settings
from bot.db import session_scope
from bot.models import OutboxMessage
from tests.e2e.conftest import CUSTOMER_AREA, Conversation
from tests.e2e.test_porting import _code, _texts


def _outbox(env: dict[str, str], to: str) -> list[OutboxMessage]:
    with session_scope(Settings.from_env(env)) as session:
        rows = session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.to == to)
            .order_by(OutboxMessage.id)
        )
        return list(rows.scalars())


def _verified_order(
    conversation: Conversation, env: dict[str, str], first: str, msisdn: str
) -> str:
    asked = _texts(conversation.say(first))
    if "code à 6 chiffres" not in asked:
        spaced = " ".join(msisdn[i : i + 2] for i in range(0, 10, 2))
        asked = _texts(conversation.say(spaced))
    assert "code à 6 chiffres" in asked
    return _texts(conversation.say(_code(env, msisdn)))


@pytest.mark.parametrize(
    ("first", "msisdn", "expected"),
    [
        (
            "où en est ma commande CMD-2026-005001 ?",
            "0611223344",
            "en cours de traitement",
        ),
        ("suivi de ma commande svp", "0623456789", "a été livrée"),
        (
            "ma commande cmd-2026-004633 est bloquée ?",
            "0745678901",
            "il manque le verso de votre pièce d'identité",
        ),
        ("statut commande CMD-2026-004702", "0634567890", "en cours de vérification"),
        ("où en est ma commande ?", "0622334455", "est validée"),
        ("je n'ai toujours pas reçu ma carte SIM", "0656789012", "est terminée"),
        ("ma commande CMD-2026-005003 ?", "0733445566", "a été annulée"),
    ],
)
def test_each_order_status_is_told_after_verification(
    conversation, e2e_env, first, msisdn, expected
):
    answer = _verified_order(conversation, e2e_env, first, msisdn)
    assert expected in answer
    assert "Suivi" in answer and "contrat" in answer


def test_the_contract_link_is_sent_by_email_on_request(conversation, e2e_env):
    answer = _verified_order(
        conversation, e2e_env, "suivi commande CMD-2026-004512", "0612345678"
    )
    assert "a été expédiée" in answer
    assert "m…@example.fr" in _texts(conversation.say("oui"))
    (mail,) = _outbox(e2e_env, "marie.dupont@example.fr")
    assert f"{CUSTOMER_AREA}/suivi" in mail.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "mon ancienne carte d'identité en carton à deux volets est acceptée ?",
            "n'est plus acceptée",
        ),
        (
            "est ce que le permis rose ça passe comme justificatif ?",
            "n'est pas accepté",
        ),
        (
            "j'ai une carte d'identité italienne, c'est bon pour le justificatif ?",
            "en cours de validité",
        ),
        (
            "une carte de séjour c'est accepté comme pièce d'identité ?",
            "carte de séjour est acceptée",
        ),
        (
            "la pièce d'identité doit être au même nom que le contrat ?",
            "correspondre à celle indiquée sur le contrat",
        ),
        ("ma photo de ma carte d'identité est trop lourde pour l'envoyer", "9 Mo"),
    ],
)
def test_precise_document_questions_get_precise_answers(
    conversation, question, expected
):
    assert expected in _texts(conversation.say(question))


def test_a_holder_gets_a_reset_link_by_email(conversation, e2e_env):
    conversation.say("j'ai oublié mon mot de passe")
    conversation.say('/inform{"access_role": "holder"}')
    answer = _texts(conversation.say("chloe.leroy@example.fr"))
    assert "30 minutes" in answer
    (mail,) = _outbox(e2e_env, "chloe.leroy@example.fr")
    (token,) = re.findall(
        rf"{re.escape(CUSTOMER_AREA)}/reinitialiser\?token=(\S+)", mail.text
    )
    settings = Settings.from_env(e2e_env)
    with session_scope(settings) as session:
        assert redeem_reset_link(session, token=token, settings=settings) == (
            "holder",
            "C1005",
        )
    with session_scope(settings) as session:  # single use
        assert redeem_reset_link(session, token=token, settings=settings) is None


def test_an_unknown_email_gets_the_same_answer_and_no_email(conversation, e2e_env):
    conversation.say("mot de passe oublié")
    conversation.say("je suis le titulaire")
    known = Conversation.__new__(Conversation)
    known.url, known.sender = conversation.url, conversation.sender + "-k"
    known.say("mot de passe oublié")
    known.say("je suis le titulaire")
    assert _texts(conversation.say("personne@nulle-part.fr")) == _texts(
        known.say("jean.petit@example.fr")
    )
    assert _outbox(e2e_env, "personne@nulle-part.fr") == []
    assert len(_outbox(e2e_env, "jean.petit@example.fr")) == 1


def test_a_declared_user_gets_a_reset_link_by_sms(conversation, e2e_env):
    conversation.say("je n'arrive pas à me connecter à mon espace client")
    conversation.say("je suis utilisateur de la ligne")
    answer = _texts(conversation.say("07 67 89 01 23"))
    assert "SMS" in answer and "30 minutes" in answer
    assert (
        f"{CUSTOMER_AREA}/reinitialiser?token="
        in _outbox(e2e_env, "0767890123")[-1].text
    )


def test_a_line_without_declared_user_gets_the_help_pages_answer(conversation, e2e_env):
    conversation.say("comment créer mon accès à l'espace client ?")
    conversation.say('/inform{"access_role": "user"}')
    answer = _texts(conversation.say("06 23 45 67 89"))
    assert "Aucun « utilisateur » n'a été créé pour cette ligne" in answer
    assert "une fois la ligne activée" in answer
    assert not [m for m in _outbox(e2e_env, "0623456789") if "reinitialiser" in m.text]
