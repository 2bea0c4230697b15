// Server-rendered pages: recent events and runs, one run with its steps,
// one event with its runs. Everything shown is escaped.
import type { RunSummary } from "../api-types";
import type { EventView, RunDetail } from "../store/queries";

export function escapeHtml(value: unknown): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : String(value);
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function pretty(value: unknown): string {
  if (value === undefined) return "";
  try {
    return JSON.stringify(value, null, 2) ?? "";
  } catch {
    return String(value);
  }
}

function pre(value: unknown): string {
  const text = pretty(value);
  return text === "" ? "" : `<pre>${escapeHtml(text.length > 20_000 ? `${text.slice(0, 20_000)}\n…` : text)}</pre>`;
}

function layout(title: string, body: string, refresh = false): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh ? '<meta http-equiv="refresh" content="3">' : ""}
<title>${escapeHtml(title)} · local Inngest engine</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222;background:#fafafa}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}pre{margin:0;white-space:pre-wrap;word-break:break-word;max-height:20em;overflow:auto;font-size:12px}
.s-running{color:#b36b00}.s-completed{color:#1a7f37}.s-failed{color:#cf222e}.s-cancelled{color:#6e7781}
nav a{margin-right:1rem}code{background:#eee;padding:0 3px}
</style></head><body>
<nav><a href="/">Runs &amp; events</a><a href="/functions">Functions</a><a href="/api/runs">JSON: runs</a><a href="/api/events">JSON: events</a></nav>
${body}
</body></html>`;
}

function statusCell(status: string): string {
  return `<span class="s-${escapeHtml(status)}">${escapeHtml(status)}</span>`;
}

function runRows(runs: RunSummary[]): string {
  if (runs.length === 0) return `<tr><td colspan="5">No runs.</td></tr>`;
  return runs
    .map(
      (r) => `<tr><td><a href="/runs/${encodeURIComponent(r.id)}"><code>${escapeHtml(r.id)}</code></a></td>
<td>${escapeHtml(r.functionSlug ?? r.functionId)}</td><td>${statusCell(r.status)}</td>
<td>${r.eventId ? `<a href="/events/${encodeURIComponent(r.eventId)}">${escapeHtml(r.eventName)}</a>` : escapeHtml(r.eventName)}</td>
<td>${escapeHtml(r.startedAt)}${r.endedAt ? ` → ${escapeHtml(r.endedAt)}` : ""}</td></tr>`,
    )
    .join("\n");
}

export function homePage(data: { events: EventView[]; runs: RunSummary[]; clock: { now: string; offsetMs: number } }): string {
  const events = data.events.length
    ? data.events
        .map(
          (e) => `<tr><td><a href="/events/${encodeURIComponent(e.id)}"><code>${escapeHtml(e.id)}</code></a></td>
<td>${escapeHtml(e.name)}</td><td><code>${escapeHtml(e.eventId)}</code>${e.deduplicated ? " (duplicate)" : ""}</td><td>${escapeHtml(e.receivedAt)}</td></tr>`,
        )
        .join("\n")
    : `<tr><td colspan="4">No events.</td></tr>`;
  return layout(
    "Runs",
    `<h1>Local Inngest engine</h1>
<p>Engine time ${escapeHtml(data.clock.now)} (offset ${escapeHtml(data.clock.offsetMs)} ms). This page refreshes every 3 s.</p>
<h2>Recent runs</h2>
<table><tr><th>Run</th><th>Function</th><th>Status</th><th>Event</th><th>Time</th></tr>${runRows(data.runs)}</table>
<h2>Recent events</h2>
<table><tr><th>Internal id</th><th>Name</th><th>Event id</th><th>Received</th></tr>${events}</table>`,
    true,
  );
}

export function runPage(detail: RunDetail): string {
  const { run } = detail;
  const steps = detail.steps.length
    ? detail.steps
        .map(
          (s) => `<tr><td>${s.position}</td><td>${escapeHtml(s.name ?? s.id)}<br><code>${escapeHtml(s.id.slice(0, 12))}</code></td>
<td>${escapeHtml(s.kind ?? s.op)}</td><td>${escapeHtml(s.attempt)}</td><td>${pre(s.input)}</td>
<td>${s.error !== undefined ? `<strong>error</strong>${pre(s.error)}` : pre(s.output)}</td><td>${escapeHtml(s.at)}</td></tr>`,
        )
        .join("\n")
    : `<tr><td colspan="7">No step results yet.</td></tr>`;
  const waits = [
    ...detail.waitingFor.pauses.map(
      (
        p,
      ) => `<li>${escapeHtml(p.kind === "wait" ? "waiting for event" : "waiting for invoked function")} <code>${escapeHtml(p.event)}</code>
${p.expression ? ` if <code>${escapeHtml(p.expression)}</code>` : ""} (step ${escapeHtml(p.stepName ?? p.stepId)}), until ${escapeHtml(p.expiresAt)}</li>`,
    ),
    ...detail.waitingFor.jobs.map(
      (j) =>
        `<li>${escapeHtml(j.kind)}${j.stepName ? ` (${escapeHtml(j.stepName)})` : ""} due ${escapeHtml(j.runAt)}, attempt ${escapeHtml(j.attempt)}${j.running ? " — running now" : ""}</li>`,
    ),
  ];
  const history = detail.history
    .map(
      (h) => `<tr><td>${escapeHtml(h.at)}</td><td>${escapeHtml(h.kind)}</td><td>${escapeHtml(h.stepName ?? "")}</td>
<td>${escapeHtml(h.attempt ?? "")}</td><td>${escapeHtml(h.durationMs ?? "")}</td><td>${pre(h.detail ?? undefined)}</td></tr>`,
    )
    .join("\n");
  return layout(
    `Run ${run.id}`,
    `<h1>Run <code>${escapeHtml(run.id)}</code></h1>
<table>
<tr><th>Function</th><td>${escapeHtml(run.functionId)}</td></tr>
<tr><th>Status</th><td>${statusCell(run.status)}</td></tr>
<tr><th>Event</th><td>${run.eventId ? `<a href="/events/${encodeURIComponent(run.eventId)}">${escapeHtml(run.eventName)}</a>` : escapeHtml(run.eventName)}</td></tr>
<tr><th>Started</th><td>${escapeHtml(run.startedAt)}</td></tr>
<tr><th>Ended</th><td>${escapeHtml(run.endedAt ?? "")}</td></tr>
${run.status === "completed" ? `<tr><th>Output</th><td>${pre(run.output)}</td></tr>` : ""}
${run.error ? `<tr><th>Error</th><td>${pre(run.error)}</td></tr>` : ""}
</table>
<h2>Waiting for</h2>${waits.length ? `<ul>${waits.join("\n")}</ul>` : "<p>Nothing.</p>"}
<h2>Steps</h2>
<table><tr><th>#</th><th>Step</th><th>Kind</th><th>Attempt</th><th>Input</th><th>Output / error</th><th>At</th></tr>${steps}</table>
<h2>History</h2>
<table><tr><th>At</th><th>What</th><th>Step</th><th>Attempt</th><th>ms</th><th>Detail</th></tr>${history}</table>
<h2>Triggering event</h2>${pre(run.event)}`,
    run.status === "running",
  );
}

export function eventPage(event: EventView, runs: RunSummary[]): string {
  return layout(
    `Event ${event.name}`,
    `<h1>Event <code>${escapeHtml(event.name)}</code></h1>
<p>Internal id <code>${escapeHtml(event.id)}</code>, event id <code>${escapeHtml(event.eventId)}</code>, received ${escapeHtml(event.receivedAt)}${
      event.deduplicated ? " — duplicate id within 24 h: no run started" : ""
    }</p>
<h2>Runs</h2><table><tr><th>Run</th><th>Function</th><th>Status</th><th>Event</th><th>Time</th></tr>${runRows(runs)}</table>
<h2>Payload</h2>${pre(event.payload)}`,
  );
}

export function functionsPage(
  functions: Array<{ id: string; appId: string; name: string; url: string; deleted: boolean; triggers: unknown }>,
): string {
  const rows = functions.length
    ? functions
        .map(
          (f) => `<tr><td><a href="/?function=${encodeURIComponent(f.id)}">${escapeHtml(f.id)}</a>${f.deleted ? " (removed)" : ""}</td>
<td>${escapeHtml(f.name)}</td><td>${escapeHtml(f.appId)}</td><td>${pre(f.triggers)}</td><td>${escapeHtml(f.url)}</td></tr>`,
        )
        .join("\n")
    : `<tr><td colspan="5">No functions: sync an app (POST /api/sync).</td></tr>`;
  return layout(
    "Functions",
    `<h1>Functions</h1><table><tr><th>Id</th><th>Name</th><th>App</th><th>Triggers</th><th>URL</th></tr>${rows}</table>`,
  );
}

export function notFoundPage(what: string): string {
  return layout("Not found", `<h1>Not found</h1><p>${escapeHtml(what)}</p>`);
}
