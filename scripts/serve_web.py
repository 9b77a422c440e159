"""Serve the demo customer page and its chat widget on loopback (standard library only).

    /                         web/index.html
    /css/…, /js/…             web/css/, web/js/
    /vendor/rasa-webchat.js   node_modules/rasa-webchat/lib/index.js, patched (below)
    /config.js                where the page finds the Rasa server (RASA_URL)

rasa-webchat 1.0.1 renders bot messages with react-markdown, which escapes raw HTML
(user messages are plain text). Two patches, checked when the server starts:
- the `@import`s of the Inter font from Google Fonts are removed (system fonts used);
- it passes `transformLinkUri:null`, which turns react-markdown's URL filter off
  (`[x](javascript:…)` links): the filter is put back (http, https, mailto, tel) and
  images in bot markdown are dropped (no remote pixel).
Every answer also carries a Content-Security-Policy: scripts from this origin only,
styles from here or inline (the widget injects them), images and fonts from here, and
connections only to here and to the Rasa server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WEB = Path(__file__).resolve().parent.parent / "web"
BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
STATIC_DIRS = ("css", "js")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
GOOGLE_FONTS = re.compile(rb"@import url\(https?://fonts\.googleapis\.com/[^)]*\);?")
NO_LINK_FILTER = b"transformLinkUri:null"
SAFE_MARKDOWN = (
    b"transformLinkUri:void 0,"  # undefined: react-markdown's default filter
    b'disallowedTypes:["image","imageReference"],unwrapDisallowed:!0'
)


def rasa_origin(url: str) -> str:
    """Return the origin of the Rasa server URL, or raise ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"RASA_URL must look like http://127.0.0.1:5005, not {url!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"RASA_URL must be an origin without a path, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa: str) -> str:
    """The page's CSP: everything from this origin, sockets to the Rasa server too."""
    socket = "ws" + rasa.removeprefix("http")
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {rasa} {socket}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def load_bundle() -> bytes:
    """The widget bundle, patched; ValueError if it is not the one the patches fit."""
    if not BUNDLE.is_file():
        raise FileNotFoundError(
            f"{BUNDLE} is missing: run `cd web && npm ci --no-audit --no-fund`"
        )
    bundle, fonts = GOOGLE_FONTS.subn(b"", BUNDLE.read_bytes())
    links = bundle.count(NO_LINK_FILTER)
    if fonts == 0 or links != 1:
        raise ValueError(
            f"{BUNDLE} is not the rasa-webchat 1.0.1 bundle these patches fit "
            f"({fonts} font imports, {links} link filter switches found): "
            "review scripts/serve_web.py"
        )
    return bundle.replace(NO_LINK_FILTER, SAFE_MARKDOWN)


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD for the page, its assets, the widget bundle and /config.js."""

    server_version = "serve_web"

    def __init__(self, *args, bundle: bytes, rasa: str, **kwargs) -> None:
        self.bundle = bundle
        self.rasa = rasa
        super().__init__(*args, **kwargs)

    def version_string(self) -> str:
        """No Python version in the Server header."""
        return self.server_version

    def do_GET(self) -> None:
        """Answer with the file, or 404."""
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        """Answer with the headers only."""
        self._answer(with_body=False)

    def _answer(self, *, with_body: bool) -> None:
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            body, kind = (WEB / "index.html").read_bytes(), TYPES[".html"]
        elif path == "/config.js":
            config = json.dumps({"socketUrl": self.rasa})
            body, kind = f"window.ASSISTANT_CONFIG = {config};\n".encode(), TYPES[".js"]
        elif path == "/vendor/rasa-webchat.js":
            body, kind = self.bundle, TYPES[".js"]
        else:
            file = _static_file(path)
            if file is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            body, kind = file.read_bytes(), TYPES[file.suffix]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", content_security_policy(self.rasa))
        self.end_headers()
        if with_body:
            self.wfile.write(body)


def _static_file(path: str) -> Path | None:
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] not in STATIC_DIRS or ".." in parts:
        return None
    file = (WEB / Path(*parts)).resolve()
    if not file.is_file() or file.suffix not in TYPES:
        return None
    return file if file.is_relative_to(WEB / parts[0]) else None


def main() -> int:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("WEB_PORT", "8080")),
        help="port (default: $WEB_PORT or 8080)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; 0.0.0.0 in a container)",
    )
    parser.add_argument(
        "--rasa-url",
        default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
        help="the Rasa server's origin (default: $RASA_URL or http://127.0.0.1:5005)",
    )
    args = parser.parse_args()
    try:
        rasa = rasa_origin(args.rasa_url)
        bundle = load_bundle()
    except (ValueError, FileNotFoundError) as error:
        print(f"serve_web: {error}", file=sys.stderr)
        return 2
    handler = partial(Handler, bundle=bundle, rasa=rasa)
    with ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(
            f"Page web / web page: http://{args.host}:{server.server_port}/ "
            f"(Rasa: {rasa})",
            flush=True,
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
