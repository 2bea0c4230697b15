import { describe, expect, it } from "vitest";
import { createMessageStore } from "./store";

const mail = (subject: string, to: string[] = ["a@example.com"]) => ({ from: "w@wallet.test", to, subject, text: "", html: "" });

describe("the in-memory inbox", () => {
  it("lists newest first, drops the oldest beyond its cap, and empties", () => {
    const store = createMessageStore(2, () => new Date("2026-11-23T10:00:00Z"));
    const first = store.add(mail("1"));
    store.add(mail("2"));
    store.add(mail("3"));
    expect(store.list().map((m) => m.subject)).toEqual(["3", "2"]);
    expect(store.get(first.id)).toBeUndefined();
    expect(store.list()[0]?.receivedAt).toBe("2026-11-23T10:00:00.000Z");
    expect(store.clear()).toBe(2);
    expect(store.size).toBe(0);
  });

  it("filters on whole recipient addresses, ignoring case and spaces", () => {
    const store = createMessageStore(10);
    store.add(mail("both", ["One@Example.com", "two@example.com"]));
    store.add(mail("two", ["two@example.com"]));
    expect(store.list({ to: " ONE@example.com " }).map((m) => m.subject)).toEqual(["both"]);
    expect(store.list({ to: "two@example.com" }).map((m) => m.subject)).toEqual(["two", "both"]);
    expect(store.list({ to: "ne@example.com" })).toEqual([]);
    expect(store.list({ to: "" })).toHaveLength(2);
  });

  it("keeps its own copy of the recipients", () => {
    const store = createMessageStore(10);
    const to = ["a@example.com"];
    const message = store.add(mail("x", to));
    to.push("b@example.com");
    expect(store.get(message.id)?.to).toEqual(["a@example.com"]);
  });
});
