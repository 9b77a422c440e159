"""What kind of message an outbox row is, from its channel and its text.

The templates are in bot/verification.py (CODE_SMS), bot/porting_service.py
(CHANGE_SMS, CANCEL_SMS), bot/access.py (RESET_SMS, RESET_EMAIL_SUBJECT) and
bot/contract_link.py (CONTRACT_SUBJECT). SMS texts are folded into GSM-7 before
they are queued and e-mails are stored as "Subject: …", an empty line, the body, so
the kinds are told apart on folded fragments that do not depend on the operator.
"""

from __future__ import annotations

import re

from .text import fold

SENT_KINDS = (
    "code",
    "change_sms",
    "cancel_sms",
    "reset_sms",
    "reset_email",
    "contract_email",
)
OTHER = "other"

_CODE = re.compile(r"votre code de verification est (\d{6})\b")


def code_in(text: str) -> str | None:
    """The 6-digit code of a verification SMS text, or None if it is not one."""
    found = _CODE.search(fold(text))
    return found.group(1) if found else None


def classify(channel: str, text: str) -> str:
    """One of SENT_KINDS, or "other" when the text fits none of the templates."""
    folded = fold(text)
    if channel == "sms":
        return _classify_sms(text, folded)
    if channel == "email":
        return _classify_email(text)
    return OTHER


def _classify_sms(text: str, folded: str) -> str:
    if code_in(text) is not None:
        return "code"
    if "la portabilite de votre numero" in folded:
        if "est desormais prevue le" in folded:
            return "change_sms"
        if "est annulee" in folded:
            return "cancel_sms"
    if "pour choisir votre mot de passe espace client" in folded and "://" in folded:
        return "reset_sms"
    return OTHER


def _classify_email(text: str) -> str:
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject:"):
        return OTHER
    subject, body = fold(head), fold(body)
    if "choisissez un nouveau mot de passe" in subject and "://" in body:
        return "reset_email"
    if "votre contrat d'abonnement" in subject and "://" in body:
        return "contract_email"
    return OTHER
