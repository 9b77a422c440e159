"""`python -m bot agents add | list | disable | demo`: the console's accounts.

`add` reads the password from standard input when it is not a terminal (one line),
otherwise asks for it twice without echo.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from bot.config import get_settings
from bot.db import migrate, session_scope
from bot.handoff import agents


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe / password: ")
    if getpass.getpass("Encore une fois / again: ") != first:
        raise agents.AccountError("the two passwords differ")
    return first


def _add(args: argparse.Namespace) -> int:
    password = agents.check_password(_password())
    migrate(get_settings().database_url)
    with session_scope() as session:
        agent = agents.add(
            session, email=args.email, name=args.name, password=password, role=args.role
        )
        print(f"agent added: {agent.email} ({agent.role})")
    return 0


def _list(args: argparse.Namespace) -> int:
    migrate(get_settings().database_url)
    with session_scope() as session:
        rows = agents.listing(session)
        if not rows:
            print("(no agents)")
        for agent in rows:
            status = "active" if agent.active else "disabled"
            print(f"{agent.email}\t{agent.name}\t{agent.role}\t{status}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    migrate(get_settings().database_url)
    with session_scope() as session:
        agents.set_active(session, args.email, False)
    print(f"agent disabled: {args.email.strip().lower()}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    migrate(get_settings().database_url)
    with session_scope() as session:
        email, password = agents.ensure_demo_agent(session)
    print(f"{email} {password}")
    return 0


def add_agents(subparsers: Any) -> None:
    """Declare `agents`: manage the console's agent accounts."""
    parser = subparsers.add_parser("agents", help="manage agent console accounts")
    commands = parser.add_subparsers(dest="agents_command", required=True)
    add = commands.add_parser("add", help="create an agent (password on stdin)")
    add.add_argument("email")
    add.add_argument("--name", required=True, help="the name customers see")
    add.add_argument("--role", choices=agents.ROLES, default="agent")
    add.set_defaults(handler=_add)
    listing = commands.add_parser("list", help="list the agents")
    listing.set_defaults(handler=_list)
    disable = commands.add_parser("disable", help="disable an agent's account")
    disable.add_argument("email")
    disable.set_defaults(handler=_disable)
    demo = commands.add_parser(
        "demo", help="create or reset the demo agent (make run only); prints it"
    )
    demo.set_defaults(handler=_demo)
