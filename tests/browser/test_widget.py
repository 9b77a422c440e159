"""The chat widget in headless Chromium against the real servers.

BOT_TODAY is Thursday 26 November 2026: Marie's porting is on Tuesday 8 December and
can move to Saturday 12 December.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.request
from pathlib import Path

from sqlalchemy import select

from bot.config import PROJECT_ROOT, Settings
from bot.db import session_scope
from bot.models import Porting
from tests.browser.conftest import ChatPage, sms_code, texts_to

MARIE = "0612345678"
# Screenshots go to a temporary folder; SCREENSHOTS_DIR=docs refreshes the README's.
DOCS = Path(os.environ.get("SCREENSHOTS_DIR") or tempfile.mkdtemp(prefix="widget-"))
if not DOCS.is_absolute():
    DOCS = PROJECT_ROOT / DOCS
XSS = "<img src=x onerror=window.__xss=1>"


def _scheduled_on(env: dict[str, str], msisdn: str) -> str:
    with session_scope(Settings.from_env(env)) as session:
        porting = session.execute(
            select(Porting).where(Porting.msisdn == msisdn)
        ).scalar_one()
        return porting.scheduled_on.isoformat()


def _no_injected_markup(chat: ChatPage) -> None:
    assert chat.page.evaluate("window.__xss") is None
    assert chat.count("img[src='x']") == 0


def test_a_porting_date_is_changed_with_buttons_and_text_and_survives_a_reload(
    chat_page: ChatPage, browser_env: dict[str, str]
):
    chat = chat_page
    chat.open()
    chat.bot_says("assistant virtuel du Service Client Auchan Télécom")
    chat.click_reply("Modifier ma date de portabilité")
    chat.bot_says("Quel est le numéro de mobile concerné")
    chat.type("06 12 34 56 78")
    chat.bot_says("code à 6 chiffres")
    chat.type(sms_code(browser_env, MARIE))
    chat.bot_says("mardi 8 décembre 2026")
    chat.bot_says("Quelle nouvelle date souhaitez-vous")
    chat.type("le 12 décembre")
    chat.bot_says("au samedi 12 décembre 2026")
    chat.click_reply("Oui, je confirme")
    done = chat.bot_says("C'est fait")
    assert "samedi 12 décembre 2026" in done.inner_text()
    assert _scheduled_on(browser_env, MARIE) == "2026-12-12"
    assert "samedi 12 décembre 2026" in texts_to(browser_env, MARIE)[-1]
    chat.page.screenshot(path=str(DOCS / "widget.png"))

    session = chat.session_id()
    shown = chat.count(".rw-message")
    sent = texts_to(browser_env, MARIE)
    chat.page.reload()
    chat.page.locator(".rw-conversation-container").wait_for()  # still open
    chat.bot_says("C'est fait")  # the history is shown again...
    assert chat.session_id() == session
    assert chat.count(".rw-message") == shown
    chat.type("c'est quand ma portabilité ?")  # ...and the conversation goes on:
    chat.bot_says("prévue le samedi 12 décembre 2026")
    assert texts_to(browser_env, MARIE) == sent  # still verified: no new code
    chat.assert_clean()


def test_html_typed_by_the_customer_is_shown_as_text(chat_page: ChatPage):
    chat = chat_page
    chat.open()
    chat.bot_says("assistant virtuel")
    answers = chat.count(".rw-response")
    chat.type(XSS)
    assert chat.page.locator(".rw-client", has_text=XSS).inner_text() == XSS
    chat.wait_for_more(".rw-response", than=answers)  # the bot's answer is in too
    _no_injected_markup(chat)
    chat.assert_clean()


def test_html_and_markdown_from_the_bot_are_not_interpreted(
    chat_page: ChatPage, servers, browser_env
):
    chat = chat_page
    chat.open()
    chat.bot_says("assistant virtuel")
    html = f"{XSS} <b>gras</b>"
    markdown = "[lien](javascript:window.botXss=1) ![pixel](http://203.0.113.7/p.png)"
    # A bot message pushed to the widget's socket, as a server-side event would be.
    request = urllib.request.Request(
        f"{servers.rasa_url}/conversations/{chat.conversation_id(browser_env)}"
        "/tracker/events"
        "?execute_side_effects=true&output_channel=latest",
        data=json.dumps([{"event": "bot", "text": f"{html}\n\n{markdown}"}]).encode(),
        headers={"Content-Type": "application/json", **servers.api_headers()},
    )
    urllib.request.urlopen(request, timeout=30).close()
    shown = chat.bot_says("onerror")  # Rasa's socket.io channel splits paragraphs
    assert shown.inner_text() == html
    assert shown.locator("b").count() == 0
    markdown_shown = chat.bot_says("lien")
    assert markdown_shown.locator("img").count() == 0
    link = markdown_shown.locator("a", has_text="lien")
    assert link.get_attribute("href") == "javascript:void(0)"
    link.click()  # the CSP refuses even that harmless javascript: URL
    chat.page.wait_for_timeout(500)
    assert chat.page.evaluate("window.botXss") is None
    _no_injected_markup(chat)
    chat.assert_clean(allow_csp_violations=True)


def test_the_porting_card_starts_the_flow_on_a_phone_screen(
    phone_page: ChatPage, browser_env: dict[str, str]
):
    chat = phone_page
    chat.page.goto(chat.url)
    assert chat.page.evaluate("document.documentElement.scrollWidth") <= 375
    chat.page.get_by_role("button", name="Modifier ma date").tap()
    shown = chat.page.locator(".rw-client", has_text="Modifier ma date de portabilité")
    shown.wait_for()  # the card's label, sent as the customer's message
    chat.bot_says("Quel est le numéro de mobile concerné")
    chat.type("0612345678")
    chat.bot_says("Quel est le code à 6 chiffres reçu par SMS")
    box = chat.page.locator(".rw-conversation-container").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["y"] >= 0 and box["y"] + box["height"] <= 667
    assert chat.page.evaluate("document.documentElement.scrollWidth") <= 375
    assert chat.page.locator(".rw-new-message").is_visible()
    assert chat.count(".rw-response:has-text('assistant virtuel')") == 0  # no greeting
    chat.page.screenshot(path=str(DOCS / "widget-mobile.png"))
    chat.assert_clean()


def test_an_unreachable_server_is_announced_until_it_answers(
    chat_page: ChatPage, servers
):
    chat = chat_page
    sockets = f"{servers.rasa_url}/socket.io/**"
    chat.page.route(sockets, lambda route: route.abort())
    chat.open()
    chat.page.wait_for_timeout(2000)  # several failed attempts
    header = chat.page.locator(".rw-header-and-loading")
    assert "Connexion perdue, reconnexion…" in header.inner_text()
    chat.page.unroute(sockets)
    chat.bot_says("assistant virtuel")  # reconnected, greeted
    assert "Connexion perdue" not in header.inner_text()
    chat.assert_clean()


def test_quick_replies_work_with_the_keyboard(chat_page: ChatPage):
    chat = chat_page
    chat.open()
    chat.bot_says("assistant virtuel")
    replies = chat.page.locator(".rw-replies")
    reply = replies.get_by_role("button", name="Suivre ma commande")
    reply.focus()
    reply.press("Enter")
    chat.page.locator(".rw-client", has_text="Suivre ma commande").wait_for()
    chat.assert_clean()


def test_ending_the_conversation_forgets_it_in_this_browser(chat_page: ChatPage):
    chat = chat_page
    chat.open()
    chat.bot_says("assistant virtuel")
    chat.type("je veux changer la date de ma portabilité")
    chat.bot_says("numéro de mobile")
    before = chat.session_id()

    end = chat.page.get_by_role("button", name="Terminer la conversation")
    assert end.is_visible()
    end.click()
    chat.page.wait_for_load_state()
    # The page starts over: another session, and none of the earlier messages.
    chat.page.locator(".rw-launcher").wait_for()
    chat.page.wait_for_function(
        "() => { const s = localStorage.getItem('chat_session');"
        " return s && JSON.parse(s).session_id; }"
    )
    assert chat.session_id() != before
    assert chat.count(".rw-conversation-container") == 0  # closed, like a first visit
    chat.page.locator(".rw-launcher").click()
    chat.bot_says("assistant virtuel")
    assert chat.count(".rw-client") == 0
    assert "numéro de mobile" not in chat.page.inner_text("#webchat")
    chat.assert_clean()
