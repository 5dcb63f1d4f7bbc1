"""Sign-offs are provable (issue 17, item 5): with the workspace's allowed_signers file (git's
format, roles as principals), `draft signoff --key` signs each clearance with the reviewer's
SSH key (ssh-keygen -Y sign -n draft-signoff) and every reader verifies it (ssh-keygen -Y
verify): another role's key, an entry written by hand, a clearance out of the chain's order
clear nothing. A workspace without keys says so in the brief, and its fair copies say
"clearance not signed"."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import BRIEF, CASE, run_cli

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                                reason="needs ssh-keygen (openssh-client; .ci/run installs it)")

CHAIN = ["desk", "director", "legal", "european-affairs", "private-office"]


def _key(folder, name):
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
                   check=True, capture_output=True)
    return path, (folder / f"{name}.pub").read_text().split()[:2]


@pytest.fixture
def signed(project, tmp_path):
    """A project whose workspace has keys: desk's, and one for the rest of the chain."""
    keys = tmp_path / "keys"
    keys.mkdir()
    desk, desk_pub = _key(keys, "desk")
    rest, rest_pub = _key(keys, "rest")
    (project / "allowed_signers").write_text(
        f"desk {' '.join(desk_pub)}\n{','.join(CHAIN[1:])} {' '.join(rest_pub)}\n", encoding="utf-8")
    brief = project / BRIEF
    text = brief.read_text(encoding="utf-8")
    brief.write_text(re.sub(r"\nsignoff_keys(_reason)?: .*", "", text), encoding="utf-8")
    return project, desk, rest


def cli(project, capsys, *args):
    return run_cli(["--root", str(project), *args], capsys)


def signoff(project, capsys, role, key):
    return cli(project, capsys, "signoff", "reply", "--lang", "fr", "--by", role, "--key", str(key))


def final(project, capsys, out):
    return cli(project, capsys, "reply", "--lang", "fr", "--format", "docx", "--final",
               "--out", str(out))


def test_signed_clearances_in_the_chains_order(signed, capsys, tmp_path):
    project, desk, rest = signed
    code, _, err = cli(project, capsys, "signoff", "reply", "--lang", "fr", "--by", "desk")
    assert code == 2 and "--key" in err  # signed or not at all
    code, _, err = signoff(project, capsys, "director", rest)
    assert code == 2 and "director clears reply.fr after desk" in err and "desk has not" in err, err
    code, _, err = signoff(project, capsys, "desk", rest)
    assert code == 2 and "may not clear as 'desk'" in err, err
    assert signoff(project, capsys, "desk", desk)[0] == 0
    entries = (project / CASE / "signoffs.yaml").read_text(encoding="utf-8")
    assert "BEGIN SSH SIGNATURE" in entries
    code, _, err = signoff(project, capsys, "director", desk)  # desk's key for another role
    assert code == 2 and "may not clear as 'director'" in err, err
    for role in CHAIN[1:]:
        code, out, err = signoff(project, capsys, role, rest)
        assert code == 0, err
    assert "chain complete" in out
    code, out, err = final(project, capsys, tmp_path / "fair")
    assert code == 0, err
    assert "clearance not signed" not in out + err
    assert (tmp_path / "fair" / "reply.fr.docx").exists()


def test_a_hand_written_or_tampered_entry_clears_nothing(signed, capsys, tmp_path):
    project, desk, rest = signed
    assert signoff(project, capsys, "desk", desk)[0] == 0
    path = project / CASE / "signoffs.yaml"
    text = path.read_text(encoding="utf-8")
    entry = text[text.index("- document:"):]
    # the rest of the chain written by hand with the content hash: desk's signature reused,
    # and no signature at all
    forged = "".join(entry.replace("role: desk", f"role: {r}") for r in CHAIN[1:3])
    unsigned = "".join(re.sub(r"  signature: [\s\S]*?(?=\n  [a-z_]+:|\Z)", "",
                              entry.replace("role: desk", f"role: {r}")) for r in CHAIN[3:])
    path.write_text(text + forged + unsigned, encoding="utf-8")
    code, _, err = final(project, capsys, tmp_path / "fair")
    assert code == 2, err
    assert "lacks director, legal, european-affairs, private-office" in err, err
    # the same text with desk's entry changed to another content: desk no longer counts
    path.write_text(text.replace("content: ", "content: 0", 1), encoding="utf-8")
    code, _, err = final(project, capsys, tmp_path / "fair")
    assert code == 2 and "lacks desk, director" in err, err


def test_a_workspace_without_keys_must_say_so(signed, capsys, tmp_path):
    project, desk, _rest = signed
    (project / "allowed_signers").unlink()
    code, _, err = signoff(project, capsys, "desk", desk)
    assert code == 2 and "signoff_keys: none" in err and "allowed_signers" in err, err
    code, _, err = final(project, capsys, tmp_path / "fair")
    assert code == 2 and "signoff_keys: none" in err, err


def test_without_keys_every_fair_copy_says_clearance_not_signed(project, capsys, tmp_path):
    brief = (project / BRIEF).read_text(encoding="utf-8")
    assert "signoff_keys: none" in brief  # the example workspace ships no keys, and says so
    for role in CHAIN:
        assert cli(project, capsys, "signoff", "reply", "--by", role)[0] == 0
    code, out, err = cli(project, capsys, "reply", "--format", "docx", "--final",
                         "--out", str(tmp_path / "fair"))
    assert code == 0, err
    assert "clearance not signed" in out + err
    (project / BRIEF).write_text(brief.replace("\nsignoff_keys_reason:", "\nold_reason:"),
                                 encoding="utf-8")
    code, _, err = cli(project, capsys, "reply", "--format", "docx", "--final",
                       "--out", str(tmp_path / "fair2"))
    assert code == 2 and "signoff_keys_reason" in err, err
