"""The database side: reset it between conversations, read what one left behind.

In-process, through `bot.db` and `bot.models`, on the file the servers use.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.orm import Session

from bot.models import Channel, OutboxMessage, Porting, PortingSlot, PortingStatus
from bot.seed import FixtureData, seed

from .judge import Portings, PortingState
from .messages import classify, code_in

# Filled by conversations; the last two only once the tables exist (being added).
CONVERSATION_TABLES = (
    "verification_codes",
    "outbox_messages",
    "reset_links",
    "audit_events",
    "channel_messages",
    "tickets",
    "ticket_messages",
)


def _value(member: object) -> str:
    return str(getattr(member, "value", member))


def read_portings(session: Session) -> Portings:
    """Every porting's date, slot and status, by line."""
    return {
        porting.msisdn: read_state(porting)
        for porting in session.execute(select(Porting)).scalars()
    }


def existing_tables(session: Session) -> set[str]:
    """The names of the tables in the database now."""
    return set(inspect(session.connection()).get_table_names())


def clear_conversation_tables(session: Session) -> list[str]:
    """Delete every row of the tables conversations fill; return the tables cleared."""
    present = [name for name in CONVERSATION_TABLES if name in existing_tables(session)]
    metadata = MetaData()
    metadata.reflect(bind=session.connection(), only=present)
    # Children first (ticket_messages before tickets), whatever the foreign keys.
    for table in reversed(metadata.sorted_tables):
        if table.name in present:
            session.execute(table.delete())
    return present


def reset(
    session: Session, data: FixtureData, today: date, snapshot: Portings
) -> list[str]:
    """Back to the seeded state: conversation tables emptied, the fixture upserted
    again, and any porting still unlike `snapshot` written back. Returns the lines
    that had to be written back (none while the seed restores portings itself)."""
    clear_conversation_tables(session)
    seed(session, data, today)
    session.flush()
    restored = []
    for porting in session.execute(select(Porting)).scalars():
        wanted = snapshot.get(porting.msisdn)
        if wanted is None or read_state(porting) == wanted:
            continue
        porting.scheduled_on = date.fromisoformat(wanted.scheduled_on)
        porting.slot = PortingSlot(wanted.slot)
        porting.status = PortingStatus(wanted.status)
        restored.append(porting.msisdn)
    return restored


def read_state(porting: Porting) -> PortingState:
    """A porting row's state."""
    return PortingState(
        porting.scheduled_on.isoformat(), _value(porting.slot), _value(porting.status)
    )


def latest_code(session: Session, line: str) -> str | None:
    """The code of the latest verification SMS queued to `line`, or None."""
    rows = session.execute(
        select(OutboxMessage.text)
        .where(OutboxMessage.channel == Channel.SMS, OutboxMessage.to == line)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    ).scalars()
    for message in rows:
        code = code_in(message)
        if code is not None:
            return code
    return None


def sent_kinds(session: Session) -> list[str]:
    """The kind of every outbox message (all of them: the table is emptied before
    each conversation), oldest first."""
    rows = session.execute(
        select(OutboxMessage.channel, OutboxMessage.text).order_by(OutboxMessage.id)
    )
    return [classify(_value(channel), message) for channel, message in rows]


def handoffs(session: Session, conversation_id: str) -> list[str]:
    """The kinds of the tickets of this conversation (none without a tickets table)."""
    if "tickets" not in existing_tables(session):
        return []
    rows = session.execute(
        text("SELECT kind FROM tickets WHERE conversation_id = :id ORDER BY 1"),
        {"id": conversation_id},
    )
    return [_value(kind) for (kind,) in rows]
