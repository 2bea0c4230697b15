// The `mail-catcher` bin. From the repository root: `npm run mail -- --smtp-port 1025`
// or `npx mail-catcher --smtp-port 1025`.
import { parseArgs } from "node:util";
import { startMailCatcher } from "./catcher";

function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    console.error(`${flag} must be a port number (0-65535), got "${value}".`);
    process.exit(2);
  }
  return port;
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        "smtp-port": { type: "string" },
        "http-port": { type: "string" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    // A typo in a flag deserves one line, not a stack trace.
    console.error(`${error instanceof Error ? error.message : String(error)}\nSee mail-catcher --help.`);
    process.exit(2);
  }
}

const values = parseFlags();

if (values.help) {
  console.log(`Usage: mail-catcher [--smtp-port 1025] [--http-port 1080] [--host 127.0.0.1]

A development and test stand-in for an SMTP relay, never for production. Accepts
any mail over SMTP (no auth, no TLS) and keeps it in memory: a restart loses it.
Port 0 picks a free port.

  GET    /                      inbox page
  GET    /messages/:id          one message
  GET    /api/messages?to=ADDR  messages (JSON), newest first
  GET    /api/messages/:id      one message (JSON)
  DELETE /api/messages          empty the inbox
  GET    /api/smtp              {"smtp":"up"} or {"smtp":"down"}
  POST   /api/smtp/down | /up   simulate an SMTP outage (451) and end it`);
  process.exit(0);
}

let catcher: Awaited<ReturnType<typeof startMailCatcher>>;
try {
  catcher = await startMailCatcher({
    smtpPort: parsePort(values["smtp-port"], 1025, "--smtp-port"),
    httpPort: parsePort(values["http-port"], 1080, "--http-port"),
    host: values.host ?? "127.0.0.1",
    log: (line) => console.log(line),
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

console.log(`Mail catcher SMTP:  ${catcher.smtpUrl}`);
console.log(`Mail catcher inbox: ${catcher.inboxUrl}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`Mail catcher: ${signal}, stopping.`);
    catcher.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Mail catcher did not stop cleanly: ${String(error)}`);
        process.exit(1);
      },
    );
  });
}
