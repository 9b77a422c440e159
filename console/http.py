"""What every console API handler shares: JSON errors, input, the agent, the ticket."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.handoff import tickets
from bot.handoff.gateway import ConversationGateway
from bot.models import Agent, Ticket

MAX_TEXT = 2000
# What the application holds (typed keys, as aiohttp wants them).
SETTINGS = web.AppKey("settings", Settings)
GATEWAY = web.AppKey("gateway", ConversationGateway)
TICK_SECONDS = web.AppKey("tick_seconds", float)


def fail(status: int, message: str) -> web.HTTPException:
    """An HTTP error whose JSON body carries a French message."""
    kinds = {
        400: web.HTTPBadRequest,
        401: web.HTTPUnauthorized,
        403: web.HTTPForbidden,
        404: web.HTTPNotFound,
        409: web.HTTPConflict,
        429: web.HTTPTooManyRequests,
        502: web.HTTPBadGateway,
    }
    return kinds[status](
        text=web.json_response({"error": message}).text,
        content_type="application/json",
    )


async def body_of(request: web.Request) -> dict[str, Any]:
    """The request's JSON object, or 400."""
    try:
        body = await request.json()
    except ValueError:
        raise fail(400, "Le corps de la requête doit être du JSON.") from None
    if not isinstance(body, dict):
        raise fail(400, "Le corps de la requête doit être un objet JSON.")
    return body


def text_field(body: dict[str, Any], key: str, limit: int = MAX_TEXT) -> str:
    """A required, non-blank text field of at most `limit` characters, or 400."""
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(400, f"Le champ « {key} » est obligatoire.")
    if len(value) > limit:
        raise fail(400, f"Le champ « {key} » dépasse {limit} caractères.")
    return value.strip()


def gateway(request: web.Request) -> ConversationGateway:
    """How the console reaches customers' conversations."""
    return request.app[GATEWAY]


def me(session: Session, request: web.Request) -> Agent:
    """The logged-in agent (the middleware checked the session), or 401."""
    agent = session.get(Agent, request["agent_id"])
    if agent is None or not agent.active:
        raise fail(401, "Connectez-vous.")
    return agent


def ticket_of(
    session: Session, request: web.Request, agent: Agent, *, to_claim: bool = False
) -> Ticket:
    """The ticket of the URL if the agent may see it; else 404 or 403.

    A claim sees any ticket: the answer for one another agent holds is 409.
    """
    try:
        ticket_id = int(request.match_info["ticket_id"])
    except ValueError:
        raise fail(404, "Ce ticket n'existe pas.") from None
    row = tickets.find(session, ticket_id)
    if row is None:
        raise fail(404, "Ce ticket n'existe pas.")
    if not to_claim and not tickets.visible_to(agent, row):
        raise fail(403, "Ce ticket est suivi par un autre conseiller.")
    return row


def conflict(error: tickets.TicketError) -> web.HTTPException:
    """409, with the reason the ticket cannot move."""
    return fail(409, str(error))
