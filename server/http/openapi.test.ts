import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/server/http/openapi";
import { operations } from "@/server/http/operations";

// /api/openapi.json must describe every route the app serves, as served:
// each route file's handlers are found on disk and matched to the document.

const API_DIR = path.resolve(import.meta.dirname, "../../app/api");

// Handlers whose protocol belongs to someone else, and the catch-all 404.
const NOT_OURS = new Set(["/api/auth/[...nextauth]", "/api/inngest", "/api/[...path]"]);

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

const ours = routeFiles(API_DIR)
  .map((file) => ({ file, apiPath: `/api${path.dirname(file).slice(API_DIR.length)}` }))
  .filter(({ apiPath }) => !NOT_OURS.has(apiPath))
  // A dynamic segment's folder ([id]) is a path parameter ({id}) in OpenAPI.
  .map((route) => ({ ...route, apiPath: route.apiPath.replace(/\[(\w+)\]/g, "{$1}") }));

const served = ours.flatMap(({ file, apiPath }) =>
  [...fs.readFileSync(file, "utf8").matchAll(/\b(GET|POST|PUT|PATCH|DELETE): route\(operations\.(\w+)/g)].map(([, method, name]) => ({
    apiPath,
    method: method!,
    name: name! as keyof typeof operations,
  })),
);

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
const doc = openApiDocument() as Doc;

describe("/api/openapi.json", () => {
  it("is OpenAPI 3.1", () => {
    expect(doc.openapi).toBe("3.1.0");
  });

  it.each(ours)("$apiPath is built from operations (so the document can describe it)", ({ apiPath }) => {
    expect(served.filter((route) => route.apiPath === apiPath)).not.toEqual([]);
  });

  it.each(served)("describes $method $apiPath as served", ({ apiPath, method, name }) => {
    expect(operations[name]).toMatchObject({ path: apiPath, method });
    expect(doc.paths[apiPath]?.[method.toLowerCase()]?.operationId).toBe(name);
  });

  it("describes nothing that is not served", () => {
    const described = Object.entries(doc.paths).flatMap(([apiPath, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${apiPath}`),
    );
    expect(described.sort()).toEqual(served.map(({ method, apiPath }) => `${method} ${apiPath}`).sort());
  });

  it("lists each operation's error codes under their statuses", () => {
    const start = doc.paths["/api/account/email"]!.post!.responses;
    expect(Object.keys(start)).toEqual(expect.arrayContaining(["202", "401", "409", "415", "422", "423", "429"]));
    expect(JSON.stringify(start["409"])).toContain("EMAIL_TAKEN");
    expect(JSON.stringify(start["409"])).toContain("SAME_EMAIL");
  });
});
