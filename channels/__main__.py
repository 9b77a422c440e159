"""Write the Rasa credentials file: `python -m channels [--out var/credentials.yml]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from channels.credentials import channel_credentials, connectors_on, render


def main(argv: list[str] | None = None) -> int:
    """Write the file (or print it without --out) and list the connectors on."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="file to write (default: print)")
    args = parser.parse_args(argv)
    credentials = channel_credentials(os.environ)
    text = render(credentials)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    on = connectors_on(credentials)
    print(f"messaging channels on: {', '.join(on) or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
