// Runs once when the server boots: a missing or malformed variable stops it
// here, rather than on the first request. The refusal is one line naming the
// variable and a non-zero exit: an operator reads the line, not a stack trace.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    try {
      await import("@/server/env");
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    }
  }
}
