"""The preview: one case's documents as HTML from the same tree as the DOCX and PDF
(templates/print.css's looks), the letter's proposals each with a position picker
(written through lifecycle/decide.set_position, as `draft set position`), the problems
of `draft check`, and a refresh pushed by server-sent events within half a second of a
saved change to the case, the clause library or the templates (watchfiles).

Safe by default: it binds 127.0.0.1 only (cli), every request needs the random token
(in the URL, then a cookie), the Host must be the loopback address it serves and an
Origin, when sent, its own (no DNS rebinding, no cross-site write); it writes the
case's brief only, and never with `read_only`.
"""
from __future__ import annotations

import asyncio
import html
import json
import secrets
from pathlib import Path

__all__ = ["make_app", "new_token"]

COOKIE = "draft_preview"
LOOPBACK = ("127.0.0.1", "localhost")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _page(case_name, token, read_only) -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>draft preview - {html.escape(case_name)}</title>
<link rel="stylesheet" href="/print.css">
<style>body{{margin:0}} #side{{position:fixed;right:0;top:0;width:330px;height:100vh;overflow:auto;
background:#f4f4f4;font:13px sans-serif;padding:8px;box-sizing:border-box}} #main{{margin-right:340px;padding:10px}}
.doc{{background:white;box-shadow:0 0 4px #999;margin:10px auto;padding:20mm;max-width:210mm}}
#side select{{width:100%}} .prob{{color:#900}} .warn{{color:#960}}</style></head>
<body><div id="main"><p id="docs"></p><div id="doc" class="doc"></div></div>
<div id="side"><h3>Proposals</h3><div id="proposals"></div><h3>draft check</h3><div id="problems"></div></div>
<script>
const READ_ONLY = {json.dumps(bool(read_only))};
let current = "reply.fr";
async function load() {{
  const y = window.scrollY;
  const r = await fetch("/doc/" + current);
  document.getElementById("doc").innerHTML = await r.text();
  window.scrollTo(0, y);
  const s = await (await fetch("/state")).json();
  document.getElementById("docs").innerHTML = s.documents.map(d =>
    `<a href="#" onclick="current='${{d}}';load();return false">${{d}}</a> (<a href="/pdf/${{d}}">PDF</a>)`).join(" · ");
  document.getElementById("proposals").innerHTML = s.proposals.map(p =>
    `<p><b>${{p.key}}</b><br><select data-key="${{p.key}}" ${{READ_ONLY ? "disabled" : ""}}>` +
    p.positions.map(x => `<option ${{x == p.position ? "selected" : ""}}>${{x}}</option>`).join("") + `</select></p>`).join("");
  document.querySelectorAll("#proposals select").forEach(el => el.onchange = async () => {{
    const body = new URLSearchParams({{key: el.dataset.key, position: el.value}});
    const r = await fetch("/position", {{method: "POST", body}});
    if (!r.ok) alert(await r.text());
  }});
  document.getElementById("problems").innerHTML = s.problems.map(p =>
    `<p class="${{p.severity == 'error' ? 'prob' : 'warn'}}"><a href="#${{p.anchor}}">${{p.where}}</a>: ${{p.problem}}</p>`).join("") || "no problems";
  document.body.dataset.loaded = String(Date.now());
}}
load();
new EventSource("/events").onmessage = () => load();
</script></body></html>"""


def make_app(root, case=None, token=None, read_only=False, port=None):
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
    from starlette.routing import Route

    root = Path(root).resolve()
    token = token or new_token()
    state = {"version": 0}
    case_dir = root / "letters" / (case or "2021-11-25-uk-pm")

    def allowed(request):
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host
        if name not in LOOPBACK:
            return "bad host"
        origin = request.headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1].rsplit(":", 1)[0] not in LOOPBACK:
            return "foreign origin"
        if origin is not None and origin.split("://", 1)[-1] != host:
            return "foreign origin"
        if request.query_params.get("token") == token or request.cookies.get(COOKIE) == token:
            return None
        return "no token"

    def guarded(handler):
        async def endpoint(request):
            why = allowed(request)
            if why:
                return PlainTextResponse(f"refused: {why}", status_code=403)
            response = await handler(request)
            if request.query_params.get("token") == token:
                response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
            return response
        return endpoint

    def load():
        from drafting.inputs.case import load_case
        c = load_case(root, case)
        c.read_only = True
        return c

    async def page(request):
        return HTMLResponse(_page(case_dir.name, token, read_only))

    async def css(request):
        from drafting.inputs.workspace import templates_for
        path = (templates_for(root) / "print.css").resolve()
        return Response(path.read_bytes(), media_type="text/css")

    def _doc(name):
        from drafting.documents.build import build
        from drafting.documents.registry import KINDS
        kind, _, lang = name.rpartition(".")
        if kind not in KINDS or lang not in ("fr", "en"):
            return None, None
        return load(), (kind, lang)

    async def doc(request):
        c, which = _doc(request.path_params["name"])
        if c is None:
            return PlainTextResponse("no such document", status_code=404)
        from drafting.documents.build import build
        from drafting.errors import DraftError
        try:
            built = await asyncio.to_thread(build, c, *which)
        except DraftError as exc:
            return HTMLResponse(f"<pre class='prob'>{html.escape(str(exc))}</pre>")
        body = built.document.root.find("body")
        from lxml import etree
        inner = "".join(etree.tostring(ch, method="html", encoding="unicode") for ch in body)
        return HTMLResponse(inner)

    async def pdf(request):
        c, which = _doc(request.path_params["name"])
        if c is None:
            return PlainTextResponse("no such document", status_code=404)
        from drafting.api import render_files
        files = await asyncio.to_thread(render_files, c, which[0], langs=(which[1],), formats=("pdf",))
        name, data = next(iter(files.items()))
        return Response(data, media_type="application/pdf")

    async def state_(request):
        from drafting.documents.registry import KINDS
        from drafting.validate.check import check_case
        c = load()
        proposals = [{"key": p.key, "position": str(c.brief.positions.get(p.key) or ""),
                      "positions": list(c.library[p.key].positions) if p.key in c.library else []}
                     for p in c.letter.proposals]
        problems = await asyncio.to_thread(check_case, root, case)
        docs = [f"{k}.{lang}" for k in ("reply",) + tuple(k for k in KINDS if k not in ("reply", "agreement", "matrix"))
                for lang in ("fr", "en")]
        return JSONResponse({"proposals": proposals, "documents": docs, "problems": [
            {"where": f"{Path(str(p.path)).name}:{p.line or ''}", "problem": p.problem,
             "severity": p.severity, "anchor": ""} for p in problems]})

    async def position(request):
        if read_only:
            return PlainTextResponse("read-only preview", status_code=403)
        from urllib.parse import parse_qs
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        form = {k: v[0] for k, v in fields.items()}
        from drafting.errors import DraftError
        from drafting.lifecycle.decide import commit, set_position
        try:
            change = set_position(root, case, str(form.get("key", "")), str(form.get("position", "")))
            if set(Path(p).resolve() for p in change.paths()) != {(case_dir / "brief.yaml").resolve()}:
                return PlainTextResponse("refused: writes only the case's brief", status_code=403)
            commit(change)
        except DraftError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return PlainTextResponse(change.said)

    async def events(request):
        from watchfiles import awatch
        paths = [str(p) for p in (case_dir, root / "clauses", root / "templates") if p.exists()]

        async def stream():
            yield "retry: 500\n\n"
            async for _changes in awatch(*paths, debounce=50, step=20, stop_event=None):
                state["version"] += 1
                yield f"data: {state['version']}\n\n"
        return StreamingResponse(stream(), media_type="text/event-stream")

    return Starlette(routes=[
        Route("/", guarded(page)), Route("/print.css", guarded(css)),
        Route("/doc/{name}", guarded(doc)), Route("/pdf/{name}", guarded(pdf)),
        Route("/state", guarded(state_)), Route("/position", guarded(position), methods=["POST"]),
        Route("/events", guarded(events))]), token


def serve(root, case=None, port=0, read_only=False, echo=print):
    import socket

    import uvicorn
    app, token = make_app(root, case, read_only=read_only)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    echo(f"http://127.0.0.1:{sock.getsockname()[1]}/?token={token}")
    config = uvicorn.Config(app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
