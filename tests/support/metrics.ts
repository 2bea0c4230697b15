// Reading the app's Prometheus exposition text as a scraper would, to assert
// that a metric moved when its event happened.
import { metrics } from "@/server/metrics";

/** The registry's exposition text, as GET /api/metrics answers it. */
export const scrape = () => metrics.registry.metrics();

/** The value of one sample (`name` with exactly these labels) in an exposition text; 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!]);
    if (JSON.stringify(found.sort()) === wanted) return Number(match[3]);
  }
  return 0;
}

/** How much a sample grew while `act` ran (counters, histogram counts). */
export async function growth(name: string, labels: Record<string, string>, act: () => Promise<unknown>): Promise<number> {
  const before = sample(await scrape(), name, labels);
  await act();
  return sample(await scrape(), name, labels) - before;
}
