import { NextResponse } from "next/server";
import { requestMeta } from "@/server/audit";
import { presentUser } from "@/server/accounts/present";
import { signUpInput } from "@/server/accounts/schemas";
import { signUp } from "@/server/accounts/sign-up";
import { assertSameOrigin, handle, readJson } from "@/server/http";

export const POST = handle(async (request) => {
  assertSameOrigin(request);
  const input = await readJson(request, signUpInput);
  const user = await signUp({ ...input, meta: requestMeta(request.headers) });
  return NextResponse.json({ user: presentUser(user) }, { status: 201 });
});
