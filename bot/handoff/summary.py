"""What an agent reads first when taking a conversation over.

What the customer wanted, whether the number is verified (masked), the porting's date
and status, the order's status, and what the assistant refused and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from bot import orders, porting_service
from bot.dates import format_french_date
from bot.masking import mask_msisdn

WANTS = {
    "change_porting_date": "modifier la date de portabilité",
    "cancel_porting": "annuler la portabilité",
    "ask_porting_date": "connaître la date de portabilité",
    "ask_porting_process": "comprendre la portabilité",
    "ask_rio": "obtenir son code RIO",
    "order_status": "suivre sa commande",
    "cancel_order": "annuler sa commande",
    "ask_documents": "savoir quelles pièces envoyer",
    "recover_access": "retrouver l'accès à son espace client",
    "change_login_email": "changer l'e-mail de connexion",
    "activate_line": "activer sa ligne",
    "sim_unlock": "débloquer son mobile",
    "code_not_received": "recevoir son code de vérification",
    "complain": "faire une réclamation",
}
TASK_WANTS = {
    "change": "change_porting_date",
    "cancel": "cancel_porting",
    "status": "ask_porting_date",
    "order": "order_status",
}
REFUSALS = {
    "deadline_passed": "trop tard pour modifier ou annuler (moins de 4 jours avant)",
    "no_porting": "aucune portabilité trouvée pour ce numéro",
    "completed": "la portabilité a déjà eu lieu",
    "cancelled": "la portabilité est déjà annulée",
    "too_many_codes": "trop de codes demandés pour ce numéro",
    "backend_error": "incident technique pendant la demande",
    "cancel_order": "l'assistant ne peut pas annuler une commande",
    "slot_change": "le créneau (matin ou après-midi) ne se choisit pas",
}
PORTING_STATUS = {
    "scheduled": "prévue",
    "completed": "effectuée",
    "cancelled": "annulée",
}


def wanted(intents: Iterable[str], task: str | None) -> list[str]:
    """What the customer asked for, most recent first, without repeats."""
    names = [TASK_WANTS[task]] if task in TASK_WANTS else []
    names += [name for name in reversed(list(intents)) if name in WANTS]
    seen: list[str] = []
    for name in names:
        if WANTS[name] not in seen:
            seen.append(WANTS[name])
    return seen[:3]


def build(
    session: Session,
    *,
    intents: Iterable[str],
    task: str | None,
    verified_msisdn: str | None,
    refusal: str | None,
) -> dict[str, Any]:
    """The summary, as stored on the ticket and sent to the console."""
    summary: dict[str, Any] = {
        "wanted": wanted(intents, task),
        "verified": bool(verified_msisdn),
        "number": mask_msisdn(verified_msisdn) if verified_msisdn else None,
        "porting": None,
        "order": None,
        "refused": REFUSALS.get(refusal or ""),
    }
    if verified_msisdn:
        porting = porting_service.find_porting(session, verified_msisdn)
        if porting is not None:
            summary["porting"] = {
                "date": format_french_date(porting.scheduled_on),
                "slot": porting.slot_words,
                "status": PORTING_STATUS[porting.status.value],
            }
        order = orders.latest_order(session, verified_msisdn)
        if order is not None:
            summary["order"] = {
                "id": order.order_id,
                "status": orders.STATUS_WORDS[order.status],
            }
    summary["text"] = as_text(summary)
    return summary


def as_text(summary: dict[str, Any]) -> str:
    """The summary in one French paragraph."""
    parts = []
    if summary.get("wanted"):
        parts.append("Souhaite " + ", puis ".join(summary["wanted"]) + ".")
    if summary.get("verified"):
        parts.append(f"Numéro vérifié par SMS : {summary['number']}.")
    else:
        parts.append("Numéro non vérifié.")
    porting = summary.get("porting")
    if porting:
        parts.append(
            f"Portabilité {porting['status']} le {porting['date']}, {porting['slot']}."
        )
    order = summary.get("order")
    if order:
        parts.append(f"Commande {order['id']} : {order['status']}.")
    if summary.get("refused"):
        parts.append(f"Refus de l'assistant : {summary['refused']}.")
    return " ".join(parts)
