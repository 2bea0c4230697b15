// Runs once when the server boots: a missing or malformed variable stops it
// here, with a message naming the variable, rather than on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("@/server/env");
  }
}
