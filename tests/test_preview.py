"""draft preview: refused without the token, from a foreign Origin or Host, outside the
workspace; a picker writes the brief; a real browser sees the page change."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import BRIEF, edit, fingerprint, line_of

from drafting.inputs.sources import load_yaml

starlette = pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from drafting.preview.app import make_app  # noqa: E402

HOST = {"host": "127.0.0.1:8000"}


@pytest.fixture
def client(project):
    app, token = make_app(project)
    yield TestClient(app, base_url="http://127.0.0.1:8000"), token, project
    app.state.worker.close()


def test_token_required_then_cookie(client):
    c, token, _ = client
    assert c.get("/").status_code == 403
    assert c.get("/?token=wrong").status_code == 403
    r = c.get(f"/?token={token}")
    assert r.status_code == 200 and "draft preview" in r.text
    assert c.get("/state").status_code == 200  # the cookie now


@pytest.mark.parametrize("headers, why", [({"host": "evil.example:8000"}, "bad host"),
                                          ({"origin": "http://evil.example"}, "foreign origin"),
                                          ({"origin": "http://127.0.0.1:9999"}, "foreign origin")])
def test_foreign_host_and_origin_refused(client, headers, why):
    c, token, project = client
    before = fingerprint(project)
    r = c.post(f"/position?token={token}", data={"key": "joint-patrols", "position": "accept"},
               headers=headers)
    assert r.status_code == 403 and why in r.text
    assert fingerprint(project) == before


@pytest.mark.parametrize("path", ["/doc/..%2F..%2F..%2Fetc%2Fpasswd", "/doc/../../etc/passwd",
                                  "/pdf/%2Fetc%2Fpasswd.fr", "/print.css/../../../etc/passwd"])
def test_paths_outside_the_workspace_refused(client, path):
    c, token, _ = client
    r = c.get(path + ("&" if "?" in path else "?") + f"token={token}")
    assert r.status_code in (403, 404) and "root:" not in r.text


def test_picker_writes_the_brief_and_read_only_refuses(client, project):
    c, token, _ = client
    r = c.post(f"/position?token={token}", data={"key": "joint-patrols", "position": "accept-with-conditions"})
    assert r.status_code == 200, r.text
    assert load_yaml(project / BRIEF)["positions"]["joint-patrols"] == "accept-with-conditions"
    r = c.post(f"/position?token={token}", data={"key": "joint-patrols", "position": "acept"})
    assert r.status_code == 400 and "did you mean 'accept'" in r.text
    html = c.get(f"/doc/reply.fr?token={token}").text
    assert "<p" in html
    app, t2 = make_app(project, read_only=True)
    ro = TestClient(app, base_url="http://127.0.0.1:8000")
    assert ro.post(f"/position?token={t2}", data={"key": "joint-patrols", "position": "decline"}).status_code == 403


def _element(html, anchor):
    """The start tag of the element whose id is `anchor` and its text up to the next tag."""
    import re
    found = re.search(r'<(\w+)\s[^>]*\bid="' + re.escape(anchor) + r'"[^>]*>([^<]*)', html)
    return found.group(0) if found else None


def test_each_problem_links_to_its_paragraph(client):
    c, token, project = client
    clause = project / "clauses" / "joint-patrols.yaml"
    edit(clause, "Let me be clear: France", 'Let me be "clear": France')  # a warning in reply.en
    quote = line_of(clause, 'Let me be "clear"')
    other = project / "clauses" / "intelligence-cell.yaml"
    edit(other, "\nversion: 2\n", "\nversion: 3\n")  # en_renders, cleared: the clause's paragraph
    metadata = {line_of(other, "en_renders: 2"), line_of(other, "version: 2")}
    for viewing in ("reply.fr", "reply.en"):
        found = c.get(f"/problems?doc={viewing}&token={token}").json()["problems"]
        by_where = {p["where"]: p for p in found}
        # the text's own line: its paragraph in the English reply, whatever is viewed
        p = by_where[f"clauses/joint-patrols.yaml:{quote}"]
        assert p["severity"] == "warning" and p["doc"] == "reply.en", p
        tag = _element(c.get("/doc/reply.en").text, p["anchor"])
        assert tag and 'data-clause="joint-patrols"' in tag and 'data-position="decline"' in tag, tag
        assert 'Let me be "clear"' in tag or "Let me be" in tag
        # a clause's metadata: that clause's first paragraph, in the document viewed
        assert {f"clauses/intelligence-cell.yaml:{n}" for n in metadata} <= set(by_where)
        for n in metadata:
            p = by_where[f"clauses/intelligence-cell.yaml:{n}"]
            assert p["doc"] == viewing, p
            tag = _element(c.get(f"/doc/{viewing}").text, p["anchor"])
            assert tag and 'data-clause="intelligence-cell"' in tag and 'data-para="1"' in tag, tag
    # each paragraph with a provenance has a unique id; none without one has an id
    html = c.get("/doc/reply.fr").text
    import re
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)) > 10
    assert len(ids) == len(re.findall(r'<p [^>]*data-clause=', html))


def test_a_problem_outside_the_documents_has_no_link(client):
    c, token, project = client
    assert c.get(f"/problems?token={token}").json()["problems"] == []  # the default case: clean
    from drafting.errors import Problem
    from drafting.preview.anchors import locate
    assert locate(project, [Problem("x", path="templates/reply.html.j2", line=3)], {}) == [(None, None)]


def test_fonts_of_print_css_served_and_nothing_else(client):
    import re
    c, token, project = client
    assert c.get("/fonts/SourceSansPro-Regular.ttf").status_code == 403  # no token, no cookie
    sheet = c.get(f"/print.css?token={token}")
    assert sheet.status_code == 200
    urls = re.findall(r"url\(([^)]+)\)", sheet.text)
    assert urls and all(u.startswith("fonts/") for u in urls)
    for url in urls:  # relative to /print.css: /fonts/NAME, with the cookie
        r = c.get("/" + url)
        assert r.status_code == 200 and r.headers["content-type"] == "font/ttf", url
        assert r.content == (project / "templates" / url).read_bytes()
    (project / "templates" / "fonts" / "evil.ttf").symlink_to(project / BRIEF)
    (project / "templates" / "secret.ttf").write_bytes(b"not a font of the folder")
    for path in ["/fonts/%2E%2E%2Fprint.css", "/fonts/%2E%2E", "/fonts/..%2F..%2Fclauses%2Fpeople.yaml",
                 "/fonts/%2E%2E%2Fsecret.ttf", "/fonts/evil.ttf", "/fonts/.hidden.ttf",
                 "/fonts/%2Fetc%2Fpasswd", "/fonts/..%5Csecret.ttf"]:
        r = c.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert b"secret" not in r.content and b"positions" not in r.content and b"root:" not in r.content


# -- a real browser ---------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI: no chromium (.ci/run installs it)")
        pytest.skip("no chromium on this machine")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI: playwright is not installed")
        pytest.skip("playwright not installed")
    return sync_playwright


SHOTS = Path("/tmp/preview-shots")


def _draft(project, *args):
    """`draft ...` as a drafter runs it in another terminal (a process): its seconds."""
    import subprocess
    import sys
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "drafting", "--root", str(project), *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return time.perf_counter() - t0


def _text_of(value) -> str:
    """A YAML text as the page shows it: one line, no typography to compare."""
    return " ".join(str(value).split())[:40]


@pytest.fixture
def served(project):
    """The preview of `project` on a free port of 127.0.0.1, in this process."""
    import uvicorn
    app, token = make_app(project)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}/?token={token}"
    server.should_exit = True
    thread.join(5)


def test_in_a_real_browser(project, served, tmp_path):
    """A drafter's session: the check's problem followed to its paragraph, a position
    picked, a clause saved (timed: save to refreshed page), a paragraph added and a
    proposal dropped with the commands; each seen in the page (screenshots)."""
    sync_playwright = _browser()
    clause = project / "clauses" / "joint-patrols.yaml"
    edit(clause, "Let me be clear: France", 'Let me be "clear": France')  # a problem to follow
    quote = line_of(clause, 'Let me be "clear"')
    shots = []

    def shot(page, name):
        page.screenshot(path=str(tmp_path / name))
        shots.append(name)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(served)
            page.wait_for_selector("#doc p[data-clause]")
            page.wait_for_selector("select[data-key='joint-patrols']")
            page.wait_for_function("document.body.dataset.checked && document.body.dataset.live")
            # the fonts of print.css, as in the PDF
            assert page.evaluate("document.fonts.check('11pt \"Source Sans Pro\"')")
            assert page.evaluate("""document.fonts.ready.then(() => [...document.fonts].some(
                f => f.family.includes('Source Sans Pro') && f.status == 'loaded'))""")
            shot(page, "preview-1-opened.png")

            # 1. draft check's problem, followed to its paragraph (in the English reply)
            link = page.locator(f"#problems a:has-text('clauses/joint-patrols.yaml:{quote}')")
            assert link.count() == 1
            link.click()
            page.wait_for_function("document.body.dataset.doc == 'reply.en' && document.querySelector('#doc .hit')")
            hit = page.evaluate("""(() => { const e = document.querySelector('#doc .hit');
                const r = e.getBoundingClientRect();
                return {clause: e.dataset.clause, text: e.innerText, top: r.top, bottom: r.bottom,
                        height: innerHeight, id: e.id}; })()""")
            assert hit["clause"] == "joint-patrols" and 'Let me be "clear"' in hit["text"], hit
            assert 0 <= hit["top"] and hit["bottom"] <= hit["height"], hit  # scrolled to it
            assert link.get_attribute("href") == "#" + hit["id"]
            shot(page, "preview-2-problem-followed.png")

            # 2. a position picked: the paragraph changes in the page and in the brief
            page.click("#docs a[data-doc='reply.fr']")
            page.wait_for_function("document.body.dataset.doc == 'reply.fr'")
            chosen = load_yaml(clause)["positions"]["accept-with-conditions"]["reply"]["fr"]
            page.select_option("select[data-key='joint-patrols']", "accept-with-conditions")
            page.wait_for_function("t => document.getElementById('doc').innerText.replace(/\\s+/g, ' ').includes(t)",
                                   arg=_text_of(chosen), timeout=10000)
            assert load_yaml(project / BRIEF)["positions"]["joint-patrols"] == "accept-with-conditions"
            page.click("#proposals a[data-key='joint-patrols']")
            page.wait_for_selector("#doc .hit[data-clause='joint-patrols'][data-position='accept-with-conditions']")
            shot(page, "preview-3-position-changed.png")

            # 3. a clause saved: the page refreshes by itself, at the reader's scroll position
            y = page.evaluate("window.scrollY")
            assert y > 100
            times = []
            text = clause.read_text(encoding="utf-8")
            assert "Les patrouilles conjointes que vous proposez" in text
            for n in range(3):
                word = f"littoral{n}"
                t0 = time.perf_counter()
                clause.write_text(text.replace("Les patrouilles conjointes que",
                                               f"Les patrouilles conjointes {word} que"), encoding="utf-8")
                page.wait_for_function("w => document.getElementById('doc').innerText.includes(w)",
                                       arg=f"conjointes {word} que", timeout=10000, polling=5)
                times.append(time.perf_counter() - t0)
                assert page.evaluate("window.scrollY") == y
            print(f"\nsave to refreshed reply.fr in the browser: {', '.join(f'{t:.3f}' for t in times)} s"
                  " (goal <= 0.5 s)")
            assert max(times) < 2.0, times  # generous; measured about 0.1 s

            # 4. a paragraph added with the command: it appears where it was placed
            fr = "Je regrette que la ministre de l’Intérieur n’ait pu se joindre à la réunion de Calais."
            _draft(project, "paragraph", "add", "--after", "calais-meeting", "--key", "home-secretary",
                   "--fr", fr, "--en", "I regret that the Home Secretary could not join the Calais meeting.")
            page.wait_for_selector("#doc p[data-clause='home-secretary']", timeout=10000)
            order = page.evaluate("[...document.querySelectorAll('#doc p[data-clause]')].map(e => e.dataset.clause)")
            at = order.index("home-secretary")
            assert order[at - 1] == "calais-meeting", order
            assert "ministre de l’Intérieur n’ait pu" in page.inner_text("#doc p[data-clause='home-secretary']")
            page.evaluate("mark(document.querySelector(\"#doc p[data-clause='home-secretary']\").id, true)")
            shot(page, "preview-4-paragraph-added.png")

            # 5. a proposal dropped with the command: gone from the reply and the pickers
            assert page.locator("#doc p[data-clause='domestic-measures']").count() > 0
            _draft(project, "proposal", "drop", "domestic-measures")
            page.wait_for_function("!document.querySelector(\"#doc p[data-clause='domestic-measures']\")"
                                   " && !document.querySelector(\"select[data-key='domestic-measures']\")",
                                   timeout=10000)
            page.locator("#doc p.close").scroll_into_view_if_needed()
            shot(page, "preview-5-proposal-dropped.png")
            page.wait_for_function("document.body.dataset.checked == document.body.dataset.loaded")
            assert "domestic-measures" not in page.inner_text("#side")
        finally:
            browser.close()
    SHOTS.mkdir(exist_ok=True)
    for name in shots:
        assert (tmp_path / name).stat().st_size > 10_000
        shutil.copy(tmp_path / name, SHOTS / name)
