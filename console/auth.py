"""Logging in and out of the console: Argon2id passwords, session cookie, CSRF token.

The cookie is HttpOnly and SameSite=Strict (Secure over https); every state-changing
request carries the `csrf_token` returned at login in an X-CSRF-Token header.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.db import lock_for_write, session_scope
from bot.handoff import agents, sessions
from console import views
from console.http import body_of, fail, me

routes = web.RouteTableDef()
COOKIE = "console_session"
LOGIN_REFUSALS = {
    "bad_credentials": (401, "E-mail ou mot de passe incorrect."),
    "locked": (429, "Trop d'essais : ce compte est verrouillé pendant 15 minutes."),
    "disabled": (403, "Ce compte est désactivé."),
}


def _log_in(
    email: str, password: str
) -> tuple[agents.Login, sessions.NewSession | None, dict | None]:
    with session_scope() as session:
        lock_for_write(session)  # the check writes (failures, session): no upgrade
        attempt = agents.authenticate(session, email, password)
        if attempt.agent is None:
            return attempt, None, None
        return attempt, sessions.start(session, attempt.agent), views.me(attempt.agent)


@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    """Check e-mail and password; set the session cookie; return the CSRF token."""
    body = await body_of(request)
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        raise fail(400, "Indiquez votre e-mail et votre mot de passe.")
    # Argon2 takes tens of milliseconds: off the event loop, with its own session.
    attempt, opened, me_view = await asyncio.to_thread(_log_in, email, password)
    if opened is None:
        status, message = LOGIN_REFUSALS[attempt.refusal or "bad_credentials"]
        raise fail(status, message)
    answer = web.json_response({"csrf_token": opened.csrf_token, "agent": me_view})
    answer.set_cookie(
        COOKIE,
        opened.token,
        httponly=True,
        samesite="Strict",
        secure=request.secure or request.headers.get("X-Forwarded-Proto") == "https",
        path="/",
    )
    return answer


@routes.post("/api/logout")
async def logout(request: web.Request) -> web.Response:
    """End the session."""
    with session_scope() as session:
        sessions.end(session, request.cookies.get(COOKIE))
    answer = web.json_response({"ok": True})
    answer.del_cookie(COOKIE, path="/")
    return answer


@routes.get("/api/me")
async def whoami(request: web.Request) -> web.Response:
    """The logged-in agent."""
    with session_scope() as session:
        return web.json_response(views.me(me(session, request)))
