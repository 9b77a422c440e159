"""Console access: sessions (401), CSRF (403), login refusals, cookie, headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.db import session_scope
from bot.handoff import agents
from bot.models import AgentSession, utcnow
from console.app import create_app
from tests.console.conftest import ALICE, BOB, CARL, SUE, Browser

GETS = [
    "/api/me",
    "/api/tickets",
    "/api/tickets/1",
    "/api/tickets/1/customer",
    "/api/agents",
    "/api/stats",
]
POSTS = [
    "/api/logout",
    "/api/tickets/1/claim",
    "/api/tickets/1/messages",
    "/api/tickets/1/notes",
    "/api/tickets/1/handback",
    "/api/tickets/1/close",
    "/api/tickets/1/assign",
    "/api/tickets/1/porting",
]


def test_the_lists_above_name_every_api_route_but_login(settings, gateway):
    app = create_app(settings, gateway=gateway)
    routes = {
        (route.method, route.resource.canonical.replace("{ticket_id}", "1"))
        for route in app.router.routes()
        if route.resource and route.resource.canonical.startswith("/api/")
    }
    listed = {("GET", path) for path in GETS} | {("POST", path) for path in POSTS}
    assert routes - {("HEAD", path) for path in GETS} == listed | {
        ("POST", "/api/login")
    }


@pytest.mark.parametrize("cookie", [None, "not-a-session"])
@pytest.mark.parametrize(
    ("method", "path"), [("GET", p) for p in GETS] + [("POST", p) for p in POSTS]
)
async def test_every_api_route_answers_401_without_a_session(
    client, method, path, cookie
):
    headers = {"Cookie": f"console_session={cookie}"} if cookie else {}
    answer = await client.request(method, path, json={}, headers=headers)
    assert answer.status == 401
    assert await answer.json() == {"error": "Connectez-vous."}


@pytest.mark.parametrize("csrf", [None, "wrong-token", "bob's"])
@pytest.mark.parametrize("path", POSTS)
async def test_a_post_without_the_session_s_csrf_token_answers_403(browser, path, csrf):
    alice, bob = await browser(ALICE), await browser(BOB)
    token = {"bob's": bob.csrf}.get(csrf, csrf)
    answer = await alice.post(path, {"text": "x", "outcome": "x"}, csrf=token)
    assert answer.status == 403
    assert "CSRF" in (await answer.json())["error"]
    assert (await alice.get("/api/me")).status == 200  # still logged in


async def test_login_returns_the_csrf_token_and_the_agent(client, accounts):
    answer = await Browser(client).login(" Alice@Example.fr ")
    body = await answer.json()
    assert answer.status == 200 and len(body["csrf_token"]) >= 40
    assert body["agent"] == {
        "id": accounts[ALICE],
        "email": ALICE,
        "name": "Alice",
        "role": "agent",
        "active": True,
    }


@pytest.mark.parametrize(
    ("email", "password"), [(ALICE, "wrong password"), ("nobody@example.fr", "x")]
)
async def test_a_wrong_password_or_an_unknown_e_mail_answers_401(
    client, email, password
):
    answer = await Browser(client).login(email, password)
    assert answer.status == 401
    assert await answer.json() == {"error": "E-mail ou mot de passe incorrect."}
    assert "Set-Cookie" not in answer.headers


async def test_five_failures_answer_429_even_with_the_right_password(client):
    agent = Browser(client)
    statuses = [(await agent.login(ALICE, f"wrong {n}")).status for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    answer = await agent.login(ALICE)
    assert answer.status == 429 and "15 minutes" in (await answer.json())["error"]
    assert (await Browser(client).login(BOB)).status == 200  # only Alice is locked


async def test_a_disabled_account_answers_403(client):
    answer = await Browser(client).login(CARL)
    assert answer.status == 403
    assert await answer.json() == {"error": "Ce compte est désactivé."}


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"email": "a@b.fr"}', b'{"email": 1, "password": 2}'],
)
async def test_a_malformed_login_answers_400(client, body):
    answer = await client.post(
        "/api/login", data=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status == 400


@pytest.mark.parametrize(("proto", "secure"), [(None, False), ("https", True)])
async def test_the_session_cookie_is_httponly_and_samesite_strict(
    client, proto, secure
):
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    answer = await client.post(
        "/api/login",
        json={"email": ALICE, "password": "correct horse battery"},
        headers=headers,
    )
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("console_session=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "samesite", "path"} <= attributes
    assert "SameSite=Strict" in cookie and "Path=/" in cookie
    assert ("secure" in attributes) is secure


async def test_logging_out_ends_only_that_session(browser):
    first, second = await browser(ALICE), await browser(ALICE)
    answer = await first.post("/api/logout")
    assert answer.status == 200 and await answer.json() == {"ok": True}
    assert 'console_session=""' in answer.headers["Set-Cookie"]
    assert (await first.get("/api/me")).status == 401
    assert (await second.get("/api/me")).status == 200


@pytest.mark.parametrize(("idle", "status"), [(29, 200), (31, 401)])
async def test_a_session_expires_after_30_idle_minutes(browser, accounts, idle, status):
    alice = await browser(ALICE)
    with session_scope() as session:
        session.execute(
            update(AgentSession).values(last_seen_at=utcnow() - timedelta(minutes=idle))
        )
    assert (await alice.get("/api/me")).status == status
    assert (await alice.get("/api/me")).status == status  # expired stays expired


async def test_disabling_an_agent_ends_their_session(browser, accounts):
    alice = await browser(ALICE)
    with session_scope() as session:
        agents.set_active(session, ALICE, False)
    assert (await alice.get("/api/me")).status == 401


async def test_me_is_the_logged_in_agent(browser, accounts):
    sue = await browser(SUE)
    answer = await sue.get("/api/me")
    assert (await answer.json())["id"] == accounts[SUE]
    assert (await answer.json())["role"] == "supervisor"


CSP = "default-src 'none'; script-src 'self'"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/static/console.js", 200), ("/api/me", 401), ("/nowhere", 404)],
)
async def test_security_headers_are_on_pages_files_and_errors(client, path, status):
    answer = await client.get(path)
    assert answer.status == status
    assert answer.headers["Content-Security-Policy"].startswith(CSP)
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    api = path.startswith("/api/")
    assert (answer.headers.get("Cache-Control") == "no-store") is api


async def test_the_page_is_the_french_console(client):
    answer = await client.get("/")
    assert answer.content_type == "text/html"
    assert 'lang="fr"' in await answer.text()
