import { NextResponse } from "next/server";
import { requestMeta } from "@/server/audit";
import { resendExpiredLink } from "@/server/email/resend-expired-link";
import { tokenInput } from "@/server/email/schemas";
import { assertSameOrigin, handle, readJson } from "@/server/http";

export const POST = handle(async (request) => {
  assertSameOrigin(request);
  const { token } = await readJson(request, tokenInput);
  const result = await resendExpiredLink({ token, meta: requestMeta(request.headers) });
  return NextResponse.json(result, { status: 202 });
});
