import { describe, expect, it } from "vitest";
import { emailRequestKind } from "@/lib/api";
import { firstHop, hopPolicy, nextHop, recipientOf } from "@/server/email-requests/policy";
import type { Hop } from "@/lib/api";

describe("the hops of each kind of request", () => {
  it("an add has one link, to the new address", () => {
    expect(firstHop("add")).toBe("new");
    expect(nextHop("add", "new")).toBeNull();
  });

  it("a change asks the old address first, then the new one, then completes", () => {
    expect(firstHop("change")).toBe("old");
    expect(nextHop("change", "old")).toBe("new");
    expect(nextHop("change", "new")).toBeNull();
  });

  it.each(emailRequestKind.options)("%s: walking the hops from the first visits each once and ends on the new address", (kind) => {
    const visited: Hop[] = [];
    for (let hop: Hop | null = firstHop(kind); hop; hop = nextHop(kind, hop)) {
      expect(visited).not.toContain(hop);
      visited.push(hop);
    }
    expect(visited.at(-1)).toBe("new");
    expect(visited.map((hop) => hopPolicy(kind, hop).hop)).toEqual(visited);
  });

  it("an add has no old-address hop", () => {
    expect(() => hopPolicy("add", "old")).toThrow(/add request has no old hop/);
  });

  it("each hop of a change is its own step, shown to people", () => {
    expect(hopPolicy("change", "old").step).not.toBe(hopPolicy("change", "new").step);
  });
});

describe("recipientOf", () => {
  const request = { oldEmail: "old@example.com", newEmail: "new@example.com" };

  it("sends the old hop to the old address and the new hop to the new one", () => {
    expect(recipientOf(request, "old")).toBe("old@example.com");
    expect(recipientOf(request, "new")).toBe("new@example.com");
  });

  it("refuses an old hop without an old address instead of guessing", () => {
    expect(() => recipientOf({ oldEmail: null, newEmail: "new@example.com" }, "old")).toThrow();
    expect(recipientOf({ oldEmail: null, newEmail: "new@example.com" }, "new")).toBe("new@example.com");
  });
});
