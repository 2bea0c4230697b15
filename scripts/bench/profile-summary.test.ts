import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { moduleOf, summarise } from "./profile-summary";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "profile-summary-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: "0" });

/**
 * root → handler (the app) → decode (next-auth) → hkdf (node:crypto) → run (native)
 *                                                 → jwtDecrypt (jose)
 *      → (garbage collector), (idle)
 * Samples, 1 ms each: run ×4, jwtDecrypt ×2, handler ×2, gc ×2, idle ×10.
 */
function writeProfile(): string {
  const nodes = [
    { id: 1, callFrame: frame("(root)"), children: [2, 7, 8] },
    { id: 2, callFrame: frame("handler", "file:///srv/app/api/account/route.ts", 3), children: [3] },
    { id: 3, callFrame: frame("decode", "file:///srv/node_modules/next-auth/jwt/index.js", 50), children: [4, 6] },
    { id: 4, callFrame: frame("hkdf", "node:internal/crypto/hkdf", 101), children: [5] },
    { id: 5, callFrame: frame("run") },
    { id: 6, callFrame: frame("jwtDecrypt", "file:///srv/node_modules/jose/dist/node/cjs/jwt/decrypt.js", 8) },
    { id: 7, callFrame: frame("(garbage collector)") },
    { id: 8, callFrame: frame("(idle)") },
  ];
  const samples = [5, 5, 5, 5, 6, 6, 2, 2, 7, 7, ...Array(10).fill(8)];
  const file = path.join(dir, "synthetic.cpuprofile");
  fs.writeFileSync(
    file,
    JSON.stringify({ nodes, samples, timeDeltas: samples.map(() => 1000), startTime: 0, endTime: samples.length * 1000 }),
  );
  return file;
}

describe("profile-summary", () => {
  it("names packages, scoped packages, Next's parts and project files", () => {
    expect(moduleOf("file:///srv/node_modules/%40panva/hkdf/dist/index.js")).toBe("@panva/hkdf");
    expect(moduleOf("/srv/node_modules/next/dist/compiled/next-server/app-page.runtime.prod.js")).toBe("next/dist/compiled/next-server");
    expect(moduleOf("/srv/node_modules/next-auth/core/routes/session.js")).toBe("next-auth/core");
    expect(moduleOf("../../../server/auth/current-user.ts")).toBe("server/auth/current-user.ts");
    expect(moduleOf("node:internal/crypto/hkdf")).toBe("node:internal/crypto/hkdf");
  });

  it("gives shares of the busy time, self and inclusive, and charges native and Node-internal time to the package that asked", () => {
    const summary = summarise(writeProfile());
    expect(summary.idleShare).toBeCloseTo(0.5);
    const share = (rows: { name: string; selfShare: number; totalShare: number }[], name: string) => rows.find((row) => row.name === name);

    // Busy time is 10 ms: the native key derivation is 4 of it.
    expect(share(summary.byFunction, "run [native] ← hkdf node:internal/crypto/hkdf:102")).toMatchObject({
      selfShare: 0.4,
      totalShare: 0.4,
    });
    expect(share(summary.byModule, "next-auth/jwt")).toMatchObject({ selfShare: 0, totalShare: 0.6 });
    expect(share(summary.byModule, "app/api/account/route.ts")).toMatchObject({ selfShare: 0.2, totalShare: 0.8 });
    expect(share(summary.byModule, "jose")).toMatchObject({ selfShare: 0.2 });
    // By package, Node's crypto is next-auth's cost.
    expect(share(summary.byOwner, "next-auth/jwt")?.selfShare).toBeCloseTo(0.4);
    expect(share(summary.byOwner, "(garbage collector)")?.selfShare).toBeCloseTo(0.2);
    expect(summary.byOwner.some((row) => row.name === "(idle)")).toBe(false);
  });
});
