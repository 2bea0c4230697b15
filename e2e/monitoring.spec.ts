import { panelQueries } from "../scripts/lib/dashboards";
import { E2E_INNGEST_KEYS, E2E_SECRETS } from "../scripts/lib/e2e-env";
import { PASSWORD, expect, test, uniqueEmail, type TestUser } from "./support/fixtures";
import { advanceClockTo, engineNow } from "./support/engine";
import { ONCALL } from "./support/monitoring";
import { addTestMoney, minutesAfter, nepalLocal, schedulePayment, waitForOccurrence } from "./support/payments";

// Issue 15: the monitoring stack against the running e2e stack. Prometheus
// and Alertmanager run with the committed configuration of ops/ (targets,
// token file, SMTP and timings replaced: scripts/lib/monitoring.ts), scrape
// the app's /api/metrics with the stack's METRICS_TOKEN and the engine's
// /metrics, and send alert emails to the mail catcher. Tagged @global-state:
// the tests stop the catcher's SMTP and move the engine's clock.

const MINUTE = 60_000;

test.describe("monitoring", { tag: "@global-state" }, () => {
  // Each test reads what the one before it made Prometheus see; a later one alone would find nothing.
  test.describe.configure({ mode: "serial" });

  test("Prometheus scrapes the app and the engine while people sign up, pay, and mistype passwords", async ({
    monitoring,
    accounts,
    page,
    signIn,
    engine,
    playwright,
    baseURL,
  }) => {
    const prometheus = monitoring.prometheus;
    await expect
      .poll(async () => (await prometheus.targets()).map((target) => `${target.job} ${target.health} ${target.lastError}`.trim()).sort(), {
        message: "both targets scraped",
      })
      .toEqual(["inngest-local up", "wallet up"]);

    // Traffic that moves every metric family the dashboards show: a JSON
    // signup, its link email sent and confirmed, a form, a scheduled payment
    // made by the engine, a wrong password answered as a JSON 401, a lockout.
    const payer = await accounts.create({ email: true, verified: true });
    const recipient = await accounts.create({ fullName: "Bikash Rai" });
    await signIn(page.context(), payer);
    await addTestMoney(page, "1,000");
    const due = minutesAfter(await engineNow(engine), 10);
    const schedule = await schedulePayment(page, {
      toPhone: recipient.phone,
      rupees: "100",
      firstRunAt: nepalLocal(due),
      password: payer.password,
    });
    await advanceClockTo(engine, due + MINUTE);
    await waitForOccurrence(page, schedule, 1, "succeeded");
    const wrong = await page.request.post("/api/account/email", { data: { email: uniqueEmail("wrong"), password: "not-the-password-1" } });
    expect(wrong.status(), await wrong.text()).toBe(401);
    await guessPasswords(await accounts.create(), 5, playwright.request, baseURL!);

    // Each one, as Prometheus has scraped it.
    const moved = {
      "JSON API answers": 'sum(wallet_http_requests_total{route="/api/auth/signup", status="201"})',
      "form answers": 'sum(wallet_http_requests_total{route="/wallet", method="POST"})',
      "client errors": 'sum(wallet_http_requests_total{status="401"})',
      "emails sent": "sum(wallet_emails_sent_total)",
      "email requests confirmed": 'sum(wallet_email_requests_total{event="confirmed"})',
      "links confirmed": 'sum(wallet_link_confirmations_total{outcome="verified"})',
      "wrong passwords": 'sum(wallet_password_failures_total{purpose="sign-in"}) and sum(wallet_password_failures_total{purpose="reauth"})',
      lockouts: "sum(wallet_lockouts_total)",
      "payments made": 'sum(wallet_payment_occurrences_total{outcome="succeeded"})',
      "payment lag": "sum(wallet_payment_lag_seconds_count)",
      "engine steps": "sum(inngest_local_step_duration_seconds_count)",
      "ledger balanced": "wallet_ledger_postings_sum == 0",
    };
    await expect
      .poll(
        async () => {
          const missing: string[] = [];
          for (const [what, expr] of Object.entries(moved)) {
            const samples = await prometheus.query(expr);
            if (!samples.some((sample) => sample.value > 0 || what === "ledger balanced")) missing.push(what);
          }
          return missing;
        },
        { message: "metric families Prometheus has seen move" },
      )
      .toEqual([]);
  });

  test("every Grafana dashboard panel's query returns data from this Prometheus", async ({ monitoring }) => {
    // Grafana's $__rate_interval and $__range, scaled to a 1 s scrape and the
    // traffic of the test above (within the last minute or so).
    const queries = panelQueries({ rateInterval: "1m", range: "15m", interval: "1s" });
    expect(queries.length).toBeGreaterThan(40);
    await expect
      .poll(
        async () => {
          const empty: string[] = [];
          for (const { dashboard, panel, refId, expr } of queries) {
            // A query Prometheus refuses throws here (the panel would show an error).
            const samples = await monitoring.prometheus.query(expr);
            // Data: at least one series with a number (a ratio or quantile over no traffic is NaN: "No data" in Grafana).
            if (!samples.some((sample) => Number.isFinite(sample.value))) empty.push(`${dashboard} / ${panel} (${refId}): ${expr}`);
          }
          return empty;
        },
        { timeout: 30_000, message: "dashboard panels without data" },
      )
      .toEqual([]);
  });

  test("with SMTP down, EmailSendFailures fires and its email reaches on-call once SMTP is back, without secrets", async ({
    monitoring,
    accounts,
    smtp,
    mailbox,
  }) => {
    const { prometheus, alertmanager } = monitoring;
    const stateOf = async () =>
      (await prometheus.alerts()).find((alert) => alert.labels.alertname === "EmailSendFailures")?.state ?? "inactive";
    const alertEmails = async () => (await mailbox.list(ONCALL)).filter((email) => /EmailSendFailures/.test(email.subject));
    const before = (await alertEmails()).length;
    const users: TestUser[] = [];

    await smtp.down();
    try {
      // Sign-ups with an address: each link email fails (the workflow retries
      // it, each try counting). One more while the alert is not yet pending,
      // so the failure rate has two scrapes to differ between.
      await expect
        .poll(
          async () => {
            const state = await stateOf();
            if (state === "inactive") users.push(await accounts.create({ email: true }));
            return state;
          },
          { timeout: 60_000, intervals: [1_000], message: "EmailSendFailures firing in Prometheus" },
        )
        .toBe("firing");
      await expect
        .poll(
          async () =>
            (await alertmanager.alerts())
              .filter((alert) => alert.labels.alertname === "EmailSendFailures")
              .map(
                (alert) => `${alert.status.state} ${alert.labels.severity} ${alert.receivers.map((receiver) => receiver.name).join(",")}`,
              ),
          { message: "EmailSendFailures in Alertmanager" },
        )
        .toEqual(["active warning email"]);
      // Nothing reaches on-call while the catcher refuses mail.
      expect(await alertEmails()).toHaveLength(before);
    } finally {
      await smtp.up();
    }

    await expect
      .poll(async () => (await alertEmails()).length, { timeout: 30_000, message: `the alert email to ${ONCALL}` })
      .toBeGreaterThan(before);
    const email = (await alertEmails())[0]!; // the newest
    expect(email.subject).toMatch(/^\[FIRING:1\] EmailSendFailures/);
    const body = `${email.subject}\n${email.text}\n${email.html}`;
    expect(body).toContain("docs/runbooks/EmailSendFailures.md");

    // What an alert email carries is read by people and kept by mail servers:
    // no secret of the stack, no user's address or phone.
    const secrets = [...Object.values(E2E_SECRETS), ...Object.values(E2E_INNGEST_KEYS), PASSWORD];
    expect(secrets.filter((secret) => body.includes(secret))).toEqual([]);
    expect(body).not.toMatch(/bearer/i);
    const addresses = new Set(body.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []);
    expect([...addresses].filter((address) => !address.endsWith("@wallet.example"))).toEqual([]);
    for (const user of users) {
      expect(body).not.toContain(user.email!);
      expect(body).not.toContain(user.phone);
    }
  });
});

/** `times` wrong passwords through the sign-in form's endpoint, from a browser the account has never seen. */
async function guessPasswords(
  user: TestUser,
  times: number,
  requests: import("@playwright/test").APIRequest,
  baseURL: string,
): Promise<void> {
  const stranger = await requests.newContext({ baseURL });
  try {
    for (let guess = 1; guess <= times; guess += 1) {
      const { csrfToken } = (await (await stranger.get("/api/auth/csrf")).json()) as { csrfToken: string };
      await stranger.post("/api/auth/callback/credentials", {
        form: { csrfToken, phone: user.phone, password: `wrong-guess-${guess}`, json: "true" },
      });
    }
  } finally {
    await stranger.dispose();
  }
}
