import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { Accounts, type NewUser, type TestUser } from "./accounts";
import { closeDatabase, database, type Database } from "./database";
import { engineClient, engineIsUp, type Engine } from "./engine";
import { INBOX_URL, LOCAL_STACK, missing } from "./env";
import { monitoringMissing, startE2eMonitoring, type Monitoring } from "./monitoring";
import { Mailbox } from "./mailbox";
import { signInContext } from "./session";

// What specs import instead of @playwright/test. Each fixture is set up only
// for the tests that ask for it; a test that needs something this run does not
// have (the inbox, the engine, the database, the SMTP switch) is skipped with
// the reason. (The second argument of a fixture is Playwright's `use`; it is
// called `provide` here because the React hooks lint rule claims `use`.)

/** The SMTP catcher's outage switch: while down it refuses mail with 451, as a relay in trouble would. */
export type SmtpSwitch = { down(): Promise<void>; up(): Promise<void> };

type Fixtures = {
  /** How `user` is made; set with test.use({ userOptions: { email: true, verified: true } }). */
  userOptions: NewUser;
  /** A fresh account (signed up through the API), deleted after the test when the database is at hand. */
  user: TestUser;
  /** Creates more accounts for the test (same cleanup as `user`). */
  accounts: Accounts;
  /** `page`, signed in as `user`, on the profile. */
  signedInPage: Page;
  /** Signs another browser context in as someone (a second device, say). */
  signIn: (context: BrowserContext, user: TestUser) => Promise<void>;
  mailbox: Mailbox;
  engine: Engine;
  db: Database;
  smtp: SmtpSwitch;
  /** Prometheus and Alertmanager against the local stack (`monitoring.prometheus.query(promql)`), one per worker. */
  monitoring: Monitoring;
};

type WorkerFixtures = {
  /** The engine, when this run has one that answers (probed once per worker). */
  _engine: Engine | null;
  /** Started on first use in a worker; the reason when this run cannot start it. */
  _monitoring: Monitoring | string;
  _closeDatabase: void;
};

export const test = base.extend<Fixtures, WorkerFixtures>({
  userOptions: [{}, { option: true }],

  accounts: async ({ playwright, baseURL, _engine }, provide) => {
    const api = await playwright.request.newContext({ baseURL });
    const accounts = new Accounts(api, playwright.request, INBOX_URL ? new Mailbox(INBOX_URL) : null, _engine);
    await provide(accounts);
    await accounts.cleanUp();
    await api.dispose();
  },

  user: async ({ accounts, userOptions }, provide, testInfo) => {
    testInfo.skip(!!userOptions.verified && missing.inbox !== null, `a verified user is confirmed from the inbox: ${missing.inbox}`);
    await provide(await accounts.create(userOptions));
  },

  signIn: async ({}, provide) => {
    await provide((context, user) => signInContext(context, user));
  },

  signedInPage: async ({ page, user }, provide) => {
    await signInContext(page.context(), user);
    await page.goto("/profile");
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    await provide(page);
  },

  mailbox: async ({}, provide, testInfo) => {
    testInfo.skip(missing.inbox !== null, missing.inbox ?? "");
    await provide(new Mailbox(INBOX_URL!));
  },

  engine: async ({ _engine }, provide, testInfo) => {
    testInfo.skip(_engine === null, missing.engine ?? "the engine at ENGINE_URL does not answer");
    await provide(_engine!);
  },

  db: async ({}, provide, testInfo) => {
    const db = database();
    testInfo.skip(db === null, missing.database ?? "");
    await provide(db!);
  },

  smtp: async ({}, provide, testInfo) => {
    testInfo.skip(missing.inbox !== null, missing.inbox ?? "");
    const post = async (path: string) => {
      // The catcher takes state changes only as JSON (no cross-site form can send it).
      const response = await fetch(`${INBOX_URL}/api/smtp/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (!response.ok) throw new Error(`POST /api/smtp/${path} answered ${response.status}`);
    };
    const probe = await fetch(`${INBOX_URL}/api/smtp`).catch(() => null);
    testInfo.skip(!probe?.ok, "the inbox at INBOX_URL has no SMTP outage switch (GET /api/smtp): it is not the local mail catcher");
    await provide({ down: () => post("down"), up: () => post("up") });
    // Never leave the catcher refusing mail for the tests that follow.
    await post("up");
  },

  monitoring: async ({ _monitoring }, provide, testInfo) => {
    testInfo.skip(typeof _monitoring === "string", typeof _monitoring === "string" ? _monitoring : "");
    await provide(_monitoring as Monitoring);
  },

  _monitoring: [
    async ({}, provide) => {
      const why = monitoringMissing();
      // CI installs Prometheus and Alertmanager (.ci/run): there, their absence fails rather than skips.
      if (why && process.env.CI && LOCAL_STACK) throw new Error(`CI must run the monitoring tests: ${why}`);
      if (why) return provide(why);
      const monitoring = await startE2eMonitoring();
      await provide(monitoring);
      await monitoring.stop();
    },
    { scope: "worker" },
  ],

  _engine: [
    async ({}, provide) => {
      const engine = engineClient();
      await provide(engine && (await engineIsUp(engine)) ? engine : null);
    },
    { scope: "worker" },
  ],

  _closeDatabase: [
    async ({}, provide) => {
      await provide();
      await closeDatabase();
    },
    { scope: "worker", auto: true },
  ],
});

export { expect };
export { PASSWORD, uniqueEmail, uniquePhone, type TestUser } from "./accounts";
export { SUBJECTS, linkIn, type Email } from "./mailbox";
export { confirmLink, openMoreOptions, signInWithForm, submitEmailForm } from "./profile";
