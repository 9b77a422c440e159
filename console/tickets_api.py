"""The queue and the tickets: list, read, claim, reply, note, hand back, close.

An agent's reply reaches the customer on their own channel through the assistant
(`ConversationGateway`); the assistant announces the agent when a ticket is claimed
and takes the conversation back when it is handed back or closed.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.db import session_scope
from bot.handoff import agents, tickets
from bot.handoff.gateway import DeliveryError
from console import views
from console.http import body_of, conflict, fail, gateway, me, text_field, ticket_of

logger = logging.getLogger(__name__)
routes = web.RouteTableDef()
STATES = ("waiting", "claimed", "closed")


@routes.get("/api/tickets")
async def list_tickets(request: web.Request) -> web.Response:
    """Tickets in a state (waiting by default) the agent may see, oldest first."""
    state = request.query.get("state", "waiting")
    if state not in STATES:
        raise fail(400, "state doit valoir waiting, claimed ou closed.")
    with session_scope() as session:
        agent = me(session, request)
        rows = tickets.listing(session, agent, state)
        return web.json_response([views.ticket(session, row) for row in rows])


@routes.get("/api/tickets/{ticket_id}")
async def show_ticket(request: web.Request) -> web.Response:
    """One ticket with its transcript and notes."""
    with session_scope() as session:
        row = ticket_of(session, request, me(session, request))
        return web.json_response(views.ticket_detail(session, row))


@routes.post("/api/tickets/{ticket_id}/claim")
async def claim(request: web.Request) -> web.Response:
    """Take a waiting ticket (409 when another agent holds it)."""
    with session_scope() as session:
        agent = me(session, request)
        row = ticket_of(session, request, agent, to_claim=True)
        try:
            tickets.claim(session, row, agent)
        except tickets.TicketError as error:
            raise conflict(error) from None
        conversation_id, kind = row.conversation_id, row.kind
    notified = kind != "chat" or await _run(
        request, conversation_id, "action_agent_joined"
    )
    with session_scope() as session:
        row = ticket_of(session, request, me(session, request))
        return web.json_response(
            {**views.ticket(session, row), "customer_notified": notified}
        )


async def _run(request: web.Request, conversation_id: str, action: str) -> bool:
    try:
        await asyncio.to_thread(gateway(request).run_action, conversation_id, action)
    except DeliveryError as error:
        logger.error("%s not run for a ticket: %s", action, error)
        return False
    return True


@routes.post("/api/tickets/{ticket_id}/messages")
async def send_message(request: web.Request) -> web.Response:
    """Send the agent's reply to the customer's channel."""
    text = text_field(await body_of(request), "text")
    with session_scope() as session:
        agent = me(session, request)
        row = ticket_of(session, request, agent)
        if row.state != "claimed" or row.agent_id != agent.id:
            raise fail(409, "Prenez d'abord ce ticket en charge.")
        if row.kind != "chat":
            raise fail(409, "Ce rappel se fait par téléphone, pas par message.")
        conversation_id, name = row.conversation_id, agent.name
        metadata = {"handoff": {"ticket": row.id, "agent": name}}
    try:
        await asyncio.to_thread(
            gateway(request).say, conversation_id, f"{name} : {text}", metadata
        )
    except DeliveryError as error:
        logger.error("an agent's message was not delivered: %s", error)
        message = "Le message n'a pas pu être remis au client. Réessayez."
        raise fail(502, message) from error
    with session_scope() as session:
        agent = me(session, request)
        row = ticket_of(session, request, agent)
        line = tickets.add_message(session, row, "agent", text, agent=agent)
        line.delivered = True
        tickets.record_agent_action(session, agent, "agent_message_sent", row)
        return web.json_response(
            {"from": "agent", "text": text, "at": line.at.isoformat()}
        )


@routes.post("/api/tickets/{ticket_id}/notes")
async def add_note(request: web.Request) -> web.Response:
    """An internal note, never shown to the customer."""
    text = text_field(await body_of(request), "text")
    with session_scope() as session:
        agent = me(session, request)
        row = ticket_of(session, request, agent)
        tickets.add_message(session, row, "note", text, agent=agent)
        tickets.record_agent_action(session, agent, "ticket_note_added", row)
    return web.json_response({"ok": True})


async def _finish(request: web.Request, outcome: str) -> web.Response:
    with session_scope() as session:
        agent = me(session, request)
        row = ticket_of(session, request, agent)
        try:
            tickets.end(session, row, agent, outcome)
        except tickets.TicketError as error:
            raise conflict(error) from None
        conversation_id, kind = row.conversation_id, row.kind
    if kind == "chat" and not await _run(
        request, conversation_id, "action_handoff_ended"
    ):
        with session_scope() as session:
            tickets.reopen(session, ticket_of(session, request, me(session, request)))
        raise fail(502, "L'assistant est injoignable : le ticket reste ouvert.")
    with session_scope() as session:
        row = ticket_of(session, request, me(session, request))
        return web.json_response(views.ticket(session, row))


@routes.post("/api/tickets/{ticket_id}/handback")
async def hand_back(request: web.Request) -> web.Response:
    """Give the conversation back to the assistant."""
    return await _finish(request, tickets.HANDED_BACK)


@routes.post("/api/tickets/{ticket_id}/close")
async def close(request: web.Request) -> web.Response:
    """Close the ticket with an outcome."""
    outcome = text_field(await body_of(request), "outcome", limit=200)
    return await _finish(request, outcome)


@routes.post("/api/tickets/{ticket_id}/assign")
async def assign(request: web.Request) -> web.Response:
    """A supervisor gives the ticket to another agent."""
    email = text_field(await body_of(request), "agent")
    with session_scope() as session:
        agent = me(session, request)
        row = ticket_of(session, request, agent)
        target = agents.find_by_email(session, email)
        if target is None:
            raise fail(400, "Aucun conseiller n'a cet e-mail.")
        try:
            tickets.reassign(session, row, agent, target)
        except tickets.TicketError as error:
            raise fail(403 if agent.role != "supervisor" else 409, str(error)) from None
        return web.json_response(views.ticket(session, row))
