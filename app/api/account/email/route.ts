import { NextResponse } from "next/server";
import { requestMeta } from "@/server/audit";
import { requireUser } from "@/server/auth/current-user";
import { requestEmail } from "@/server/email/request-email";
import { requestEmailInput } from "@/server/email/schemas";
import { assertSameOrigin, handle, readJson } from "@/server/http";

export const POST = handle(async (request) => {
  assertSameOrigin(request);
  const user = await requireUser();
  const input = await readJson(request, requestEmailInput, { emailCode: "INVALID_EMAIL" });
  const emailRequest = await requestEmail({ user, ...input, meta: requestMeta(request.headers) });
  return NextResponse.json({ emailRequest }, { status: 202 });
});
