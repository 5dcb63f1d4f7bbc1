"""The wheel carries everything `draft` needs: the package, the templates (fonts and
reference.docx), the clause library and the example case; installed on its own (not
editable, no checkout in sight), `draft reply` writes the reply in an empty folder."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CASE_NAME as CASE
from conftest import CHECKOUT as ROOT
from conftest import docx_text


def _source_copy(dest: Path) -> Path:
    """What a release build sees: the packaging files, the package and the data folders,
    plus what a busy checkout holds and the wheel must leave out."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "output", "build")
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("drafting", "templates", "clauses", "letters"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    case = dest / "letters" / CASE
    (case / "released" / "reply.fr" / "v1").mkdir(parents=True, exist_ok=True)
    (case / "released" / "reply.fr" / "v1" / "release.json").write_text("{}", encoding="utf-8")
    (case / "signoffs.yaml").write_text("[]\n", encoding="utf-8")
    other = dest / "letters" / "2022-03-14-ingested"
    other.mkdir(exist_ok=True)
    (other / "letter.yaml").write_text("key: x\n", encoding="utf-8")
    return dest


def _expected() -> set:
    """The files the wheel must hold, from the checkout."""
    def files(folder, pattern="*"):
        return {p for p in (ROOT / folder).rglob(pattern)
                if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")}

    data = {f"drafting/_data/{p.relative_to(ROOT)}" for p in files("templates") | files("clauses", "*.yaml")}
    data |= {"drafting/_data/clauses/README.md"}
    example = [p for p in (ROOT / "letters" / CASE).iterdir()
               if p.is_file() and p.suffix in (".yaml", ".txt") and p.name != "signoffs.yaml"]
    data |= {f"drafting/_data/letters/{CASE}/{p.name}" for p in example}
    code = {str(p.relative_to(ROOT)) for p in files("drafting", "*.py")}
    return data | code


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    src = _source_copy(tmp_path_factory.mktemp("src"))
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--no-index", "-q", "-w", str(dist), str(src)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = dist.glob("draft-*.whl")
    return found


def test_the_wheel_holds_the_package_and_its_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = _expected() - names
    assert not missing, f"not in the wheel (list new packages and data in setup.cfg): {sorted(missing)}"
    for must in ("drafting/_data/templates/reference.docx", "drafting/_data/templates/print.css",
                 "drafting/_data/templates/fonts/SourceSansPro-Regular.ttf",
                 "drafting/_data/templates/reply.html.j2",
                 "drafting/_data/clauses/agreements/readmission.yaml",
                 "drafting/_data/clauses/people.yaml",
                 f"drafting/_data/letters/{CASE}/letter.yaml",
                 f"drafting/_data/letters/{CASE}/brief.yaml"):
        assert must in names
    # a checkout's released versions, sign-offs and other cases are not shipped
    assert not [n for n in names if "/released/" in n or n.endswith("signoffs.yaml")
                or "2022-03-14-ingested" in n]
    assert not [n for n in names if n.startswith(("tests/", "bench/", "templates/", "clauses/"))]
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA"))).decode()
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist: python-redlines")]
    assert requires and all("extra ==" in line for line in requires)  # an optional extra
    assert 'extra == "redline"' in meta


def test_installed_wheel_writes_the_reply_in_an_empty_folder(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                           "--target", str(target), str(wheel)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    here = tmp_path / "empty"
    here.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), XDG_CACHE_HOME=str(tmp_path / "cache"))
    where = subprocess.run(
        [sys.executable, "-c", "import drafting; from drafting.inputs.workspace import embedded;"
                               " print(drafting.__file__); print(embedded())"],
        cwd=here, env=env, capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    module, data = where.stdout.split()
    assert module.startswith(str(target)), module  # the installed copy, not the checkout
    assert data == str(target / "drafting" / "_data")
    run = subprocess.run([sys.executable, "-m", "drafting", "reply", "--lang", "fr", "--format", "docx"],
                         cwd=here, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    written = here / "output" / "reply.fr.docx"
    assert run.stdout.split() == [str(written)]
    text = docx_text(written)
    assert "Premier ministre" in text
    assert sorted(os.listdir(here)) == ["output"]
    assert not (target / "drafting" / "_data" / "output").exists()
