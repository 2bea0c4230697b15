import { InngestTestEngine, mockCtx } from "@inngest/test";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { WorkflowView } from "@/server/email-requests/reconcile-email-request";

// The workflow's decisions, with the database behind mocks: what it sends,
// when it waits, and what it does on each kind of wake-up. The same function
// runs for real through the local engine in the Playwright flows.

vi.mock("@/server/email-requests/reconcile-email-request", () => ({ reconcileEmailRequest: vi.fn() }));
vi.mock("@/server/email-requests/send-email-link", () => ({ sendEmailLink: vi.fn(async () => ({ sent: true })) }));
vi.mock("@/server/email-requests/send-completion-emails", () => ({ sendCompletionEmail: vi.fn() }));
vi.mock("@/server/logger", () => ({ log: { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() } }));

const { reconcileEmailRequest } = await import("@/server/email-requests/reconcile-email-request");
const { sendEmailLink } = await import("@/server/email-requests/send-email-link");
const { sendCompletionEmail } = await import("@/server/email-requests/send-completion-emails");
const { emailRequestWorkflow } = await import("@/inngest/functions/email-request");
const completionEmails = () => vi.mocked(sendCompletionEmail).mock.calls.map(([options]) => options.email);

const requestId = "5f0c3c55-7f5e-4a3e-9d8e-0e9d1f3c2a10";
const in1h = () => new Date(Date.now() + 3_600_000).toISOString();
const view = (overrides: Partial<WorkflowView>): WorkflowView => ({
  status: "pending",
  kind: "add",
  currentHop: "new",
  needsLink: false,
  waitUntil: in1h(),
  ...overrides,
});

/** Each read of the request returns the next state in the list. */
function requestStates(...states: WorkflowView[]) {
  const queue = [...states];
  vi.mocked(reconcileEmailRequest).mockImplementation(async () => queue.shift() ?? states.at(-1)!);
}

const confirmedEvent = { name: "account/email-hop.confirmed", data: { requestId, hop: "new" } };

/**
 * Each wait resolves with the given event, or null for a timeout. The waits
 * are replaced on the step tools (a spy, so calls can be asserted): mocking
 * them as steps makes @inngest/test 1.0 re-validate a mocked event it has
 * wrapped, which fails with inngest 4.24.
 */
function engine(kind: "add" | "change", waits: Record<string, unknown>) {
  return new InngestTestEngine({
    function: emailRequestWorkflow,
    events: [{ name: "account/email.requested", data: { requestId, userId: "0c6b1c83-3b59-4a41-9d0e-3c3b9d1a7e22", kind } }],
    transformCtx: (ctx) => {
      const mocked = mockCtx(ctx);
      mocked.step.waitForEvent = vi.fn(async (id: string) => {
        if (!(id in waits)) throw new Error(`unexpected wait "${id}"`);
        return waits[id];
      }) as never;
      return mocked;
    },
  });
}

beforeEach(() => vi.clearAllMocks());

