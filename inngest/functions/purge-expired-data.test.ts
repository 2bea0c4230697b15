import { describe, expect, it, vi } from "vitest";

vi.mock("@/server/retention/purge-expired-data", () => ({ purgeExpiredData: vi.fn() }));

const { functions } = await import("@/inngest/functions");
const { purgeExpiredDataFunction } = await import("@/inngest/functions/purge-expired-data");

describe("the retention job", () => {
  it("is served, on a daily cron", () => {
    expect(functions).toContain(purgeExpiredDataFunction);
    const config = purgeExpiredDataFunction["opts"] as { id: string; triggers: { cron?: string }[] };
    expect(config.id).toBe("purge-expired-data");
    expect(config.triggers).toEqual([{ cron: expect.stringMatching(/^TZ=\S+ \d+ \d+ \* \* \*$/) }]);
  });
});
