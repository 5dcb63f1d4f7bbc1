"""`python -m drafting` and the `draft` command's entry point (setup.cfg, console_scripts:
drafting.__main__:main). Ctrl-C while the command is still starting - importing click's
commands, a tenth of a second - ends it as a Ctrl-C later does (cli.run): one line, exit
status 130, no traceback; nothing has been written yet."""
from __future__ import annotations

import sys


def main():
    try:
        from drafting.cli import run
    except KeyboardInterrupt:
        sys.stderr.write("\ndraft: interrupted - nothing was written\n")
        return 130
    return run()


if __name__ == "__main__":
    sys.exit(main())
