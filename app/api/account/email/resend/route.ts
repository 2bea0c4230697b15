import { NextResponse } from "next/server";
import { requestMeta } from "@/server/audit";
import { requireUser } from "@/server/auth/current-user";
import { resendEmailLink } from "@/server/email/resend-email-link";
import { assertSameOrigin, handle } from "@/server/http";

export const POST = handle(async (request) => {
  assertSameOrigin(request);
  const user = await requireUser();
  const emailRequest = await resendEmailLink({ userId: user.id, meta: requestMeta(request.headers) });
  return NextResponse.json({ emailRequest }, { status: 202 });
});
