import { z } from "zod";
import { currentPasswordField, emailField } from "@/server/accounts/schemas";

export const requestEmailInput = z.object({ email: emailField, password: currentPasswordField });

/** Link tokens arrive as strings; their shape is checked where they are looked up. */
export const tokenInput = z.object({ token: z.string({ error: "The link token is missing." }).max(200) });
