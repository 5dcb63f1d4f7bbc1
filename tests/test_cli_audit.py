"""What a shell user tries (issue 15, item 5 audit): draft's own options typed after the
command say where they go."""
from __future__ import annotations

from conftest import run_cli


def test_drafts_own_options_after_the_command_say_where_they_go(workspace, capsys):
    for args, said in ((["reply", "-q"], "draft -q reply"),
                       (["reply", "--verbose"], "draft --verbose reply"),
                       (["reply", "--root", "x"], "draft --root DIR reply"),
                       (["set", "position", "joint-patrols", "accept", "-v"],
                        "draft -v set position")):
        code, out, err = run_cli(["--root", str(workspace), *args], capsys)
        assert code == 2 and "goes before the command" in err and said in err, err
        assert out == "" and "Traceback" not in err
    code, _, err = run_cli(["--root", str(workspace), "reply", "--nosuch"], capsys)
    assert code == 2 and "--nosuch" in err and "before the command" not in err
