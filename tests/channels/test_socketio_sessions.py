"""Private widget sessions (channels/socketio_shared.py): the pure parts."""

from __future__ import annotations

import pytest

from channels.socketio_shared import conversation_id_for, session_token

TOKEN = "k3Jw9-Qm_2xZp7LrT5vYc8NbH4sFd6Ga1eUo0iWq"


def test_a_token_maps_to_one_conversation_per_server_secret():
    first = conversation_id_for(TOKEN, b"secret-1")
    assert first == conversation_id_for(TOKEN, b"secret-1")
    assert first.startswith("web-") and len(first) == 36
    assert TOKEN not in first
    assert conversation_id_for(TOKEN, b"secret-2") != first
    assert conversation_id_for(TOKEN + "x", b"secret-1") != first


def test_a_long_random_token_from_the_client_is_kept():
    assert session_token(TOKEN) == TOKEN


@pytest.mark.parametrize(
    "asked",
    [None, "", "abc", "console-1234", 42, {"id": TOKEN}, "web-" + "0" * 32 + " x"],
)
def test_anything_else_gets_a_new_token(asked):
    token = session_token(asked)
    assert token != asked
    assert len(token) >= 32
    assert session_token(token) == token  # the new token is one a client may keep
