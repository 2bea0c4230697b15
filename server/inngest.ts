import "server-only";
import { Inngest } from "inngest";
import { sdkLogger } from "@/server/logger";

// The one Inngest client, beside the database and mail clients: server/ owns
// every connection to the outside. The same client talks to Inngest (Cloud or
// self-hosted) in production and to the local engine (packages/inngest-local)
// in development and tests; only Inngest's own environment variables differ
// (INNGEST_DEV locally; INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY in production).
//
// Checkpointing is pinned off: the local engine does not implement Inngest's
// checkpoint API (it never sends the fn_id/qi_id that turn it on), so with the
// SDK's default (on) production would run steps differently from every test.
// Off, production and tests take the same path: one step per request.
//
// The SDK's own lines (step and function errors, warnings) go through our
// logger, which masks addresses and hides tokens; its default writes to the
// console as is, and a step error's message can hold a full address.
export const inngest = new Inngest({ id: "wallet-account-email", checkpointing: false, logger: sdkLogger() });
