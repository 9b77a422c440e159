"""Held-out scripted conversations (tests/dialogues/README.md): the pure logic.

- `spec`: load and check the conversation files (the format of the README),
- `text`: fold texts, match `|`-separated alternatives, find a button,
- `messages`: tell what kind of outbox message a text is (code, change_sms, ...),
- `player`: play one conversation through a `send` function,
- `judge`: the checks of a finished conversation, and wrong actions,
- `report`: the summary printed on stdout and the JSON file,
- `database`: reset the database and read what a conversation left in it.

`scripts/eval_dialogues.py` wires them to the real servers.
"""
