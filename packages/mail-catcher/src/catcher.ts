import http from "node:http";
import { apiRoutes } from "./api";
import { createRouter, sendError } from "./http";
import { pageRoutes } from "./pages";
import { assertPortFree, listenOn } from "./ports";
import { closeSmtpServer, createOutageSwitch, createSmtpServer } from "./smtp";
import { createMessageStore } from "./store";

/**
 * A local stand-in for a mail relay: accepts anything over SMTP (no auth, no TLS),
 * keeps the parsed messages in memory and serves them over HTTP for people
 * (an inbox page) and for tests (a JSON API). Never expose it beyond loopback:
 * it holds live one-time links.
 */

export interface MailCatcherOptions {
  /** 0 picks a free port; read the one bound from `smtpUrl`. */
  smtpPort: number;
  /** 0 picks a free port; read the one bound from `inboxUrl`. */
  httpPort: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  log?: (line: string) => void;
  /** Oldest messages are dropped beyond this many. Defaults to 1000. */
  maxMessages?: number;
}

export interface MailCatcher {
  smtpUrl: string;
  inboxUrl: string;
  /** Closes both servers; calling it again returns the same promise. */
  stop(): Promise<void>;
}

const DEFAULT_MAX_MESSAGES = 1000;

export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const { smtpPort, httpPort, host = "127.0.0.1", log = () => {}, maxMessages = DEFAULT_MAX_MESSAGES } = options;

  // Port 0 means "any free port" (tests); only fixed ports can clash.
  if (smtpPort !== 0) await assertPortFree(smtpPort, "Mail catcher (SMTP)", host);
  if (httpPort !== 0) await assertPortFree(httpPort, "Mail catcher (inbox HTTP)", host);

  const store = createMessageStore(maxMessages);
  const outage = createOutageSwitch(log);
  const smtp = createSmtpServer({ store, outage, log });

  const route = createRouter([...apiRoutes({ store, outage, log }), ...pageRoutes({ store, outage, log })]);
  const server = http.createServer((req, res) => {
    try {
      route(req, res);
    } catch (error) {
      log(`mail-catcher: ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) sendError(res, 500, "INTERNAL", "The mail catcher failed to answer.");
      else res.end();
    }
  });
  // Keep-alive sockets would otherwise hold stop() open.
  server.keepAliveTimeout = 1000;

  let boundSmtpPort: number;
  let boundHttpPort: number;
  try {
    boundSmtpPort = await listenOn(smtp.server, "Mail catcher (SMTP)", host, smtpPort);
    boundHttpPort = await listenOn(server, "Mail catcher (inbox HTTP)", host, httpPort);
  } catch (error) {
    await closeSmtpServer(smtp).catch(() => {});
    throw error;
  }

  const urlHost = host.includes(":") ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    smtpUrl: `smtp://${urlHost}:${boundSmtpPort}`,
    inboxUrl: `http://${urlHost}:${boundHttpPort}`,
    stop() {
      stopping ??= Promise.all([
        closeSmtpServer(smtp),
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
      ]).then(() => undefined);
      return stopping;
    },
  };
}
