"""E-mail the holder of a verified line the way to their contract."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.config import Settings
from bot.masking import mask_email
from bot.messaging.email import compose_email
from bot.models import Holder, Line
from bot.outbox import enqueue

CONTRACT_SUBJECT = "{operator} - votre contrat d'abonnement"
CONTRACT_EMAIL = (
    "Bonjour,\n\n"
    "Votre contrat d'abonnement est disponible dans la rubrique Suivi de votre espace "
    "client :\n{url}\n\n"
    "Connectez-vous avec votre adresse e-mail et votre mot de passe, puis "
    "téléchargez-le depuis le suivi de votre commande.\n\n"
    "{operator}"
)


def send_contract_link(
    session: Session, *, msisdn: str, conversation_id: str, settings: Settings
) -> str | None:
    """Queue the e-mail to the line's holder; return the masked address, or None."""
    holder = session.execute(
        select(Holder)
        .join(Line, Line.holder_id == Holder.id)
        .where(Line.msisdn == msisdn)
    ).scalar_one_or_none()
    if holder is None:
        return None
    text = compose_email(
        CONTRACT_SUBJECT.format(operator=settings.operator_name),
        CONTRACT_EMAIL.format(
            operator=settings.operator_name,
            url=f"{settings.customer_area_url.rstrip('/')}/suivi",
        ),
    )
    enqueue(
        session,
        channel="email",
        to=holder.email,
        text=text,
        idempotency_key=f"contract-link:{conversation_id}:{msisdn}",
    )
    audit.record(
        session,
        actor=f"conversation:{conversation_id}",
        action="contract_link_sent",
        subject=f"holder:{holder.id}",
        channel="email",
        details={"to": mask_email(holder.email)},
    )
    return mask_email(holder.email)
