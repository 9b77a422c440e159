"""Talk to the running assistant from a terminal, through its REST channel.

Buttons are shown as a numbered list: type the number to choose one.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
import uuid

QUIT = {"/quitter", "/quit", "/exit"}


def send(url: str, sender: str, text: str) -> list[dict]:
    """Post one message to the REST webhook and return the bot's replies."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode())


def main() -> int:
    """Read lines from the terminal until /quitter or end of input."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    sender = f"console-{uuid.uuid4().hex[:8]}"
    buttons: list[dict] = []
    while True:
        try:
            text = input("Vous > ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not text:
            continue
        if text.lower() in QUIT:
            return 0
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            replies = send(args.url, sender, text)
        except OSError as exc:
            print(f"(connexion perdue avec l'assistant : {exc})", file=sys.stderr)
            continue
        buttons = []
        for reply in replies:
            if reply.get("text"):
                print(f"Assistant > {reply['text']}")
            for button in reply.get("buttons", []):
                buttons.append(button)
                print(f"    {len(buttons)}. {button['title']}")


if __name__ == "__main__":
    sys.exit(main())
