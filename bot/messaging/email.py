"""E-mail senders: the same small interface as SMS, a console sender and SMTP.

The outbox has one `text` column and no subject: an e-mail is stored there as

    Subject: <subject>
    <empty line>
    <plain-text body>

`compose_email` writes that form and `split_email` reads it back; the senders split
it. SMTP answers 4xx (temporary) and connection failures are worth a retry; 5xx
(permanent) answers, a missing STARTTLS and a bad certificate are not.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Protocol, TextIO

from bot.config import ConfigError, Settings
from bot.messaging.senders import DEFAULT_TIMEOUT, MessageSender, SendError

SUBJECT_PREFIX = "Subject: "


class EmailSender(MessageSender, Protocol):
    """A MessageSender whose recipients are e-mail addresses ("Subject: …" texts)."""


def compose_email(subject: str, body: str) -> str:
    """Return the outbox text of an e-mail: "Subject: …", an empty line, the body."""
    if not subject.strip() or "\n" in subject or "\r" in subject:
        raise ValueError("an e-mail subject is one non-empty line")
    return f"{SUBJECT_PREFIX}{subject.strip()}\n\n{body}"


def split_email(text: str) -> tuple[str, str]:
    """Return the subject and body of an outbox e-mail text; SendError if malformed."""
    head, separator, body = text.partition("\n\n")
    if not separator or not head.startswith(SUBJECT_PREFIX) or "\n" in head:
        raise SendError(
            'an outbox e-mail must start with "Subject: …" and an empty line',
            retryable=False,
        )
    return head[len(SUBJECT_PREFIX) :].strip(), body


def check_address(to: str) -> str:
    """Return the bare address `to`, or raise a non-retryable SendError."""
    address = to.strip()
    _, parsed = parseaddr(address)
    local, at, domain = parsed.rpartition("@")
    if parsed != address or not at or not local or "." not in domain:
        raise SendError(f"{to!r} is not an e-mail address", retryable=False)
    return address


class ConsoleEmailSender:
    """Writes each e-mail to a stream instead of sending it (for development)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, to: str, text: str) -> str:
        """Write the recipient, subject and body; return a made-up message id."""
        subject, body = split_email(text)
        stream = self._stream or sys.stdout  # looked up late: tests swap stdout
        stream.write(f"E-mail to {check_address(to)}\nSubject: {subject}\n\n{body}\n")
        stream.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


class SmtpEmailSender:
    """Sends plain-text e-mails through an SMTP relay (STARTTLS, login if given)."""

    def __init__(
        self,
        host: str,
        port: int,
        from_address: str,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._from = from_address
        self._username = username
        self._password = password
        self._starttls = starttls
        self._timeout = timeout
        self._ssl_context = ssl_context  # tests pass one that trusts their cert

    def send(self, to: str, text: str) -> str:
        """Hand the e-mail to the relay and return its Message-ID."""
        message = self._message(check_address(to), *split_email(text))
        try:
            smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        except (smtplib.SMTPException, OSError) as exc:
            raise _smtp_error(self._host, exc) from exc
        try:
            if self._starttls:
                # Raises SMTPNotSupportedError rather than go on in clear.
                smtp.starttls(context=self._context())
            if self._username:
                smtp.login(self._username, self._password or "")
            smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise _smtp_error(self._host, exc) from exc
        finally:
            _quit(smtp)
        return str(message["Message-ID"])

    def _message(self, to: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._from
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        domain = parseaddr(self._from)[1].rpartition("@")[2] or None
        message["Message-ID"] = make_msgid(domain=domain)
        # Quoted-printable: 7-bit safe, whether or not the relay takes 8BITMIME.
        message.set_content(body, charset="utf-8", cte="quoted-printable")
        return message

    def _context(self) -> ssl.SSLContext:
        return self._ssl_context or ssl.create_default_context()


def email_sender_from_settings(settings: Settings) -> EmailSender:
    """Return the e-mail sender chosen by EMAIL_PROVIDER, or raise ConfigError."""
    provider = settings.email_provider
    if provider == "console":
        return ConsoleEmailSender()
    if provider == "smtp":
        if not settings.smtp_host:
            raise ConfigError("EMAIL_PROVIDER=smtp needs SMTP_HOST in the environment")
        if settings.smtp_username and not settings.smtp_password:
            raise ConfigError("SMTP_USERNAME needs SMTP_PASSWORD in the environment")
        return SmtpEmailSender(
            settings.smtp_host,
            settings.smtp_port,
            settings.email_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    raise ConfigError(f"EMAIL_PROVIDER {provider!r} has no sender")


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; once the message is accepted, a failed QUIT changes nothing."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        smtp.close()


def _smtp_error(host: str, exc: smtplib.SMTPException | OSError) -> SendError:
    """Classify an SMTP failure: 4xx and lost connections retry, the rest do not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # One recipient a message: its (code, reply) says why.
        code, reply = next(iter(exc.recipients.values()), (-1, b""))
        return _reply_error(host, code, reply)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply_error(host, exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(f"SMTP relay {host}: {exc}", retryable=False)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(f"SMTP relay {host}: bad certificate: {exc}", retryable=False)
    # Refused, reset, timed out or closed connections; other protocol hiccups.
    return SendError(
        f"could not reach SMTP relay {host}: {type(exc).__name__}: {exc}",
        retryable=True,
    )


def _reply_error(host: str, code: int, reply: bytes | str) -> SendError:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return SendError(
        f"SMTP relay {host} answered {code}: {reply[:200]}",
        retryable=not 500 <= code < 600,
    )
