"""draft preview: a live page of the case in the browser (drafting/preview)."""
from __future__ import annotations

import click

from drafting.cli.common import _root, case_option


@click.command(epilog="""
\b
Examples:
  draft preview                      # prints http://127.0.0.1:PORT/?token=...
  draft preview --read-only --port 8765
""")
@case_option()
@click.option("--port", default=0, type=int, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--read-only", is_flag=True, help="No position pickers: nothing is written.")
@click.pass_context
def preview(ctx, case, port, read_only):
    """Serve a live page of the case on 127.0.0.1: its documents as HTML, refreshed
    within half a second of a saved change, the proposals with position pickers (which
    write the brief, as draft set position), the draft check problems. Open the URL it
    prints (its token is required)."""
    from drafting.preview.app import serve
    serve(_root(ctx), case, port, read_only, echo=click.echo)


COMMANDS = [preview]
