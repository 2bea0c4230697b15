import { serve } from "inngest/next";
import { env } from "@/server/env";
import { inngest } from "@/server/inngest";
import { functions } from "@/inngest/functions";

// The URL the engine is told to call comes from APP_URL, never from the Host
// header of the (unauthenticated) PUT that triggers a sync.
export const { GET, POST, PUT } = serve({ client: inngest, functions, serveOrigin: new URL(env.APP_URL).origin });
