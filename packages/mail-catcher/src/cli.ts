// Runs the local SMTP catcher on its own: `npm run mail -- --smtp-port 1025 --http-port 1080`.
import { parseArgs } from "node:util";
import { startMailCatcher } from "./catcher";

function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${flag} must be a port number (0-65535), got "${value}".`);
    process.exit(2);
  }
  return port;
}

const { values } = parseArgs({
  options: {
    "smtp-port": { type: "string" },
    "http-port": { type: "string" },
    host: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Usage: tsx scripts/mail-catcher.ts [--smtp-port 1025] [--http-port 1080] [--host 127.0.0.1]

Accepts any mail over SMTP (no auth, no TLS) and keeps it in memory.
  GET    /                      inbox page
  GET    /api/messages?to=ADDR  messages, newest first
  GET    /api/messages/:id      one message
  DELETE /api/messages          empty the inbox
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
