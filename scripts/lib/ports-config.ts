// Development and test run side by side, so each has its own ports and data.
// TEST_PORT_OFFSET moves every test port at once, so that two checkouts on
// one machine (say, two worktrees) can run their end-to-end suites together.
export const DEV_PORTS = { app: 3000, postgres: 54329, smtp: 1025, inbox: 1080, engine: 8288 } as const;

const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
if (!Number.isInteger(offset) || offset < 0 || offset > 1000) throw new Error("TEST_PORT_OFFSET must be a whole number from 0 to 1000.");

export const TEST_PORTS = {
  app: 3100 + offset,
  postgres: 54339 + offset,
  smtp: 1026 + offset,
  inbox: 1081 + offset,
  engine: 8289 + offset,
} as const;
