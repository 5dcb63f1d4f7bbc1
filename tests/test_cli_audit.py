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


_INTERRUPT_WHILE_STARTING = """
import builtins, os, signal, sys
real = builtins.__import__
def hooked(name, *args, **kwargs):
    if name.startswith("drafting.cli."):  # the commands, while the CLI is imported
        builtins.__import__ = real
        os.kill(os.getpid(), signal.SIGINT)
    return real(name, *args, **kwargs)
builtins.__import__ = hooked
sys.argv = ["draft", "--version"]
from drafting.__main__ import main
sys.exit(main())
"""


def test_ctrl_c_while_draft_starts_is_130_without_a_traceback(tmp_path):
    """Ctrl-C in the first tenth of a second (the CLI still importing) printed a Python
    traceback and exited 1, the status of a check that found problems."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", _INTERRUPT_WHILE_STARTING], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 130, done.stderr
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == "" and list(tmp_path.iterdir()) == []


def test_the_command_starts_from_the_guarded_entry_point():
    import configparser

    from conftest import CHECKOUT
    cfg = configparser.ConfigParser()
    cfg.read(CHECKOUT / "setup.cfg", encoding="utf-8")
    scripts = cfg["options.entry_points"]["console_scripts"]
    assert "draft = drafting.__main__:main" in [x.strip() for x in scripts.splitlines()]


def test_absorb_is_quiet_with_q(project, tmp_path, capsys):
    """`draft -q absorb`: the brief is written, nothing is said but what was not done."""
    from test_absorb_any import _after_bookmark, _brief, _reply, _rezip
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    reviewed = _rezip(out / "reply.fr.docx", tmp_path / "relu.docx", _after_bookmark(" Ajout."))
    before = _brief(project)
    code, stdout, err = run_cli(["--root", str(project), "-q", "absorb", str(reviewed)], capsys)
    assert code == 0 and stdout == "" and err == "", stdout + err
    assert _brief(project) != before and "Ajout." in _brief(project)
    code, stdout, err = run_cli(["--root", str(project), "-q", "absorb", str(reviewed)], capsys)
    assert code == 0 and stdout == "" and err == ""
