import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { NO_META, type RequestMeta } from "@/server/audit";

// next-auth's events (signOut) receive the token but not the request; the
// route that serves next-auth runs it inside this context so the audit log
// still gets the client's IP and user agent.
const storage = new AsyncLocalStorage<RequestMeta>();

export function withRequestMeta<T>(meta: RequestMeta, run: () => T): T {
  return storage.run(meta, run);
}

export function currentRequestMeta(): RequestMeta {
  return storage.getStore() ?? NO_META;
}
