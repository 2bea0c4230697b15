import { Inngest } from "inngest";

// The same client talks to Inngest Cloud in production and to the local
// engine (packages/inngest-local) in development and tests: only Inngest's
// own environment variables differ (INNGEST_DEV=http://127.0.0.1:8288
// locally; INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY in production).
export const inngest = new Inngest({ id: "wallet-account-email" });
