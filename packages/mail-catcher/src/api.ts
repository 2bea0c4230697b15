import type { Route } from "./http";
import { sendError, sendJson } from "./http";
import type { Log, OutageSwitch } from "./smtp";
import type { MessageStore } from "./store";

/**
 * The JSON API tests and scripts use. Every answer, errors included, is JSON;
 * errors are `{ "error": { "code", "message" } }`.
 */
export function apiRoutes(options: { store: MessageStore; outage: OutageSwitch; log: Log }): Route[] {
  const { store, outage, log } = options;
  const smtpState = () => ({ smtp: outage.down ? "down" : "up" });
  return [
    {
      path: "/api/messages",
      methods: {
        GET: ({ res, url }) => sendJson(res, 200, store.list({ to: url.searchParams.get("to") ?? undefined })),
        DELETE: ({ res }) => {
          const deleted = store.clear();
          log(`mail-catcher: inbox emptied (${deleted} messages)`);
          sendJson(res, 200, { deleted });
        },
      },
    },
    {
      path: /^\/api\/messages\/([^/]+)$/,
      methods: {
        GET: ({ res, params: [id = ""] }) => {
          const message = store.get(id);
          if (!message) return sendError(res, 404, "NOT_FOUND", "No message with this id.");
          sendJson(res, 200, message);
        },
      },
    },
    { path: "/api/smtp", methods: { GET: ({ res }) => sendJson(res, 200, smtpState()) } },
    {
      path: /^\/api\/smtp\/(down|up)$/,
      methods: {
        POST: ({ res, params: [state] }) => {
          outage.set(state === "down");
          sendJson(res, 200, smtpState());
        },
      },
    },
  ];
}
