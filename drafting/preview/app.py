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
import contextlib
import html
import re
import secrets
from pathlib import Path

__all__ = ["make_app", "new_token"]

COOKIE = "draft_preview"
LOOPBACK = ("127.0.0.1", "localhost")


def new_token() -> str:
    return secrets.token_urlsafe(24)


FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
              ".txt": "text/plain; charset=utf-8"}
_FONT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _head(document) -> tuple:
    head = document.root.find("head")
    meta = {m.get("name"): m.get("content") or "" for m in head.iter("meta")} if head is not None else {}
    return meta.get("marking", ""), meta.get("draft", "")


def fragment(built) -> str:
    """A built document as the page shows it: its body's paragraphs, each with a
    provenance carrying its anchor id (anchors.sources), between running heads (the
    marking and the draft line the PDF prints in its page margins); a letter's
    suscription, which the PDF sets at the foot of the first page, after the text."""
    from lxml import etree

    from drafting.preview.anchors import anchor_id
    from drafting.tree.links import assign_links
    body = built.document.body
    assign_links(body)
    for el in body.iter():
        if isinstance(el.tag, str) and el.get("data-clause") and anchor_id(el):
            el.set("id", anchor_id(el))
    marking, draft = _head(built.document)

    def out(el):
        return etree.tostring(el, method="html", encoding="unicode", with_tail=True)
    feet = [ch for ch in body if isinstance(ch.tag, str) and ch.tag == "div" and ch.get("class") == "suscription"]
    parts = [f'<div class="run-head"><span class="marking">{html.escape(marking)}</span>'
             f'<span class="draft">{html.escape(draft)}</span></div>',
             f'<div class="body" data-kind="{html.escape(body.get("data-kind") or "")}" '
             f'lang="{html.escape(built.lang)}">']
    parts += [out(ch) for ch in body if ch not in feet]
    parts.append("</div>")
    if feet:
        parts.append('<div class="foot-first"><div class="label">foot of the first page</div>')
        parts += [out(ch) for ch in feet]
        parts.append("</div>")
    parts.append(f'<div class="run-foot"><span class="marking">{html.escape(marking)}</span></div>')
    return "".join(parts)


