import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { rules } from "@/lib/rules";

// The health checks' budget: how often they reach the database and the SMTP
// relay whatever the rate of probes, and that the relay is never logged in to.

const fake = vi.hoisted(() => ({ smtpUrl: "", engineUrl: "", queries: 0 }));
vi.mock("@/server/env", () => ({
  env: {
    get SMTP_URL() {
      return fake.smtpUrl;
    },
    HEALTH_TOKEN: "operator-token-0123456789abcdef-xyz",
  },
}));
// The app's Inngest client, as far as health is concerned: where its event API is.
vi.mock("@/server/inngest", () => ({
  inngest: {
    get eventBaseUrl() {
      return fake.engineUrl;
    },
  },
}));
vi.mock("@/server/db", () => ({
  db: {
    $queryRaw: async () => {
      fake.queries += 1;
      return [{ "?column?": 1 }];
    },
  },
}));

const { checkHealth, greetSmtp, isOperator, resetHealthCache, HEALTH_TIMEOUT_MS } = await import("@/server/health");

// A relay that answers like one and records what it is told.
const commands: string[] = [];
let connections = 0;
const relay = net.createServer((socket) => {
  connections += 1;
  socket.write("220 relay ready\r\n");
  socket.on("data", (chunk) => {
    for (const line of chunk.toString().split("\r\n").filter(Boolean)) {
      commands.push(line);
      if (line.startsWith("EHLO")) socket.write("250-relay\r\n250 AUTH PLAIN LOGIN\r\n");
      else if (line === "QUIT") socket.end("221 bye\r\n");
      else socket.write("502 no\r\n");
    }
  });
  socket.on("error", () => {});
});

// An engine's event API that answers GET /health, as the local engine does.
let engineRequests = 0;
const engine = http.createServer((req, res) => {
  engineRequests += 1;
  res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" }).end('{"ok":true}');
});
// A frozen engine: it accepts the connection and never answers.
const frozen = net.createServer(() => {});
const frozenSockets = new Set<net.Socket>();
frozen.on("connection", (socket) => frozenSockets.add(socket.on("error", () => {})));

const listen = async (server: net.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
};
let engineUrl = "";
let frozenUrl = "";

