"""The package's shape is checked, not hoped for: imports point one way down the data
flow (the layers are written once, in .importlinter), and no module is part of an
import cycle, lazy imports inside functions included (grimp reads them all)."""
from __future__ import annotations

import configparser
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("drafting", cache_dir=None)


def _layers():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    raw = config["importlinter:contract:layers"]["layers"]
    return [[m.strip() for m in line.split("|")] for line in raw.strip().splitlines()]


def _sccs(graph, modules):
    """Strongly connected components of the module graph (Tarjan), largest first."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in modules:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for m in sorted(modules):
        if m not in index:
            visit(m)
    return sorted((c for c in out if len(c) > 1), key=len, reverse=True)


def test_imports_point_down_the_layers(graph):
    layers = _layers()
    assert layers[0] == ["drafting.cli"] and layers[-1] == ["drafting.errors"]
    level = {pkg: i for i, row in enumerate(layers) for pkg in row}
    broken = []
    for i, row in enumerate(layers):
        for pkg in row:
            for higher, j in level.items():
                if j < i or (j == i and higher != pkg):  # above, or an independent sibling
                    chains = graph.find_shortest_chains(importer=pkg, imported=higher,
                                                        as_packages=True)
                    broken += [" -> ".join(c) for c in chains]
    assert broken == [], "imports pointing up the layers:\n" + "\n".join(sorted(broken))


def test_every_subpackage_is_in_a_layer(graph):
    named = {pkg for row in _layers() for pkg in row}
    top = {".".join(m.split(".")[:2]) for m in graph.modules if m.count(".") >= 1}
    unplaced = sorted(m for m in top if m not in named and m != "drafting.__main__")
    assert unplaced == [], f"put these in a layer of .importlinter: {unplaced}"


def test_no_module_is_in_an_import_cycle(graph):
    modules = {m for m in graph.modules if m != "drafting"}
    assert _sccs(graph, modules) == []


def test_the_check_fails_on_a_cycle(tmp_path, monkeypatch):
    """The architecture check can fail: a package whose stages import each other is
    caught by both tests' logic."""
    pkg = tmp_path / "cyclic"
    (pkg / "inputs").mkdir(parents=True)
    (pkg / "documents").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "inputs" / "__init__.py").write_text("")
    (pkg / "documents" / "__init__.py").write_text("")
    (pkg / "inputs" / "case.py").write_text("def f():\n    from cyclic.documents import reply\n")
    (pkg / "documents" / "reply.py").write_text("from cyclic.inputs import case\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    g = grimp.build_graph("cyclic", cache_dir=None)
    assert g.find_shortest_chains(importer="cyclic.inputs", imported="cyclic.documents",
                                  as_packages=True)
    assert _sccs(g, {m for m in g.modules if m != "cyclic"}) == [
        ["cyclic.documents.reply", "cyclic.inputs.case"]]
