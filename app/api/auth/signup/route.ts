import { presentUser } from "@/server/accounts/present";
import { signUp } from "@/server/accounts/sign-up";
import { operations } from "@/server/http/operations";
import { endpoint, json, route } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE } = endpoint({
  POST: route(operations.signUp, async ({ body, meta }) => json({ user: presentUser(await signUp({ ...body, meta })) }, 201)),
});