beforeAll(async () => {
  fake.smtpUrl = `smtp://user:secret@127.0.0.1:${await listen(relay)}`;
  engineUrl = `http://127.0.0.1:${await listen(engine)}`;
  frozenUrl = `http://127.0.0.1:${await listen(frozen)}`;
});
afterAll(async () => {
  for (const socket of frozenSockets) socket.destroy();
  engine.closeAllConnections();
  await Promise.all([relay, engine, frozen].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});
beforeEach(() => {
  resetHealthCache();
  fake.queries = 0;
  fake.engineUrl = engineUrl;
  connections = 0;
  engineRequests = 0;
  commands.length = 0;
});

describe("checkHealth", () => {
  it("greets the relay (EHLO, QUIT) and never logs in, even with credentials in SMTP_URL", async () => {
    const health = await checkHealth(1_000_000);
    expect(health).toMatchObject({ status: "ok", checks: { database: { ok: true }, smtp: { ok: true } } });
    await vi.waitFor(() => expect(commands).toContain("QUIT"));
    expect(commands.map((line) => line.split(" ")[0])).toEqual(["EHLO", "QUIT"]);
  });

  // Each round of checks queries the database twice: SELECT 1 and the outbox backlog.
  it("caches: a burst of probes costs one round of database queries, one SMTP greeting and one call to the engine", async () => {
    const t0 = 2_000_000;
    await Promise.all(Array.from({ length: 20 }, () => checkHealth(t0)));
    await checkHealth(t0 + rules.healthCacheMs - 1);
    expect(fake.queries).toBe(2);
    expect(connections).toBe(1);
    expect(engineRequests).toBe(1);
    await checkHealth(t0 + rules.healthCacheMs);
    expect(engineRequests).toBe(2);
  });

  it("checks the database again after rules.healthCacheMs, the relay only after rules.healthSmtpCheckMs", async () => {
    const t0 = 3_000_000;
    await checkHealth(t0);
    await checkHealth(t0 + rules.healthCacheMs);
    expect(fake.queries).toBe(4);
    expect(connections).toBe(1);
    await checkHealth(t0 + rules.healthSmtpCheckMs);
    expect(connections).toBe(2);
  });

  it("reports an unreachable relay as degraded, not down", async () => {
    const url = fake.smtpUrl;
    fake.smtpUrl = "smtp://127.0.0.1:1"; // nothing listens on port 1
    try {
      const health = await checkHealth(4_000_000);
      expect(health.status).toBe("degraded");
      expect(health.checks.smtp.ok).toBe(false);
    } finally {
      fake.smtpUrl = url;
    }
  });

  it("asks the engine's event API for /health: up, the status is ok", async () => {
    const health = await checkHealth(5_000_000);
    expect(health).toMatchObject({ status: "ok", checks: { engine: { ok: true } } });
    expect(engineRequests).toBe(1);
  });

  it("reports an unreachable engine as degraded, naming it in the details", async () => {
    // A port that was just free: nothing listens there.
    const gone = net.createServer();
    const port = await listen(gone);
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    fake.engineUrl = `http://127.0.0.1:${port}`;
    const health = await checkHealth(6_000_000);
    expect(health.status).toBe("degraded");
    expect(health.checks.engine).toMatchObject({ ok: false, error: `workflow engine at http://127.0.0.1:${port}: ECONNREFUSED` });
    expect(health.checks.database.ok).toBe(true);
  });

  it("reports a frozen engine (connection accepted, no answer) as degraded within the timeout", async () => {
    fake.engineUrl = frozenUrl;
    const started = performance.now();
    const health = await checkHealth(7_000_000);
    expect(performance.now() - started).toBeLessThan(HEALTH_TIMEOUT_MS + 1000);
    expect(health.status).toBe("degraded");
    expect(health.checks.engine).toMatchObject({ ok: false, error: expect.stringMatching(/timed out/) });
    expect(frozenSockets.size).toBeGreaterThan(0);
  });

  it("reports an engine answering with a server error as degraded", async () => {
    const failing = http.createServer((_req, res) => res.writeHead(503).end());
    fake.engineUrl = `http://127.0.0.1:${await listen(failing)}`;
    try {
      const health = await checkHealth(8_000_000);
      expect(health.status).toBe("degraded");
      expect(health.checks.engine).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 503$/) });
    } finally {
      failing.closeAllConnections();
      failing.close();
    }
  });

  it("refuses a server that does not greet with 220", async () => {
    const rude = net.createServer((socket) => socket.end("554 go away\r\n"));
    await new Promise<void>((resolve) => rude.listen(0, "127.0.0.1", resolve));
    try {
      const port = (rude.address() as net.AddressInfo).port;
      await expect(greetSmtp(`smtp://127.0.0.1:${port}`)).rejects.toThrow("greeting 554");
    } finally {
      rude.close();
    }
  });
});

describe("isOperator", () => {
  it("accepts exactly `Bearer <HEALTH_TOKEN>`", () => {
    expect(isOperator("Bearer operator-token-0123456789abcdef-xyz")).toBe(true);
    expect(isOperator("Bearer operator-token-0123456789abcdef-xy")).toBe(false);
    expect(isOperator("operator-token-0123456789abcdef-xyz")).toBe(false);
    expect(isOperator("Basic b3BlcmF0b3I=")).toBe(false);
    expect(isOperator(null)).toBe(false);
  });

  it("accepts nobody when no token is configured", () => {
    expect(isOperator("Bearer ", undefined)).toBe(false);
    expect(isOperator("Bearer anything", "")).toBe(false);
  });
});