describe("email-request workflow, add", () => {
  it("confirm path: sends the link, wakes on the confirmation, sends the linked email", async () => {
    requestStates(view({ needsLink: true }), view({}), view({ status: "completed", currentHop: null, waitUntil: null }));
    const { result } = await engine("add", { "wait for confirmation 1": confirmedEvent }).execute();
    expect(result).toEqual({ status: "completed" });
    expect(sendEmailLink).toHaveBeenCalledTimes(1);
    expect(completionEmails()).toEqual(["linked"]);
  });

  it("expiry path: a wait that times out finds the request expired and sends nothing more", async () => {
    requestStates(view({ needsLink: true }), view({}), view({ status: "expired", currentHop: null, waitUntil: null }));
    const { result } = await engine("add", { "wait for confirmation 1": null }).execute();
    expect(result).toEqual({ status: "expired" });
    expect(completionEmails()).toEqual([]);
  });

  it("resend path: a timeout while a resent link is still alive means waiting again, until its new expiry", async () => {
    const later = new Date(Date.now() + 7_200_000).toISOString();
    requestStates(
      view({ needsLink: true }),
      view({}),
      view({ waitUntil: later }),
      view({ status: "completed", currentHop: null, waitUntil: null }),
    );
    const { result, ctx } = await engine("add", { "wait for confirmation 1": null, "wait for confirmation 2": confirmedEvent }).execute();
    expect(result).toEqual({ status: "completed" });
    const waits = vi.mocked(ctx.step.waitForEvent).mock.calls;
    expect(waits.map(([id]) => id)).toEqual(["wait for confirmation 1", "wait for confirmation 2"]);
    for (const [, options] of waits) expect(options).toMatchObject({ event: expect.anything(), match: "data.requestId" });
    expect(completionEmails()).toEqual(["linked"]);
  });

  it("a request closed before its first link (cancelled or superseded) sends nothing", async () => {
    requestStates(view({ status: "cancelled", currentHop: null, needsLink: false, waitUntil: null }));
    const { result } = await engine("add", {}).execute();
    expect(result).toEqual({ status: "cancelled" });
    expect(sendEmailLink).not.toHaveBeenCalled();
  });
});

describe("email-request workflow, change (two hops)", () => {
  const change = (overrides: Partial<WorkflowView>) => view({ kind: "change", currentHop: "old", ...overrides });

  it("confirm path: old link, then new link, then both notifications", async () => {
    requestStates(
      change({ needsLink: true }),
      change({}),
      change({ currentHop: "new", needsLink: true }),
      change({ currentHop: "new" }),
      change({ status: "completed", currentHop: null, waitUntil: null }),
    );
    const { result, ctx } = await engine("change", {
      "wait for confirmation 1": { ...confirmedEvent, data: { requestId, hop: "old" } },
      "wait for confirmation 2": confirmedEvent,
    }).execute();
    expect(result).toEqual({ status: "completed" });
    const runIds = vi.mocked(ctx.step.run).mock.calls.map(([id]) => id);
    // The new address is only written to after the old hop was confirmed.
    expect(runIds.indexOf("send new-address link")).toBeGreaterThan(runIds.indexOf("send old-address link"));
    expect(runIds.indexOf("send new-address link")).toBeGreaterThan(runIds.indexOf("re-read request 1"));
    expect(completionEmails()).toEqual(["changed-notice", "linked"]);
  });

  it("expiry of the old hop: the new address never gets a link", async () => {
    requestStates(change({ needsLink: true }), change({}), change({ status: "expired", currentHop: null, waitUntil: null }));
    const { result, ctx } = await engine("change", { "wait for confirmation 1": null }).execute();
    expect(result).toEqual({ status: "expired" });
    expect(vi.mocked(ctx.step.run).mock.calls.map(([id]) => id)).not.toContain("send new-address link");
    expect(sendEmailLink).toHaveBeenCalledTimes(1);
  });

  it("expiry of the new hop: no notifications", async () => {
    requestStates(
      change({ needsLink: true }),
      change({}),
      change({ currentHop: "new", needsLink: true }),
      change({ currentHop: "new" }),
      change({ status: "expired", currentHop: null, waitUntil: null }),
    );
    const { result } = await engine("change", {
      "wait for confirmation 1": { ...confirmedEvent, data: { requestId, hop: "old" } },
      "wait for confirmation 2": null,
    }).execute();
    expect(result).toEqual({ status: "expired" });
    expect(sendEmailLink).toHaveBeenCalledTimes(2);
    expect(completionEmails()).toEqual([]);
  });

  it("superseded or cancelled while waiting: the run ends without notifications", async () => {
    requestStates(change({ needsLink: true }), change({}), change({ status: "superseded", currentHop: null, waitUntil: null }));
    const { result } = await engine("change", { "wait for confirmation 1": null }).execute();
    expect(result).toEqual({ status: "superseded" });
    expect(completionEmails()).toEqual([]);
  });
});
