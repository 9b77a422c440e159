"""What the customer hears when a part of the assistant is out of order.

Said when the action server cannot be reached, fails or answers too late: the turn
could not be handled, and nothing is claimed about what happened to a change in
flight (if it was saved, its confirmation SMS is on its way, in the same
transaction).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from bot.config import ConfigError, positive_number

SERVICE_DISTURBED = (
    "Désolé, le service est momentanément perturbé et je n'ai pas pu traiter votre "
    "message. Merci de réessayer dans quelques minutes. Si vous étiez en train de "
    "modifier votre portabilité, vous recevrez un SMS de confirmation uniquement si "
    "la modification a bien été enregistrée."
)
# Rasa holds a conversation's lock this long (TICKET_LOCK_LIFETIME, 60 s by default);
# an action call must give up before, or the next message would run concurrently.
DEFAULT_LOCK_LIFETIME = 60.0
DEFAULT_ACTION_TIMEOUT = 20.0


def action_timeout(environ: Mapping[str, str] | None = None) -> float:
    """ACTION_TIMEOUT_SECONDS, checked to be shorter than the lock's lifetime."""
    env = os.environ if environ is None else environ
    lifetime = _seconds(env, "TICKET_LOCK_LIFETIME", DEFAULT_LOCK_LIFETIME)
    timeout = _seconds(env, "ACTION_TIMEOUT_SECONDS", DEFAULT_ACTION_TIMEOUT)
    if timeout >= lifetime:
        raise ConfigError(
            f"ACTION_TIMEOUT_SECONDS ({timeout:g}) must be shorter than the "
            f"conversation lock's lifetime, TICKET_LOCK_LIFETIME ({lifetime:g})"
        )
    return timeout


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    return positive_number(
        env, name, default, must_be="a number of seconds", must_be_positive="positive"
    )
