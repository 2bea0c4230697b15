// The benchmark's app, run as a child process (like a real app next to the
// engine): real inngest functions behind `inngest/node`. It reports moments
// ("signals") to the parent over IPC, stamped on a clock both processes share.
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import { createServer } from "inngest/node";

export const STEPS = 20;
const now = () => performance.timeOrigin + performance.now();
const signal = (token: string) => process.send?.({ type: "signal", token, at: now() });

const inngest = new Inngest({
  id: "bench",
  isDev: true,
  baseUrl: process.env.ENGINE_URL,
  logger: { info() {}, warn() {}, error() {}, debug() {} },
});

export const work = (i: number) => ({ i, square: i * i });

const functions = [
  inngest.createFunction({ id: "created", triggers: [{ event: "bench/trigger" }] }, async () => "ok"),
  inngest.createFunction({ id: "steps", triggers: [{ event: "bench/steps" }] }, async ({ event, step }) => {
    let last: unknown;
    for (let i = 0; i < STEPS; i++) last = await step.run(`step-${i}`, () => work(i));
    await step.run("done", () => signal(String(event.data.token)));
    return last;
  }),
  inngest.createFunction({ id: "waiter", triggers: [{ event: "bench/request" }] }, async ({ event, step }) => {
    await step.run("ready", () => signal(`ready:${event.data.requestId}`));
    const confirmation = await step.waitForEvent("confirm", { event: "bench/confirm", match: "data.requestId", timeout: "24h" });
    await step.run("resumed", () => signal(`resumed:${event.data.requestId}`));
    return confirmation?.data ?? null;
  }),
];

if (process.send) {
  const server = createServer({ client: inngest, functions });
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    process.send?.({ type: "listening", url: `http://127.0.0.1:${port}/api/inngest` });
  });
  process.on("disconnect", () => process.exit(0));
}
