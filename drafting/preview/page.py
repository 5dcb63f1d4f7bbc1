"""The preview's one page: the document being viewed (HTML fragments from /doc, styled
by templates/print.css and its fonts, as the PDF), the proposals with their position
pickers, draft check's problems each linking to its paragraph; refreshed on each
server-sent event (/events) keeping the scroll position."""
from __future__ import annotations

import html
import json

__all__ = ["page"]

STYLE = """
html { background: #e8e8e8; overflow-anchor: none; }
body { margin: 0; }
#bar { position: sticky; top: 0; z-index: 2; background: #f7f7f7; border-bottom: 1px solid #ccc;
  font: 13px/1.5 "Source Sans Pro", sans-serif; padding: 4px 350px 4px 10px; }
#bar a { color: #1c4fa0; text-decoration: none; }
#bar .tab { display: inline-block; margin: 0 10px 0 0; white-space: nowrap; }
#bar .tab.on > a:first-child { font-weight: 700; color: #111; border-bottom: 2px solid #a01010; }
#bar .pdf { font-size: 11px; color: #666; }
#main { margin-right: 340px; padding: 12px 10px 40px; }
#doc { background: white; box-shadow: 0 0 4px #999; margin: 0 auto; width: 210mm;
  min-height: 297mm; padding: 14mm 25mm 18mm; box-sizing: border-box; position: relative; }
#doc .run-head, #doc .run-foot { display: grid; grid-template-columns: 1fr auto 1fr; align-items: end;
  column-gap: 4mm; margin: 0 0 11mm; min-height: 6mm; }
#doc .run-head .marking, #doc .run-foot .marking { grid-column: 2; text-align: center; white-space: nowrap;
  font: 700 8.5pt "Source Sans Pro"; color: #a01010; }
#doc .run-head .draft { grid-column: 3; font: 400 7.5pt "Source Sans Pro"; color: #555; text-align: right; }
#doc .run-foot { margin: 14mm 0 0; }
#doc .foot-first { margin-top: 16mm; border-top: 1px dashed #bbb; padding-top: 3mm; }
#doc .foot-first div.suscription { position: static; width: 130mm; }
#doc .label { font: 11px "Source Sans Pro", sans-serif; color: #888; margin-bottom: 2mm; }
#doc pre.prob { white-space: pre-wrap; font: 12px monospace; color: #900; }
#doc [data-clause]:hover { background: #f4f8ff; }
#doc .hit, #doc .hit:hover { background: #fff2b3; outline: 2px solid #e0a000; outline-offset: 2px; }
#side { position: fixed; right: 0; top: 0; width: 330px; height: 100vh; overflow: auto; z-index: 3;
  background: #f4f4f4; border-left: 1px solid #ccc; font: 13px/1.35 "Source Sans Pro", sans-serif;
  padding: 8px 10px; box-sizing: border-box; }
#side h3 { font-size: 14px; margin: 10px 0 6px; }
#side .proposal { margin: 0 0 8px; }
#side .proposal a { color: #111; font-weight: 700; text-decoration: none; }
#side .proposal .title { color: #555; font-size: 12px; }
#side select { width: 100%; font: inherit; }
#side .problem { margin: 0 0 8px; }
#side .problem a { font-family: monospace; font-size: 11px; }
#side .problem .hint { color: #666; font-size: 12px; }
#side .error { color: #900; } #side .warning { color: #8a5a00; }
#status { min-height: 1.2em; font-size: 12px; color: #555; }
#status.bad { color: #900; }
"""

