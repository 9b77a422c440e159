"""Rasa's lookup of an event class by its name, remembered.

Rasa 3.6 turns every stored event back into an object by walking all the subclasses
of `Event` (with an `inspect.isabstract` check on each) until one has the event's
name: for every event of every tracker it loads. Under load that walk was 7 % of the
Rasa server's CPU (`make bench`, py-spy), a third of loading a tracker. A name, once
resolved, always gives the same class; unknown names still go through Rasa's own
lookup (its default and its error). Installed by `python -m channels.rasa_server`.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event

_rasa_resolve_by_type = Event.resolve_by_type
_resolved: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: Any = None) -> type[Event] | None:
    """The event class named `type_name`, as Rasa's `Event.resolve_by_type`."""
    known = _resolved.get(type_name)
    if known is not None:
        return known
    try:
        found = _rasa_resolve_by_type(type_name, None)
    except ValueError:  # no such event
        found = None
    if found is None:  # "topic", or no such event: Rasa's own answer
        return _rasa_resolve_by_type(type_name, default)
    _resolved[type_name] = found
    return found


def install() -> None:
    """Make Rasa resolve event names through the remembered lookup."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
