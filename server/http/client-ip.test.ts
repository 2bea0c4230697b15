import { describe, expect, it } from "vitest";
import { budgetKey, clientIp, normalizeIp } from "@/server/http/client-ip";

const xff = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientIp", () => {
  it("with no trusted proxy, takes the last entry: the socket peer `next start` wrote", () => {
    expect(clientIp(xff("203.0.113.7"), 0)).toBe("203.0.113.7");
    expect(clientIp(xff("1.1.1.1, 203.0.113.7"), 0)).toBe("203.0.113.7");
  });

  it("with N trusted proxies, takes the Nth entry from the right and ignores what the client prepended", () => {
    const spoofed = xff("6.6.6.6, 7.7.7.7, 203.0.113.7, 10.0.0.2");
    expect(clientIp(spoofed, 1)).toBe("10.0.0.2");
    expect(clientIp(spoofed, 2)).toBe("203.0.113.7");
    // Rotating the spoofed part does not change the answer.
    expect(clientIp(xff("8.8.8.8, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
  });

  it("is null when the request passed through fewer proxies than configured (never falls back to a client-written entry)", () => {
    expect(clientIp(xff("203.0.113.7"), 2)).toBeNull();
    expect(clientIp(new Headers(), 0)).toBeNull();
    expect(clientIp(new Headers({ "x-real-ip": "203.0.113.7" }), 0)).toBeNull();
  });

  it("is null when the trusted entry is not an IP address", () => {
    for (const bad of [
      "unknown",
      "",
      "203.0.113.7:443",
      "[2001:db8::1]",
      "203.0.113.256",
      "a".repeat(100),
      "203.0.113.7\u0000",
      "::1 OR 1=1",
    ]) {
      expect(clientIp({ "x-forwarded-for": `1.2.3.4, ${bad}` }, 1), JSON.stringify(bad)).toBeNull();
    }
  });

  it("reads Node's header record, including repeated headers", () => {
    expect(clientIp({ "x-forwarded-for": ["6.6.6.6", "203.0.113.7, 10.0.0.2"] }, 2)).toBe("203.0.113.7");
    expect(clientIp({ "x-forwarded-for": "2001:DB8::1" }, 0)).toBe("2001:db8::1");
  });
});

describe("normalizeIp", () => {
  it("spells IPv4-mapped IPv6 (what Node reports on a dual-stack socket) as IPv4", () => {
    expect(normalizeIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeIp(" 198.51.100.1 ")).toBe("198.51.100.1");
  });
});

describe("budgetKey", () => {
  it("counts IPv4 per address and IPv6 per /64, however the address is written", () => {
    expect(budgetKey("203.0.113.7")).toBe("203.0.113.7");
    expect(budgetKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(budgetKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(budgetKey("2001:0db8:0001:0002::abcd")).toBe("2001:db8:1:2::/64");
    expect(budgetKey("::1")).toBe("0:0:0:0::/64");
    expect(budgetKey(null)).toBe("unknown");
  });
});
