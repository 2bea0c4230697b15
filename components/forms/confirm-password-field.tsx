import { TextField } from "@/components/ui/text-field";

/**
 * The password a signed-in user types again before something that cannot be
 * taken back (re-authentication): changing an address, paying, deleting the
 * account. Never prefilled: a form answer never echoes a password.
 */
export function ConfirmPasswordField({ protects, error }: { protects: "account" | "money"; error?: string }) {
  return (
    <TextField
      label="Your password"
      name="password"
      type="password"
      autoComplete="current-password"
      required
      hint={`To keep your ${protects} safe, confirm it is you.`}
      error={error}
    />
  );
}
