"""A small SMTP server on 127.0.0.1 for the e-mail sender's tests."""

from __future__ import annotations

import base64
import contextlib
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import BinaryIO

DEFAULT_REPLIES = {"STARTTLS": (220, "go ahead"), "QUIT": (221, "bye")}


@dataclass
class SmtpServer:
    """A tiny SMTP server on 127.0.0.1 that records commands and messages."""

    replies: dict[str, tuple[int, str]] = field(default_factory=dict)  # by verb
    tls: ssl.SSLContext | None = None  # offers STARTTLS when set
    login: tuple[str, str] | None = None  # offers AUTH PLAIN when set
    commands: list[tuple[str, bool]] = field(default_factory=list)  # (line, in TLS)
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    port: int = 0

    def __enter__(self) -> SmtpServer:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._listener.close()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self._listener.accept()
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        code, text = self.replies.get("GREETING", (220, "localhost ESMTP"))
        with conn, contextlib.suppress(OSError):  # e.g. a TLS handshake refused
            conn.sendall(f"{code} {text}\r\n".encode())
            if code == 220:
                self._session(conn)

    def _session(self, conn: socket.socket) -> None:
        reader, in_tls, sender, recipients = conn.makefile("rb"), False, "", []
        while line := reader.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            self.commands.append((command, in_tls))
            reply = self.replies.get(verb, DEFAULT_REPLIES.get(verb, (250, "ok")))
            if verb == "EHLO":
                offers = ["localhost"] + ["STARTTLS"] * bool(self.tls and not in_tls)
                offers += ["AUTH PLAIN"] * bool(self.login)
                conn.sendall("".join(f"250-{o}\r\n" for o in offers[:-1]).encode())
                reply = (250, offers[-1])
            elif verb == "MAIL" and reply[0] == 250:
                sender, recipients = address_in(command), []
            elif verb == "RCPT" and reply[0] == 250:
                recipients.append(address_in(command))
            elif verb == "AUTH" and verb not in self.replies:
                given = base64.b64decode(command.split()[-1]).decode().split("\0")[1:]
                reply = (235, "ok") if tuple(given) == self.login else (535, "5.7.8 no")
            elif verb == "DATA":
                conn.sendall(b"354 end with <CRLF>.<CRLF>\r\n")
                self.messages.append((sender, recipients, read_message(reader)))
                reply = self.replies.get("DATA_END", (250, "queued"))
            conn.sendall(f"{reply[0]} {reply[1]}\r\n".encode())
            if verb == "QUIT":
                return
            if verb == "STARTTLS" and reply[0] == 220 and self.tls:
                conn = self.tls.wrap_socket(conn, server_side=True)
                reader, in_tls = conn.makefile("rb"), True


def address_in(command: str) -> str:
    """The address of "MAIL FROM:<a@b.fr>" or "RCPT TO:<a@b.fr>"."""
    return command.partition(":")[2].split()[0].strip("<>")


def read_message(reader: BinaryIO) -> EmailMessage:
    """Read DATA up to the lone dot, undo dot-stuffing and parse the message."""
    lines = []
    while (line := reader.readline()) not in (b".\r\n", b""):
        lines.append(line[1:] if line.startswith(b"..") else line)
    raw = b"".join(lines).replace(b"\r\n", b"\n")
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]
