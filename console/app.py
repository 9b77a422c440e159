"""The agent console: a French page over a JSON API, served on loopback.

No API route but login answers without a valid session (401); a POST without the
session's CSRF token in X-CSRF-Token gets 403. The page is static and served with a
strict Content-Security-Policy. A background task offers a callback to customers
nobody claimed in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot.config import Settings, get_settings
from bot.db import ensure_schema, lock_for_write, session_scope
from bot.handoff import callbacks, queue, sessions
from bot.handoff.gateway import ConversationGateway, DeliveryError, RasaGateway
from console import auth, customer_api, tickets_api
from console.auth import COOKIE
from console.http import GATEWAY, SETTINGS, TICK_SECONDS, fail

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
PUBLIC_API = {("POST", "/api/login")}
DEFAULT_TICK_SECONDS = 5.0
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Check the session (401) and the CSRF token (403) on the API."""
    if request.path.startswith("/api/") and (
        (request.method, request.path) not in PUBLIC_API
    ):
        idle = timedelta(minutes=request.app[SETTINGS].console_idle_minutes)
        with session_scope() as session:
            lock_for_write(session)  # resuming touches the session row
            opened = sessions.resume(session, request.cookies.get(COOKIE), idle)
            agent_id = opened.agent.id if opened else None
        if opened is None:
            raise fail(401, "Connectez-vous.")
        if request.method != "GET" and not opened.csrf_matches(
            request.headers.get("X-CSRF-Token")
        ):
            raise fail(403, "Jeton CSRF manquant ou invalide : rechargez la page.")
        request["agent_id"] = agent_id
    return await handler(request)


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    """Security headers on every answer, errors included; no caching of the API."""
    response.headers.update(SECURITY_HEADERS)
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"


async def index(request: web.Request) -> web.FileResponse:
    """The console page."""
    return web.FileResponse(STATIC / "index.html")


async def offer_overdue_callbacks(app: web.Application) -> int:
    """Offer a callback to each customer nobody claimed in time; return how many."""
    settings: Settings = app[SETTINGS]
    timeout = timedelta(minutes=settings.claim_timeout_minutes)
    with session_scope(settings) as session:
        due = [
            ticket.conversation_id
            for ticket in queue.overdue(session, timeout)
            if callbacks.mark_offered(session, ticket)
        ]
    offered = 0
    for conversation_id in due:
        try:
            await asyncio.to_thread(
                app[GATEWAY].run_action, conversation_id, "action_offer_callback"
            )
            offered += 1
        except DeliveryError as error:
            logger.error("callback offer not delivered: %s", error)
            with session_scope(settings) as session:
                callbacks.unmark_offered(session, conversation_id)
    return offered


async def _tick_forever(app: web.Application) -> None:
    while True:
        try:
            await offer_overdue_callbacks(app)
        except Exception:
            logger.exception("the callback offers failed this time")
        await asyncio.sleep(app[TICK_SECONDS])


async def _background(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(_tick_forever(app))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(
    settings: Settings | None = None,
    gateway: ConversationGateway | None = None,
    tick_seconds: float = DEFAULT_TICK_SECONDS,
) -> web.Application:
    """The console application (routes, middleware, background offers)."""
    settings = settings or get_settings()
    ensure_schema(settings)
    app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app[GATEWAY] = gateway or RasaGateway.from_settings(settings)
    app[TICK_SECONDS] = tick_seconds
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC, follow_symlinks=False)
    for module in (auth, tickets_api, customer_api):
        app.add_routes(module.routes)
    app.on_response_prepare.append(_secure)
    app.cleanup_ctx.append(_background)
    return app
