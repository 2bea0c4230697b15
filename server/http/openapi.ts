import "server-only";
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { commonErrors, operations, type Operation } from "@/server/http/operations";

// OpenAPI 3.1 from the operations table: bodies as their input JSON Schema
// (what a client sends, before the schemas canonicalise it), answers as
// their output, and every error code an operation can answer with.

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe("A sentence the user can act on"),
    fields: z.record(z.string(), z.string()).optional().describe("Per-field messages, keyed by the field's path"),
    attemptsLeft: z.number().int().optional(),
    lockedUntil: z.string().optional(),
    until: z.string().optional().describe("COOLING_OFF: when it ends"),
    retryAfterMs: z.number().int().optional().describe("LOCKED, RATE_LIMITED, SERVICE_UNAVAILABLE: milliseconds to wait"),
    retryAt: z.string().optional(),
  }),
});

const schema = (type: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(type, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;

function describeOperation(name: string, operation: Operation) {
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(operation.answers)) {
    responses[status] = {
      description: status.startsWith("2") ? "Success" : "See the body",
      content: { [(status.startsWith("2") && operation.answerType) || "application/json"]: { schema: schema(answer, "output") } },
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...operation.errors, ...commonErrors(operation)])) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `Error codes: ${codes.join(", ")}`,
      content: { "application/json": { schema: { ...schema(errorBody, "output"), "x-error-codes": codes } } },
      ...(status === 423 || status === 429 ? { headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds" } } } : {}),
    };
  }
  return {
    operationId: name,
    summary: operation.summary,
    ...(operation.auth === "user" && { security: [{ session: [] }] }),
    ...(operation.params && { parameters: pathParameters(operation.params) }),
    ...(operation.body && {
      requestBody: { required: true, content: { "application/json": { schema: schema(operation.body, "input") } } },
    }),
    responses,
  };
}

/** A path's dynamic segments as OpenAPI parameters, from the operation's `params` schema. */
function pathParameters(params: z.ZodType) {
  const properties = (schema(params, "input").properties ?? {}) as Record<string, unknown>;
  return Object.entries(properties).map(([name, property]) => ({ name, in: "path", required: true, schema: property }));
}

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, operation] of Object.entries(operations)) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method.toLowerCase()] = describeOperation(name, operation);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Wallet account API",
      version: "1",
      description:
        "Errors are always `{error: {code, message, fields?}}`. Browser requests that mutate must come from the app's own origin. " +
        "Sign-in is next-auth's credentials flow at /api/auth/* (not described here); the Inngest SDK serves /api/inngest.",
    },
    components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" } } },
    paths,
  };
  return cached;
}
