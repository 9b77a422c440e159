"""A customer in the widget and an agent in the console, two browser contexts:
the customer asks for an advisor, the agent claims, reads and replies, the customer
sees the reply and answers, the agent sees it and hands back, the assistant answers
again."""

from __future__ import annotations

import uuid

from tests.browser.conftest import TIMEOUT_MS, ChatPage
from tests.browser.test_widget import DOCS
from tests.e2e.console_client import add_agent

PASSWORD = "un-mot-de-passe-long"


def test_an_agent_takes_over_a_widget_conversation(
    chat_page: ChatPage, browser, servers, browser_env: dict[str, str]
):
    email = f"julie-{uuid.uuid4().hex[:6]}@operateur.test"
    add_agent(browser_env, email, "Julie", PASSWORD)

    chat = chat_page
    chat.open()
    chat.bot_says("assistant virtuel")
    chat.type("je voudrais parler à un conseiller")
    chat.bot_says("file d'attente")

    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    agent = context.new_page()
    errors: list[str] = []
    agent.on("pageerror", lambda error: errors.append(str(error)))
    agent.goto(servers.console_url)
    agent.fill("input[name=email]", email)
    agent.fill("input[name=password]", PASSWORD)
    agent.get_by_role("button", name="Se connecter").click()
    agent.locator("#waiting .ticket-link", has_text="widget").last.click()
    agent.locator(
        "#transcript li", has_text="je voudrais parler à un conseiller"
    ).wait_for()
    assert "Numéro non vérifié" in agent.locator("#ticket-summary").inner_text()
    agent.get_by_role("button", name="Prendre en charge").click()
    chat.bot_says("Julie, du Service Client")

    agent.fill("#reply", "Bonjour, ici Julie. Que puis-je faire pour vous ?")
    agent.get_by_role("button", name="Envoyer").click()
    chat.bot_says("Julie : Bonjour, ici Julie.")
    chat.type("Je voudrais savoir si ma commande est partie")
    # The console polls every 2 seconds.
    agent.locator(
        "#transcript li", has_text="Je voudrais savoir si ma commande est partie"
    ).wait_for(timeout=5000)
    agent.screenshot(path=str(DOCS / "console.png"))

    agent.get_by_role("button", name="Rendre à l'assistant").click()
    chat.bot_says("remis en relation avec l'assistant virtuel")
    chat.type("c'est quoi le code rio ?")
    chat.bot_says("3179")
    assert errors == []
    chat.assert_clean()
    context.close()
