"""Hide most of an identifier when it is shown or logged."""

from __future__ import annotations


def mask_email(email: str) -> str:
    """Keep the first letter of the local part and the domain: m***@example.fr."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
