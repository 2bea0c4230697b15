import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailRequested } from "@/lib/events";
import { startEventRecorder, type EventRecorder, type RecordedEvent } from "./event-recorder";

// The integration tests trust the recorder to see what the real SDK sends.

let recorder: EventRecorder;
beforeAll(async () => {
  recorder = await startEventRecorder();
});
afterAll(() => recorder.stop());

const recorded = async (query: string) => (await (await fetch(`${recorder.url}/events?${query}`)).json()) as RecordedEvent[];

describe("event recorder", () => {
  it("answers the real Inngest SDK's send like Inngest does, and records the events", async () => {
    const inngest = new Inngest({ id: "recorder-test", isDev: true, baseUrl: recorder.url });
    const requestId = crypto.randomUUID();
    const userId = crypto.randomUUID();

    const { ids } = await inngest.send([
      emailRequested.create({ requestId, userId, kind: "add" }, { id: `email-request-${requestId}` }),
      { name: "other/thing.happened", data: { requestId } },
    ]);

    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(`email-request-${requestId}`);
    expect(await recorded(`requestId=${requestId}`)).toMatchObject([
      { name: "account/email.requested", data: { requestId, userId, kind: "add" } },
      { name: "other/thing.happened" },
    ]);
    expect(await recorded(`name=account/email.requested&requestId=${requestId}`)).toHaveLength(1);
    expect(await recorded(`requestId=${crypto.randomUUID()}`)).toEqual([]);
  });
});
