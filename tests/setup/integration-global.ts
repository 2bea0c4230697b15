// Vitest global setup of the `integration` project: once per run, in the main
// process. A fresh database on the (local) test server with every migration
// applied, an SMTP catcher and a recorder standing in for Inngest's event
// API, all on ports the OS picks. Test files then run in parallel against
// them; each test makes its own users, so nothing is cleaned between tests,
// and the whole database is dropped at the end.
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../scripts/lib/migrate";
import { startMailCatcher } from "@wallet/mail-catcher";
import { scratchDatabase, testDatabaseServer } from "../../scripts/lib/test-database";
import { startEventRecorder } from "./event-recorder";

declare module "vitest" {
  export interface ProvidedContext {
    /** The server's URL (any database on it): for tests that create scratch databases. */
    databaseUrl: string;
    /** This run's migrated database: what the server code under test uses. */
    testDatabaseUrl: string;
    smtpUrl: string;
    /** The catcher's inbox API (GET /api/messages?to=…). */
    inboxUrl: string;
    /** The event recorder: INNGEST_DEV for the SDK, GET /events?… for tests. */
    eventsUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
  };
  try {
    const server = await testDatabaseServer();
    stops.push(server.stop);

    const name = `app_int_${process.pid}`;
    const database = await scratchDatabase(server.url, name);
    stops.push(database.drop);
    await applyMigrations(database.url);

    const catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    stops.push(() => catcher.stop());
    const recorder = await startEventRecorder();
    stops.push(recorder.stop);

    project.provide("databaseUrl", server.url);
    project.provide("testDatabaseUrl", database.url);
    project.provide("smtpUrl", catcher.smtpUrl);
    project.provide("inboxUrl", catcher.inboxUrl);
    project.provide("eventsUrl", recorder.url);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
