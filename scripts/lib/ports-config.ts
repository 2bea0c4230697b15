// Development and test run side by side, so each has its own ports and data.
// TEST_PORT_OFFSET moves every test port at once, so that two checkouts on
// one machine (say, two worktrees) can run their end-to-end suites together.
export const DEV_PORTS = { app: 3000, postgres: 54329, smtp: 1025, inbox: 1080, engine: 8288 } as const;

/** `npm run dev -- --monitoring`: Prometheus's and Alertmanager's own default ports, as in ops/. */
export const DEV_MONITORING_PORTS = { prometheus: 9090, alertmanager: 9093 } as const;

const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
if (!Number.isInteger(offset) || offset < 0 || offset > 1000) throw new Error("TEST_PORT_OFFSET must be a whole number from 0 to 1000.");

export const TEST_PORTS = {
  app: 3100 + offset,
  postgres: 54339 + offset,
  smtp: 1026 + offset,
  inbox: 1081 + offset,
  engine: 8289 + offset,
} as const;

/**
 * The monitoring end-to-end test's Prometheus and Alertmanager (e2e/monitoring.spec.ts).
 * Two ranges that do not overlap for any offset, clear of the dev ports (9090, 9093, 9094).
 */
export const TEST_MONITORING_PORTS = { prometheus: 9190 + offset, alertmanager: 10290 + offset } as const;
