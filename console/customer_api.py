"""The verified customer's file, porting changes by agents, agents and figures."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from aiohttp import web

from bot import porting_service
from bot.clock import today
from bot.config import get_settings
from bot.db import session_scope
from bot.handoff import agents, queue, tickets
from console import views
from console.http import body_of, fail, me, text_field, ticket_of

routes = web.RouteTableDef()


@routes.get("/api/tickets/{ticket_id}/customer")
async def customer(request: web.Request) -> web.Response:
    """The verified customer's porting and orders."""
    with session_scope() as session:
        row = ticket_of(session, request, me(session, request))
        return web.json_response(views.customer_file(session, row))


@routes.post("/api/tickets/{ticket_id}/porting")
async def change_porting(request: web.Request) -> web.Response:
    """Change or cancel the verified customer's porting, through the same rules,
    service and SMS as the assistant, the agent named in the audit trail."""
    body = await body_of(request)
    action = body.get("action")
    if action not in ("change", "cancel"):
        raise fail(400, "action doit valoir change ou cancel.")
    new_date = None
    if action == "change":
        try:
            new_date = date.fromisoformat(text_field(body, "date", limit=10))
        except ValueError:
            raise fail(400, "La date doit s'écrire AAAA-MM-JJ.") from None
    request_id = str(body.get("request_id") or uuid.uuid4())[:100]
    settings = get_settings()
    with session_scope(settings) as session:
        agent = me(session, request)
        row = ticket_of(session, request, agent)
        if row.state != "claimed" or row.agent_id != agent.id:
            raise fail(409, "Prenez d'abord ce ticket en charge.")
        if not row.verified_msisdn:
            raise fail(409, "Le numéro du client n'a pas été vérifié par SMS.")
        common: dict[str, Any] = {
            "msisdn": row.verified_msisdn,
            "today": today(),
            "conversation_id": row.conversation_id,
            "request_id": f"agent:{request_id}",
            "channel": "console",
            "settings": settings,
            "actor": f"agent:{agent.email}",
        }
        if new_date is not None:
            result = porting_service.change_date(session, new_date=new_date, **common)
        else:
            result = porting_service.cancel(session, **common)
        return web.json_response(_porting_result(result))


def _porting_result(result: porting_service.Result) -> dict[str, Any]:
    porting = result.porting
    return {
        "outcome": result.outcome.value,
        "reason": (
            result.decision.reason
            if result.decision and not result.decision.allowed
            else None
        ),
        "scheduled_on": porting.scheduled_on.isoformat() if porting else None,
        "status": porting.status.value if porting else None,
    }


@routes.get("/api/agents")
async def list_agents(request: web.Request) -> web.Response:
    """Every agent (supervisors only: they reassign)."""
    with session_scope() as session:
        if me(session, request).role != "supervisor":
            raise fail(403, "Réservé aux superviseurs.")
        return web.json_response(
            [agents.view(agent).to_dict() for agent in agents.listing(session)]
        )


@routes.get("/api/stats")
async def stats(request: web.Request) -> web.Response:
    """Tickets per reason and the median wait over the last 7 days."""
    with session_scope() as session:
        me(session, request)
        figures = queue.weekly_figures(session)
    figures["labels"] = {
        key: tickets.REASONS.get(key, key) for key in figures["per_reason"]
    }
    return web.json_response(figures)
