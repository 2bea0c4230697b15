// What keeps a page the developer happens to have open from driving the
// engine: browsers let any site send requests to 127.0.0.1 (simple POSTs need
// no preflight, and DNS rebinding gives a hostile name a loopback address).
// So: only loopback Host names, same-origin (or no) Origin, and JSON bodies,
// which a cross-site form or no-cors fetch cannot send.
import type http from "node:http";
import { HttpError } from "./util";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Hostname of a Host header value ("[::1]:8288" → "[::1]"); undefined if it does not parse. */
function hostName(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = hostName(host);
  return name !== undefined && LOOPBACK_HOSTS.has(name);
}

/** Throws 403 unless Host is loopback and Origin, when present, is this very origin. */
export function assertLocalRequest(req: http.IncomingMessage): void {
  const host = req.headers.host;
  if (!isLoopbackHost(host)) throw new HttpError(403, "Host must be 127.0.0.1, localhost or [::1] (the engine only serves this machine)");
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (origin !== `http://${host!.toLowerCase()}`) throw new HttpError(403, "cross-origin requests are refused");
}

/** Throws 415 unless the request says its body is JSON. */
export function assertJson(req: http.IncomingMessage): void {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(415, "POST bodies must be application/json");
}

/** A serve URL in one comparable form; undefined when it is not an http(s) URL. */
export function normalizeAppUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}
