import { NextResponse, type NextRequest } from "next/server";
import { requestMeta } from "@/server/audit";
import { keepCurrentSession } from "@/server/auth/refresh-session";
import { confirmEmailLink } from "@/server/email/confirm-email-link";
import { tokenInput } from "@/server/email/schemas";
import { assertSameOrigin, handle, readJson } from "@/server/http";

export const POST = handle<unknown>(async (request) => {
  assertSameOrigin(request);
  const { token } = await readJson(request, tokenInput);
  const result = await confirmEmailLink({ token, meta: requestMeta(request.headers) });
  const body =
    result.outcome === "old-confirmed" ? { outcome: result.outcome, nextSentTo: result.nextSentTo } : { outcome: result.outcome };
  const response = NextResponse.json(body);
  if (result.outcome === "changed") await keepCurrentSession(request as NextRequest, response, result);
  return response;
});
