import "server-only";
import { Inngest } from "inngest";

// The one Inngest client, beside the database and mail clients: server/ owns
// every connection to the outside. The same client talks to Inngest (Cloud or
// self-hosted) in production and to the local engine (packages/inngest-local)
// in development and tests; only Inngest's own environment variables differ
// (INNGEST_DEV locally; INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY in production).
export const inngest = new Inngest({ id: "wallet-account-email" });
