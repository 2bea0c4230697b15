// Development and test run side by side, so each has its own ports and data.
export const DEV_PORTS = { app: 3000, postgres: 54329, smtp: 1025, inbox: 1080, engine: 8288 } as const;
export const TEST_PORTS = { app: 3100, postgres: 54339, smtp: 1026, inbox: 1081, engine: 8289 } as const;
