// Server-rendered pages for an operator: recent runs and events, a run list
// with filters, one run (what it is doing in words, its distinct errors, its
// steps and history), one event, the functions and their settings. Everything
// shown is escaped; there is no script (forms are plain GET forms), so the
// pages work without JavaScript under the strict CSP set in util.ts.
import type { RunSummary } from "../api-types";
import { describeRunState, errorGroups, errorStack, errorTitle, functionSettings, RUN_STATES, type RunState } from "../inspect";
import { RUN_STATUSES } from "../types";
import { RETRY_ERROR_KINDS, type EventView, type FunctionView, type RunDetail, type RunStateRows } from "../store/queries";

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

/** A preformatted block, cut at 20,000 characters (a payload can be large). */
function preText(text: string): string {
  return `<pre>${escapeHtml(text.length > 20_000 ? `${text.slice(0, 20_000)}\n…` : text)}</pre>`;
}

function pre(value: unknown): string {
  const text = pretty(value);
  return text === "" ? "" : preText(text);
}

/** A stack trace, folded: the operator opens it when the message is not enough. */
function folded(summary: string, text: string | undefined): string {
  if (!text) return "";
  return `<details><summary>${escapeHtml(summary)}</summary>${preText(text)}</details>`;
}

/** An error as "Name: message" with its stack folded. */
function errorHtml(error: unknown): string {
  return `<strong class="err">${escapeHtml(errorTitle(error))}</strong>${folded("stack trace", errorStack(error))}`;
}

