"""`draft init DIR`: make a drafting workspace a team keeps in git (lifecycle/workspace.py)."""
from __future__ import annotations

import click

__all__ = ["COMMANDS"]


@click.command(epilog="""
\b
Examples:
  draft init calais-2022                        # then: cd calais-2022 && draft pack
  draft init . --templates                      # here, with a copy of the templates to change
""")
@click.argument("directory", type=click.Path(dir_okay=True, file_okay=False))
@click.option("--templates", "with_templates", is_flag=True,
              help="Also copy the shipped templates (print.css, reference.docx, fonts) "
                   "into templates/, to change the documents' look.")
def init(directory, with_templates):
    """Create a drafting workspace in DIRECTORY (made if missing): letters/ with the example
    case, clauses/ (a copy of the clause library, now yours), a README and a .gitignore.
    Keep it in git; run draft commands anywhere inside it."""
    from drafting.lifecycle.workspace import create_workspace
    made = create_workspace(directory, templates=with_templates)
    for path in made:
        click.echo(f"created {path}" + ("/" if path.is_dir() else ""))
    click.echo(f"workspace ready: cd {directory} && draft reply")


COMMANDS = [init]
