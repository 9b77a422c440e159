"""scripts/serve_web.py without a browser: what it serves and how it patches."""

from __future__ import annotations

import pytest

from scripts import serve_web


@pytest.mark.parametrize(
    "path",
    [
        "/package.json",
        "/node_modules/rasa-webchat/lib/index.js",
        "/css/../package.json",
        "/js/../../bot/config.py",
        "/css/",
        "/css/missing.css",
    ],
)
def test_only_the_page_assets_are_served(path):
    assert serve_web._static_file(path) is None


def test_the_page_assets_are_served():
    assert serve_web._static_file("/js/chat.js") == serve_web.WEB / "js" / "chat.js"


def test_the_bundle_loses_its_google_fonts_and_gets_its_link_filter_back():
    bundle = serve_web.load_bundle()
    assert b"fonts.googleapis.com" not in bundle
    assert serve_web.NO_LINK_FILTER not in bundle
    assert bundle.count(serve_web.SAFE_MARKDOWN) == 1


@pytest.mark.parametrize(
    ("url", "socket"),
    [
        ("http://127.0.0.1:5005", "ws://127.0.0.1:5005"),
        ("https://bot.example.fr/", "wss://bot.example.fr"),
    ],
)
def test_the_page_may_connect_to_the_rasa_server_only(url, socket):
    policy = serve_web.content_security_policy(serve_web.rasa_origin(url))
    assert f"connect-src 'self' {url.rstrip('/')} {socket};" in policy
    assert "script-src 'self';" in policy


@pytest.mark.parametrize(
    "url", ["127.0.0.1:5005", "ftp://host", "http://host/rasa", "http://host/?a=1"]
)
def test_a_rasa_url_must_be_an_origin(url):
    with pytest.raises(ValueError, match="RASA_URL"):
        serve_web.rasa_origin(url)