SCRIPT = """
const READ_ONLY = __READ_ONLY__;
const DEFAULT = "reply." + __LANG__;
let current = sessionStorage.getItem("draft-preview-doc") || DEFAULT;
let loads = 0, css = null, hit = null;

function esc(s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
    '"': "&quot;", "'": "&#39;"})[c]);
}
let statusTimer = null;
function status(text, bad) {
  const el = document.getElementById("status");
  el.textContent = text; el.className = bad ? "bad" : "";
  clearTimeout(statusTimer);
  if (!bad && text) statusTimer = setTimeout(() => status(""), 8000);
}

async function loadDoc() {
  const r = await fetch("/doc/" + encodeURIComponent(current));
  if (r.status == 404 && current != DEFAULT) { current = DEFAULT; return loadDoc(); }
  const text = await r.text();
  const y = window.scrollY;
  document.getElementById("doc").innerHTML = text;
  window.scrollTo(0, y);
  if (hit) mark(hit, false);
  document.body.dataset.doc = current;
  document.body.dataset.loaded = String(++loads);
}

async function loadState() {
  const s = await (await fetch("/state")).json();
  if (css !== null && s.css !== css)
    document.getElementById("print-css").href = "/print.css?v=" + encodeURIComponent(s.css);
  css = s.css;
  document.getElementById("docs").innerHTML = s.documents.map(d =>
    `<span class="tab${d == current ? " on" : ""}"><a href="#" data-doc="${esc(d)}">${esc(d)}</a> ` +
    `<a class="pdf" href="/pdf/${encodeURIComponent(d)}" target="_blank">PDF</a></span>`).join("");
  document.querySelectorAll("#docs a[data-doc]").forEach(a => a.onclick = e => {
    e.preventDefault(); show(a.dataset.doc); });
  document.getElementById("proposals").innerHTML = s.error ? `<div class="error">${esc(s.error)}</div>` :
    s.proposals.map(p => `<div class="proposal"><a href="#" data-key="${esc(p.key)}">${esc(p.key)}</a>` +
      (p.title ? ` <span class="title">${esc(p.title)}</span>` : "") +
      `<br><select data-key="${esc(p.key)}" ${READ_ONLY ? "disabled" : ""}>` +
      (p.position ? "" : `<option value="" selected>(no position)</option>`) +
      p.positions.map(x => `<option ${x == p.position ? "selected" : ""}>${esc(x)}</option>`).join("") +
      `</select></div>`).join("");
  document.querySelectorAll("#proposals a[data-key]").forEach(a => a.onclick = e => {
    e.preventDefault();
    const el = document.querySelector(`#doc [data-clause="${CSS.escape(a.dataset.key)}"][id]`);
    if (el) mark(el.id, true); else status(a.dataset.key + ": not in " + current);
  });
  document.querySelectorAll("#proposals select").forEach(el => el.onchange = () => pick(el));
}

async function loadProblems() {
  const s = await (await fetch("/problems?doc=" + encodeURIComponent(current))).json();
  const list = s.problems.map(p => `<div class="problem ${p.severity}">` +
    (p.anchor ? `<a href="#${esc(p.anchor)}" data-doc="${esc(p.doc)}" ` +
                `data-anchor="${esc(p.anchor)}">${esc(p.where)}</a>`
              : `<span>${esc(p.where)}</span>`) +
    `: ${esc(p.problem)}` + (p.hint ? `<div class="hint">${esc(p.hint)}</div>` : "") + `</div>`);
  document.getElementById("problems").innerHTML = s.error ? `<div class="problem error">${esc(s.error)}</div>` :
    (list.join("") || "no problems");
  document.querySelectorAll("#problems a[data-anchor]").forEach(a => a.onclick = async e => {
    e.preventDefault();
    if (a.dataset.doc && a.dataset.doc != current) await show(a.dataset.doc);
    mark(a.dataset.anchor, true);
  });
  document.body.dataset.checked = String(loads);
}

function mark(id, scroll) {
  document.querySelectorAll("#doc .hit").forEach(e => e.classList.remove("hit"));
  const el = document.getElementById(id);
  if (!el) return;
  hit = id;
  el.classList.add("hit");
  if (scroll) el.scrollIntoView({block: "center"});
}

// Each pipeline runs once at a time and once more if asked meanwhile; the document
// never waits for draft check (slower) to finish.
function coalesced(work) {
  let busy = null, again = false;
  return async function run() {
    if (busy) { again = true; return busy; }
    busy = (async () => {
      do {
        again = false;
        try { await work(); } catch (e) { status("refresh failed: " + e, true); }
      } while (again);
    })();
    try { await busy; } finally { busy = null; }
  };
}
const refreshDoc = coalesced(async () => { await loadDoc(); await loadState(); });
const refreshProblems = coalesced(loadProblems);
function refresh() { refreshProblems(); return refreshDoc(); }

async function show(name) {
  current = name; hit = null;
  sessionStorage.setItem("draft-preview-doc", name);
  window.scrollTo(0, 0);
  await refresh();
}

async function pick(el) {
  status("writing " + el.dataset.key + " ...");
  const body = new URLSearchParams({key: el.dataset.key, position: el.value});
  const r = await fetch("/position", {method: "POST", body});
  const text = await r.text();
  status(text, !r.ok);
  await refresh();
}

refresh();
const events = new EventSource("/events");
events.onopen = () => { document.body.dataset.live = "1"; };
events.onerror = () => { document.body.dataset.live = ""; };
events.onmessage = () => refresh();
"""


def page(case_name, read_only, lang="fr") -> str:
    script = SCRIPT.replace("__READ_ONLY__", json.dumps(bool(read_only))).replace("__LANG__", json.dumps(lang))
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>draft preview - {html.escape(case_name)}</title>
<link id="print-css" rel="stylesheet" href="/print.css">
<style>{STYLE}</style></head>
<body><div id="bar"><span id="docs"></span></div>
<div id="main"><div id="doc"></div></div>
<div id="side"><div id="status"></div><h3>Proposals</h3><div id="proposals"></div>
<h3>draft check</h3><div id="problems">checking ...</div></div>
<script>{script}</script></body></html>"""
