"""Talk to the running assistant from a terminal, over its socket.io channel.

Like the web widget, the terminal receives messages it did not ask for: an advisor's
replies after a handoff, a callback offer. Buttons are shown as a numbered list:
type the number to choose one. "/quitter" (or Ctrl-D) leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import socketio

QUIT = {"/quitter", "/quit", "/exit"}


class Chat:
    """One conversation: prints what the assistant says, sends what is typed."""

    def __init__(self, url: str) -> None:
        self.url = url
        # The session's secret token, given by the server at the first
        # session_request; asked again with it after a reconnection.
        self.session_id: str | None = None
        self.buttons: list[dict[str, Any]] = []
        self.leaving = False
        self.client = socketio.AsyncClient(reconnection=True)
        self.client.on("bot_uttered", self.show)
        self.client.on("connect", self.ask_session)
        self.client.on("session_confirm", self.keep_session)
        self.client.on("disconnect", self.lost)

    async def ask_session(self) -> None:
        """Join (or re-join after a reconnection) our conversation."""
        await self.client.emit("session_request", {"session_id": self.session_id})

    async def keep_session(self, token: str) -> None:
        """Keep the token of our conversation, for a reconnection."""
        self.session_id = token

    async def lost(self) -> None:
        """Say the connection dropped; socket.io reconnects by itself."""
        if not self.leaving:
            print(
                "\n(connexion perdue avec l'assistant, reconnexion…)", file=sys.stderr
            )

    async def show(self, message: dict[str, Any]) -> None:
        """Print a message of the assistant (or of an advisor) with its choices."""
        if message.get("text"):
            print(f"\rAssistant > {message['text']}")
        replies = message.get("quick_replies") or message.get("buttons") or []
        if replies:
            self.buttons = list(replies)
            for number, button in enumerate(self.buttons, 1):
                print(f"    {number}. {button.get('title', '')}")
        print("Vous > ", end="", flush=True)

    async def send(self, text: str) -> None:
        """Send a typed line; a number picks one of the last choices."""
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            text = self.buttons[int(text) - 1]["payload"]
        await self.client.emit(
            "user_uttered", {"message": text, "session_id": self.session_id}
        )

    async def run(self) -> int:
        """Connect, then read lines until /quitter or end of input."""
        # Long polling only: the websocket upgrade of this python-engineio needs a
        # newer aiohttp than Rasa 3.6 allows (aiohttp.ClientWSTimeout).
        await self.client.connect(
            self.url, socketio_path="/socket.io/", transports=["polling"]
        )
        loop = asyncio.get_running_loop()
        print("Vous > ", end="", flush=True)
        try:
            while True:
                line = await loop.run_in_executor(None, sys.stdin.readline)
                if not line:
                    return 0
                text = line.strip()
                if text.lower() in QUIT:
                    return 0
                if text:
                    await self.send(text)
                else:
                    print("Vous > ", end="", flush=True)
        finally:
            self.leaving = True
            await self.client.disconnect()


def main() -> int:
    """Chat with the assistant at --url until /quitter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    try:
        return asyncio.run(Chat(args.url).run())
    except (socketio.exceptions.ConnectionError, OSError) as error:
        print(f"(impossible de joindre l'assistant : {error})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print()
        return 0


if __name__ == "__main__":
    sys.exit(main())