def make_app(root, case=None, token=None, read_only=False):
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
    from starlette.routing import Route

    from drafting.inputs.case import DEFAULT_CASE
    from drafting.inputs.workspace import templates_for
    from drafting.validate.trial import files_state

    root = Path(root).resolve()
    token = token or new_token()
    case = case or DEFAULT_CASE
    state = {"version": 0}
    case_dir = root / "letters" / case
    templates = templates_for(root).resolve()
    checked: dict = {}          # the last draft check: {"sig": ..., "problems": ..., "paragraphs": ...}
    check_lock = asyncio.Lock()

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

    from drafting.preview.worker import Worker, jobs
    from drafting.preview.worker import load as load_case
    worker = Worker()

    def load():
        return load_case(root, case)

    async def page(request):
        from drafting.preview.page import page as html_page
        return HTMLResponse(html_page(case_dir.name, read_only))

    async def css(request):
        path = templates / "print.css"
        if not path.is_file():
            return PlainTextResponse("no print.css", status_code=404)
        return Response(path.read_bytes(), media_type="text/css", headers={"cache-control": "no-cache"})

    async def font(request):
        """templates/fonts/NAME only: a plain name of a file of that folder itself."""
        name = request.path_params["name"]
        folder = (templates / "fonts").resolve()
        path = (folder / name).resolve() if _FONT_NAME.fullmatch(name) and ".." not in name else None
        if path is None or path.parent != folder or not path.is_file() or \
                path.suffix.lower() not in FONT_TYPES:
            return PlainTextResponse("no such font", status_code=404)
        return Response(path.read_bytes(), media_type=FONT_TYPES[path.suffix.lower()],
                        headers={"cache-control": "max-age=3600"})

    def render(name):
        from drafting.documents.build import build
        c = load()
        which = jobs(c).get(name)
        if which is None:
            return None
        kind, lang, opts = which
        return fragment(build(c, kind, lang, **opts))

    async def doc(request):
        from drafting.errors import DraftError
        try:
            text = await asyncio.to_thread(render, request.path_params["name"])
        except DraftError as exc:
            return HTMLResponse(f"<pre class='prob'>{html.escape(str(exc))}</pre>")
        if text is None:
            return PlainTextResponse("no such document", status_code=404)
        return HTMLResponse(text)

    async def pdf(request):
        from drafting.errors import DraftError
        from drafting.preview import worker as work
        try:
            data = await worker.run(work.pdf, str(root), case, request.path_params["name"])
        except DraftError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        if data is None:
            return PlainTextResponse("no such document", status_code=404)
        return Response(data, media_type="application/pdf")

    async def state_(request):
        from drafting.errors import DraftError
        sheet = templates / "print.css"
        out = {"css": str(sheet.stat().st_mtime_ns) if sheet.is_file() else "", "proposals": [],
               "documents": [], "error": None}
        try:
            c = await asyncio.to_thread(load)
            for p in c.letter.proposals:
                clause = c.library.get(p.key)
                title = (clause.title or {}).get("fr") if clause is not None else None
                out["proposals"].append({"key": p.key, "position": str(c.brief.positions.get(p.key) or ""),
                                         "title": str(title or ""),
                                         "positions": list(clause.positions) if clause is not None else []})
            out["documents"] = list(await asyncio.to_thread(jobs, c))
        except DraftError as exc:
            out["error"] = str(exc)
        return JSONResponse(out)

    async def problems_(request):
        from drafting.preview.anchors import locate
        async with check_lock:
            sig = files_state(root / "clauses", case_dir, templates)
            if checked.get("sig") != sig:
                from drafting.preview import worker as work
                try:
                    checked.update(await worker.run(work.check, str(root), case), sig=sig)
                except Exception as exc:  # noqa: BLE001 - said on the page, the server goes on
                    checked.clear()
                    return JSONResponse({"problems": [], "error": f"draft check could not run: "
                                                                  f"{type(exc).__name__}: {exc}"})
        found, paragraphs = checked["problems"], checked["paragraphs"]
        where = locate(root, found, paragraphs, current=request.query_params.get("doc"))
        out = []
        for p, (name, anchor) in zip(found, where):
            path = Path(str(p.path)) if p.path else None
            if path is not None and path.is_absolute() and path.is_relative_to(root):
                path = path.relative_to(root)
            out.append({"where": f"{path.as_posix()}{':' + str(p.line) if p.line else ''}" if path else "",
                        "problem": p.problem, "hint": p.hint or "", "severity": p.severity,
                        "code": p.code or "", "doc": name or "", "anchor": anchor or ""})
        return JSONResponse({"problems": out, "error": None})

    async def position(request):
        if read_only:
            return PlainTextResponse("read-only preview", status_code=403)
        from urllib.parse import parse_qs
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        form = {k: v[0] for k, v in fields.items()}
        from drafting.errors import DraftError
        from drafting.lifecycle.decide import commit, set_position

        def write():
            change = set_position(root, case, str(form.get("key", "")), str(form.get("position", "")))
            if set(Path(p).resolve() for p in change.paths()) != {(case_dir / "brief.yaml").resolve()}:
                return None
            commit(change)
            return change.said
        try:
            said = await asyncio.to_thread(write)
        except DraftError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        if said is None:
            return PlainTextResponse("refused: writes only the case's brief", status_code=403)
        return PlainTextResponse(said)

    # One watcher for the app (started with it, or by the first page that listens): every
    # saved change of the case, the clause library or the templates bumps the version
    # and wakes the pages' event streams.
    changed = asyncio.Condition()
    watching: dict = {}

    async def watch(stop):
        from watchfiles import awatch
        paths = [str(p) for p in (case_dir, root / "clauses", templates) if p.exists()]
        # step: a change is yielded once 20 ms pass without another (an editor's
        # write-then-rename is one event); debounce bounds a burst at 100 ms
        async for _changes in awatch(*paths, debounce=100, step=20, stop_event=stop, rust_timeout=500):
            state["version"] += 1
            async with changed:
                changed.notify_all()

    def start_watching():
        if "task" not in watching or watching["task"].done():
            watching["stop"] = asyncio.Event()
            watching["task"] = asyncio.get_running_loop().create_task(watch(watching["stop"]))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        start_watching()
        worker.start()
        try:
            yield
        finally:
            worker.close()
            watching["stop"].set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(watching["task"], 2)

    async def events(request):
        start_watching()

        async def stream():
            seen = state["version"]
            yield "retry: 500\n\n"
            while True:
                async with changed:  # (nothing is sent holding the lock)
                    try:
                        await asyncio.wait_for(changed.wait_for(
                            lambda last=seen: state["version"] != last or state.get("closing")), 15)
                        news = True
                    except asyncio.TimeoutError:
                        news = False
                if state.get("closing"):
                    return  # the server stops: the page reconnects to the next one
                if not news:
                    yield ": still here\n\n"  # a comment: the page ignores it, a gone page ends the stream
                    continue
                seen = state["version"]
                yield f"data: {seen}\n\n"
        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"cache-control": "no-cache"})

    app = Starlette(lifespan=lifespan, routes=[
        Route("/", guarded(page)), Route("/print.css", guarded(css)),
        Route("/fonts/{name}", guarded(font)),
        Route("/doc/{name}", guarded(doc)), Route("/pdf/{name}", guarded(pdf)),
        Route("/state", guarded(state_)), Route("/problems", guarded(problems_)),
        Route("/position", guarded(position), methods=["POST"]),
        Route("/events", guarded(events))])
    app.state.worker = worker  # (closed with the app's lifespan; tests close it themselves)

    def closing(loop):
        """The server is stopping (serve's signal handler): end the event streams, which
        would otherwise hold the shutdown until its timeout."""
        state["closing"] = True

        async def wake():
            async with changed:
                changed.notify_all()
        loop.call_soon_threadsafe(lambda: loop.create_task(wake()))
    app.state.closing = closing
    return app, token


def serve(root, case=None, port=0, read_only=False, echo=print):
    import socket

    import uvicorn
    app, token = make_app(root, case, read_only=read_only)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)  # the URL printed is one a browser can open at once (queued until served)
    echo(f"http://127.0.0.1:{sock.getsockname()[1]}/?token={token}")
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            with contextlib.suppress(RuntimeError):  # no loop yet: nothing streams
                app.state.closing(asyncio.get_running_loop())
            super().handle_exit(sig, frame)
    Server(config).run(sockets=[sock])
