import path from "node:path";
import { E2E_SECRETS } from "../../scripts/lib/e2e-env";
import { missingMonitoringBinaries, startMonitoring, type Monitoring } from "../../scripts/lib/monitoring";
import { TEST_MONITORING_PORTS, TEST_PORTS } from "../../scripts/lib/ports-config";
import { LOCAL_STACK } from "./env";

// Prometheus and Alertmanager against the local e2e stack, for
// e2e/monitoring.spec.ts: the committed configuration of ops/ with the stack's
// targets, its metrics token and its mail catcher, on fast timings.

export type { Monitoring } from "../../scripts/lib/monitoring";

/**
 * Seconds, not the minutes of ops/: a scrape and an evaluation every second,
 * an alert firing 2 s after its condition holds (every non-zero `for:`), and
 * Alertmanager sending a group after 1 s. A range query over this Prometheus
 * needs a window of a few scrapes at least (`[10s]`, not `[2s]`).
 */
const MONITORING_TIMING = {
  scrapeInterval: "1s",
  evaluationInterval: "1s",
  ruleFor: "2s",
  groupWait: "1s",
  groupInterval: "2s",
} as const;

/** Where alert emails go (alertmanager.yml's receivers). */
export const ONCALL = "oncall@wallet.example";

/** Why this run cannot start them (not the local stack, a binary missing), or null when it can. */
export function monitoringMissing(): string | null {
  // The targets are the test ports: against a deployment Prometheus would scrape nothing of it.
  if (!LOCAL_STACK) return "Prometheus scrapes the local e2e stack only (BASE_URL is set)";
  return missingMonitoringBinaries();
}

/** Starts both on the test ports (TEST_PORT_OFFSET moves them), empty; `stop()` when done. */
export function startE2eMonitoring(): Promise<Monitoring> {
  return startMonitoring({
    ports: TEST_MONITORING_PORTS,
    targets: { app: `127.0.0.1:${TEST_PORTS.app}`, engine: `127.0.0.1:${TEST_PORTS.engine}` },
    metricsToken: E2E_SECRETS.METRICS_TOKEN,
    smtpSmarthost: `127.0.0.1:${TEST_PORTS.smtp}`,
    dir: path.resolve(".data/monitoring-e2e"),
    fresh: true,
    timing: MONITORING_TIMING,
    quiet: true,
  });
}
