"""Telling the holder from a declared user by what they write."""

from __future__ import annotations

import pytest

from bot.access_roles import HOLDER, USER, role_of


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("je suis le titulaire", HOLDER),
        ("titulaire du contrat", HOLDER),
        ("c moi la titulaire", HOLDER),
        ("je suis utilisateur de la ligne", USER),
        ("utilisatrice déclarée", USER),
        ("je ne suis pas le titulaire, c'est mon père", USER),
        ("je suis declare sur la ligne de ma mere", USER),
        ("bonjour", None),
        ("oui", None),
    ],
)
def test_the_role_comes_from_the_words_used(text: str, role: str | None) -> None:
    assert role_of(text) == role