/** JSON of a history detail, its error's stack taken out and folded. */
function detailHtml(detail: unknown): string {
  if (detail === null || detail === undefined) return "";
  const error = (detail as { error?: unknown }).error;
  const stack = errorStack(error);
  if (!stack || typeof detail !== "object") return pre(detail);
  const { stack: _stack, ...rest } = error as Record<string, unknown>;
  return pre({ ...(detail as Record<string, unknown>), error: rest }) + folded("stack trace", stack);
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
.badge{display:inline-block;padding:0 6px;border-radius:3px;border:1px solid;font-weight:600;font-size:12px;text-transform:uppercase}
.b-running,.b-queued{color:#0a58ca}.b-completed{color:#1a7f37}.b-failed{color:#cf222e}.b-cancelled{color:#6e7781}
.b-retrying{color:#fff;background:#cf222e;border-color:#cf222e}.b-waiting{color:#8250df}.b-sleeping{color:#b36b00}
.state{margin:2px 0 0;padding-left:1.2rem;font-size:12px}.err{color:#cf222e}.note{color:#6e7781;font-size:12px}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:1rem 0}form.filters label{display:flex;flex-direction:column;font-size:12px}
.error-box{border:1px solid #cf222e;background:#fff0f0;padding:.5rem 1rem}
nav a{margin-right:1rem}code{background:#eee;padding:0 3px}summary{cursor:pointer;font-size:12px}dt{font-weight:600;margin-top:.4rem}
</style></head><body>
<nav><a href="/">Overview</a><a href="/runs">Runs</a><a href="/functions">Functions</a><a href="/api/runs">JSON: runs</a><a href="/api/events">JSON: events</a></nav>
${body}
</body></html>`;
}

function badge(word: string): string {
  return `<span class="badge b-${escapeHtml(word)}">${escapeHtml(word)}</span>`;
}

/** The run's state: a badge word plus, for a running run, what it is doing. */
function stateHtml(state: RunState): string {
  const details = state.details.length ? `<ul class="state">${state.details.map((d) => `<li>${escapeHtml(d)}</li>`).join("")}</ul>` : "";
  return badge(state.badge) + details;
}

function stateOf(run: RunSummary, rows: RunStateRows | undefined): RunState {
  return describeRunState({
    status: run.status,
    jobs: rows?.jobs ?? [],
    pauses: rows?.pauses ?? [],
    maxAttempts: rows?.maxAttempts ?? 1,
    lastRetryError: rows?.lastRetryError,
  });
}

function runRows(runs: RunSummary[], states: Map<string, RunStateRows>): string {
  if (runs.length === 0) return `<tr><td colspan="5">No runs.</td></tr>`;
  return runs
    .map(
      (r) => `<tr><td><a href="/runs/${encodeURIComponent(r.id)}"><code>${escapeHtml(r.id)}</code></a></td>
<td><a href="/functions/${encodeURIComponent(r.functionId)}">${escapeHtml(r.functionSlug ?? r.functionId)}</a></td><td>${stateHtml(stateOf(r, states.get(r.id)))}</td>
<td>${r.eventId ? `<a href="/events/${encodeURIComponent(r.eventId)}">${escapeHtml(r.eventName)}</a>` : escapeHtml(r.eventName)}</td>
<td>${escapeHtml(r.startedAt)}${r.endedAt ? ` → ${escapeHtml(r.endedAt)}` : ""}</td></tr>`,
    )
    .join("\n");
}

const RUN_TABLE_HEAD = "<tr><th>Run</th><th>Function</th><th>State</th><th>Event</th><th>Time</th></tr>";

export function homePage(data: {
  events: EventView[];
  runs: RunSummary[];
  states: Map<string, RunStateRows>;
  clock: { now: string; offsetMs: number };
}): string {
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
<p>Engine time ${escapeHtml(data.clock.now)} (offset ${escapeHtml(data.clock.offsetMs)} ms). This page refreshes every 3 s;
<a href="/runs">filter runs</a> by status, function or event data on a page that does not.</p>
<h2>Recent runs</h2>
<table>${RUN_TABLE_HEAD}${runRows(data.runs, data.states)}</table>
<h2>Recent events</h2>
<table><tr><th>Internal id</th><th>Name</th><th>Event id</th><th>Received</th></tr>${events}</table>`,
    true,
  );
}

/** The run list's filters as the operator typed them (echoed back into the form). */
export interface RunsPageFilter {
  status?: string;
  fn?: string;
  event?: string;
  key?: string;
  value?: string;
  limit: number;
}

export function runsPage(data: {
  runs: RunSummary[];
  states: Map<string, RunStateRows>;
  functions: FunctionView[];
  filter: RunsPageFilter;
  error?: string;
}): string {
  const f = data.filter;
  const option = (value: string, label: string, selected: string | undefined) =>
    `<option value="${escapeHtml(value)}"${selected === value ? " selected" : ""}>${escapeHtml(label)}</option>`;
  const statuses = [
    option("", "any", f.status ?? ""),
    ...RUN_STATUSES.map((s) => option(s, s, f.status)),
    ...RUN_STATES.map((s) => option(s, `${s} (running)`, f.status)),
  ].join("");
  const known = new Set(data.functions.map((fn) => fn.id));
  const functions = [
    option("", "any", f.fn ?? ""),
    // A slug or an id no longer synced still shows as chosen.
    ...(f.fn && !known.has(f.fn) ? [option(f.fn, f.fn, f.fn)] : []),
    ...data.functions.map((fn) => option(fn.id, `${fn.id}${fn.deleted ? " (removed)" : ""}`, f.fn)),
  ].join("");
  const input = (name: string, label: string, value: string | undefined, placeholder: string) =>
    `<label>${escapeHtml(label)}<input name="${name}" value="${escapeHtml(value ?? "")}" placeholder="${escapeHtml(placeholder)}"></label>`;
  const described = [
    f.status && `status ${f.status}`,
    f.fn && `function ${f.fn}`,
    f.event && `event ${f.event}`,
    f.key && `data.${f.key.replace(/^data\./, "")} = ${f.value ?? ""}`,
  ].filter(Boolean);
  return layout(
    "Runs",
    `<h1>Runs</h1>
<form class="filters" method="get" action="/runs">
<label>Status<select name="status">${statuses}</select></label>
<label>Function<select name="function">${functions}</select></label>
${input("event", "Event name", f.event, "app/request.created")}
${input("key", "Event data field", f.key, "requestId or data.user.id")}
${input("value", "equals", f.value, "value as shown in the event")}
<label>Show<input name="limit" value="${escapeHtml(f.limit)}" size="4"></label>
<button type="submit">Filter</button> <a href="/runs">clear</a>
</form>
${data.error ? `<p class="error-box" role="alert">${escapeHtml(data.error)}</p>` : ""}
<p>${data.runs.length} run${data.runs.length === 1 ? "" : "s"}${described.length ? ` where ${escapeHtml(described.join(", "))}` : ""}, newest first.</p>
<table>${RUN_TABLE_HEAD}${runRows(data.runs, data.states)}</table>`,
  );
}

export function runPage(detail: RunDetail): string {
  const { run } = detail;
  const state = stateOf(run, { ...detail.waitingFor, maxAttempts: detail.maxAttempts, lastRetryError: lastRetryError(detail.history) });
  const steps = detail.steps.length
    ? detail.steps
        .map(
          (s) => `<tr><td>${s.position}</td><td>${escapeHtml(s.name ?? s.id)}<br><code>${escapeHtml(s.id.slice(0, 12))}</code></td>
<td>${escapeHtml(s.kind ?? s.op)}</td><td>${escapeHtml(s.attempt + 1)}</td><td>${pre(s.input)}</td>
<td>${s.error !== undefined ? errorHtml(s.error) : pre(s.output)}</td><td>${escapeHtml(s.at)}</td></tr>`,
        )
        .join("\n")
    : `<tr><td colspan="7">No step results yet.</td></tr>`;
  const groups = errorGroups(detail.history);
  const errors = groups.length
    ? `<table><tr><th>Step</th><th>Error</th><th>Times</th><th>First seen</th><th>Last seen</th><th>Attempts</th></tr>${groups
        .map(
          (
            g,
          ) => `<tr><td>${escapeHtml(g.step)}</td><td><strong class="err">${escapeHtml(g.title)}</strong>${folded("stack trace", g.stack)}</td>
<td>${g.count}</td><td>${escapeHtml(g.firstAt)}</td><td>${escapeHtml(g.lastAt)}</td><td>${escapeHtml(g.attempts.join(", "))}${g.final ? " (final)" : ""}</td></tr>`,
        )
        .join("\n")}</table>`
    : "<p>None.</p>";
  const history = detail.history
    .map(
      (h) => `<tr><td>${escapeHtml(h.at)}</td><td>${escapeHtml(h.kind)}</td><td>${escapeHtml(h.stepName ?? "")}</td>
<td>${escapeHtml(h.attempt === null ? "" : h.attempt + 1)}</td><td>${escapeHtml(h.durationMs ?? "")}</td><td>${detailHtml(h.detail ?? undefined)}</td></tr>`,
    )
    .join("\n");
  return layout(
    `Run ${run.id}`,
    `<h1>Run <code>${escapeHtml(run.id)}</code></h1>
<table>
<tr><th>Function</th><td><a href="/functions/${encodeURIComponent(run.functionId)}">${escapeHtml(run.functionId)}</a></td></tr>
<tr><th>State</th><td>${stateHtml(state)}</td></tr>
<tr><th>Event</th><td>${run.eventId ? `<a href="/events/${encodeURIComponent(run.eventId)}">${escapeHtml(run.eventName)}</a>` : escapeHtml(run.eventName)}</td></tr>
<tr><th>Started</th><td>${escapeHtml(run.startedAt)}</td></tr>
<tr><th>Ended</th><td>${escapeHtml(run.endedAt ?? "")}</td></tr>
${run.status === "completed" ? `<tr><th>Output</th><td>${pre(run.output)}</td></tr>` : ""}
${run.error ? `<tr><th>Error</th><td>${errorHtml(run.error)}</td></tr>` : ""}
</table>
<h2>Errors (${groups.reduce((n, g) => n + g.count, 0)} failed attempts, ${groups.length} distinct)</h2>${errors}
<h2>Steps</h2>
<table><tr><th>#</th><th>Step</th><th>Kind</th><th>Attempt</th><th>Input</th><th>Output / error</th><th>At</th></tr>${steps}</table>
<h2>History</h2>
<table><tr><th>At</th><th>What</th><th>Step</th><th>Attempt</th><th>ms</th><th>Detail</th></tr>${history}</table>
<h2>Triggering event</h2>${pre(run.event)}`,
    run.status === "running",
  );
}

function lastRetryError(history: RunDetail["history"]): { stepName: string | null; error: unknown } | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (RETRY_ERROR_KINDS.includes(h.kind)) {
      return { stepName: h.stepName, error: (h.detail as { error?: unknown } | null)?.error };
    }
  }
  return undefined;
}

export function eventPage(event: EventView, runs: RunSummary[], states: Map<string, RunStateRows>): string {
  return layout(
    `Event ${event.name}`,
    `<h1>Event <code>${escapeHtml(event.name)}</code></h1>
<p>Internal id <code>${escapeHtml(event.id)}</code>, event id <code>${escapeHtml(event.eventId)}</code>, received ${escapeHtml(event.receivedAt)}${
      event.deduplicated ? " — duplicate id within 24 h: no run started" : ""
    }</p>
<h2>Runs</h2><table>${RUN_TABLE_HEAD}${runRows(runs, states)}</table>
<h2>Payload</h2>${pre(event.payload)}`,
  );
}

function settingsHtml(fn: FunctionView): string {
  return `<dl>${functionSettings(fn.config)
    .map(
      (s) =>
        `<dt>${escapeHtml(s.label)}${s.notEnforced ? ' <span class="note">(not enforced locally)</span>' : ""}</dt>${s.values
          .map((v) => `<dd>${escapeHtml(v)}</dd>`)
          .join("")}`,
    )
    .join("")}</dl>`;
}

export function functionsPage(functions: FunctionView[]): string {
  const rows = functions.length
    ? functions
        .map(
          (f) => `<tr><td><a href="/functions/${encodeURIComponent(f.id)}">${escapeHtml(f.id)}</a>${f.deleted ? " (removed)" : ""}
<br><a class="note" href="/runs?function=${encodeURIComponent(f.id)}">runs</a></td>
<td>${escapeHtml(f.name)}</td><td>${escapeHtml(f.appId)}</td><td>${settingsHtml(f)}</td><td>${escapeHtml(f.url)}</td></tr>`,
        )
        .join("\n")
    : `<tr><td colspan="5">No functions: sync an app (POST /api/sync).</td></tr>`;
  return layout(
    "Functions",
    `<h1>Functions</h1><table><tr><th>Id</th><th>Name</th><th>App</th><th>Settings</th><th>URL</th></tr>${rows}</table>`,
  );
}

export function functionPage(fn: FunctionView, runs: RunSummary[], states: Map<string, RunStateRows>): string {
  return layout(
    `Function ${fn.id}`,
    `<h1>Function <code>${escapeHtml(fn.id)}</code>${fn.deleted ? " (removed by the latest sync)" : ""}</h1>
<p>${escapeHtml(fn.name)} · app ${escapeHtml(fn.appId)} · <code>${escapeHtml(fn.url)}</code></p>
<h2>Settings</h2>${settingsHtml(fn)}
<h2>Recent runs</h2><p><a href="/runs?function=${encodeURIComponent(fn.id)}">Filter these runs</a></p>
<table>${RUN_TABLE_HEAD}${runRows(runs, states)}</table>
<h2>Configuration as synced</h2>${folded("JSON", pretty(fn.config))}`,
  );
}

export function notFoundPage(what: string): string {
  return layout("Not found", `<h1>Not found</h1><p>${escapeHtml(what)}</p>`);
}
