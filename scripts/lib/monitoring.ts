// Prometheus and Alertmanager next to a running stack: `npm run dev -- --monitoring`
// and the monitoring end-to-end test (e2e/monitoring.spec.ts). Their run
// configuration is derived from the committed files in ops/ (the same
// scrape jobs, rules, routes and receivers), with only what differs per run
// replaced: the targets, the metrics token's file, the Alertmanager address,
// the SMTP smarthost, the data directories and, for tests, shorter intervals.
// A second hand-written copy would drift from what production runs.
//
// Both run as child processes like the stack's other services
// (scripts/lib/processes.ts): their own process group, every line kept in a
// log file, stopped in reverse order of start.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { assertPortFree } from "./ports";
import { commandRuns, startProcess, waitForHttp, type Service } from "./processes";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const PROMETHEUS_CONFIG = path.join(ROOT, "ops/prometheus/prometheus.yml");
export const ALERTMANAGER_CONFIG = path.join(ROOT, "ops/alertmanager/alertmanager.yml");

export type MonitoringPorts = { prometheus: number; alertmanager: number };

/**
 * Shorter timings for tests (Prometheus durations: "1s", "500ms"). `ruleFor`
 * replaces every non-zero `for:` of the alert rules, in a generated copy.
 */
export type MonitoringTiming = {
  scrapeInterval?: string;
  evaluationInterval?: string;
  groupWait?: string;
  groupInterval?: string;
  ruleFor?: string;
};

export type MonitoringOptions = {
  ports: MonitoringPorts;
  /** host:port of the app (scraped at /api/metrics with `metricsToken`) and of the local engine (/metrics). */
  targets: { app: string; engine: string };
  /** The app's METRICS_TOKEN: written to a file of mode 0600 that the scrape job reads, never to argv or a log. */
  metricsToken: string;
  /** host:port of the SMTP server alert emails go to; omitted: alertmanager.yml's own. */
  smtpSmarthost?: string;
  /** A directory of its own: the generated configuration, both data directories, both logs. */
  dir: string;
  /** Empty `dir` first (tests), or keep the time series and silences across runs (dev). */
  fresh?: boolean;
  timing?: MonitoringTiming;
  /** Print only warnings and errors (dev), or nothing (tests); every line goes to the log files anyway. */
  quiet?: boolean;
  signal?: AbortSignal;
};

export type Monitoring = {
  urls: { prometheus: string; alertmanager: string };
  prometheus: PrometheusClient;
  alertmanager: AlertmanagerClient;
  /** Resolves when Prometheus or Alertmanager exits on its own (a crash), with its name. */
  crashed: Promise<string>;
  stop: () => Promise<void>;
};

// ── the binaries ────────────────────────────────────────────────────────────

export type MonitoringBinaries = { prometheus: string | null; alertmanager: string | null };

/**
 * Where Prometheus and Alertmanager are: PROMETHEUS_BIN / ALERTMANAGER_BIN, or
 * on the PATH (Debian names Alertmanager `prometheus-alertmanager`).
 */
export function findMonitoringBinaries(): MonitoringBinaries {
  // A path given in the environment is the one to use, or none: no silent fallback to another version.
  const first = (given: string | undefined, candidates: string[]) => (given ? [given] : candidates).find(commandRuns) ?? null;
  return {
    prometheus: first(process.env.PROMETHEUS_BIN, ["prometheus"]),
    alertmanager: first(process.env.ALERTMANAGER_BIN, ["prometheus-alertmanager", "alertmanager"]),
  };
}

/** Why monitoring cannot start here (one sentence naming what to install), or null when it can. */
export function missingMonitoringBinaries(binaries = findMonitoringBinaries()): string | null {
  const missing = [
    binaries.prometheus ? null : { name: "prometheus", pkg: "prometheus", env: "PROMETHEUS_BIN" },
    binaries.alertmanager ? null : { name: "alertmanager", pkg: "prometheus-alertmanager", env: "ALERTMANAGER_BIN" },
  ].filter((entry) => entry !== null);
  if (missing.length === 0) return null;
  const given = missing.filter((entry) => process.env[entry.env]);
  if (given.length > 0) return given.map((entry) => `${entry.env} (${process.env[entry.env]}) does not run`).join("; ");
  return (
    `${missing.map((entry) => entry.name).join(" and ")} not found ` +
    `(apt-get install ${missing.map((entry) => entry.pkg).join(" ")}, or set ${missing.map((entry) => entry.env).join(" / ")})`
  );
}

// ── the run configuration, derived from ops/ ───────────────────────────────

type Yaml = Record<string, unknown>;
type ScrapeConfig = { job_name: string; static_configs?: { targets: string[] }[]; authorization?: Yaml } & Yaml;
type Rule = { alert?: string; record?: string; for?: string } & Yaml;
type RulesFile = { groups: { name: string; rules: Rule[] }[] };
type Route = { group_wait?: string; group_interval?: string; routes?: Route[] } & Yaml;

export type GeneratedFiles = { "prometheus.yml": string; "alertmanager.yml": string; rules: Record<string, string> };

/**
 * The configuration files of one run, as text, from the committed ones.
 * Exported for its unit test; `startMonitoring` writes them under `dir`.
 */
export function monitoringConfig(options: Omit<MonitoringOptions, "signal" | "quiet" | "fresh">): GeneratedFiles {
  const { ports, targets, timing = {}, dir } = options;
  const prometheus = YAML.parse(fs.readFileSync(PROMETHEUS_CONFIG, "utf8")) as Yaml & {
    global?: Yaml;
    scrape_configs: ScrapeConfig[];
    rule_files?: string[];
  };

  prometheus.global ??= {};
  if (timing.scrapeInterval) {
    prometheus.global.scrape_interval = timing.scrapeInterval;
    // Prometheus refuses a scrape timeout longer than the interval.
    prometheus.global.scrape_timeout = timing.scrapeInterval;
  }
  if (timing.evaluationInterval) prometheus.global.evaluation_interval = timing.evaluationInterval;
  prometheus.alerting = { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${ports.alertmanager}`] }] }] };

  const jobs = new Map(prometheus.scrape_configs.map((job) => [job.job_name, job]));
  const wallet = jobs.get("wallet");
  const engine = jobs.get("inngest-local");
  if (!wallet || !engine || jobs.size !== 2) {
    throw new Error(
      `${path.relative(ROOT, PROMETHEUS_CONFIG)} has the jobs ${[...jobs.keys()].join(", ")}; scripts/lib/monitoring.ts knows "wallet" and "inngest-local": update it too.`,
    );
  }
  wallet.static_configs = [{ targets: [targets.app] }];
  wallet.authorization = { ...wallet.authorization, credentials_file: path.join(dir, "wallet-metrics-token") };
  engine.static_configs = [{ targets: [targets.engine] }];

  // The committed rule files, read where prometheus.yml says they are. With
  // `ruleFor` they are copied with shorter `for:` durations, so that a test
  // sees an alert fire in seconds; the committed rules themselves are what
  // `promtool test rules` (npm run check:ops) checks, with their real durations.
  const rules: Record<string, string> = {};
  const ruleFiles = (prometheus.rule_files ?? []).flatMap((pattern) => expandGlob(path.resolve(path.dirname(PROMETHEUS_CONFIG), pattern)));
  if (timing.ruleFor) {
    for (const file of ruleFiles) {
      const doc = YAML.parse(fs.readFileSync(file, "utf8")) as RulesFile;
      for (const rule of doc.groups.flatMap((group) => group.rules)) {
        if (rule.alert && rule.for && !/^0+[smhdwy]?$/.test(rule.for)) rule.for = timing.ruleFor;
      }
      rules[path.basename(file)] = YAML.stringify(doc);
    }
    prometheus.rule_files = Object.keys(rules).map((name) => path.join(dir, "rules", name));
  } else {
    prometheus.rule_files = ruleFiles;
  }

  const alertmanager = YAML.parse(fs.readFileSync(ALERTMANAGER_CONFIG, "utf8")) as Yaml & { global?: Yaml; route: Route };
  if (options.smtpSmarthost) {
    alertmanager.global ??= {};
    alertmanager.global.smtp_smarthost = options.smtpSmarthost;
  }
  // Every route that sets its own timing, and the top one (the others inherit it).
  const retime = (route: Route, top: boolean) => {
    if (timing.groupWait && (top || route.group_wait)) route.group_wait = timing.groupWait;
    if (timing.groupInterval && (top || route.group_interval)) route.group_interval = timing.groupInterval;
    route.routes?.forEach((child) => retime(child, false));
  };
  retime(alertmanager.route, true);

  const header = (from: string) =>
    `# Generated by scripts/lib/monitoring.ts from ${path.relative(ROOT, from)} for one run: edit that file, not this one.\n`;
  return {
    "prometheus.yml": header(PROMETHEUS_CONFIG) + YAML.stringify(prometheus),
    "alertmanager.yml": header(ALERTMANAGER_CONFIG) + YAML.stringify(alertmanager),
    rules: Object.fromEntries(
      Object.entries(rules).map(([name, text]) => [
        name,
        `${header(path.join(ROOT, "ops/prometheus/rules", name))}# Every non-zero for: is ${timing.ruleFor} here, for a test; promtool tests the committed file.\n${text}`,
      ]),
    ),
  };
}

/** `dir/*.yml`-style patterns (a `*` in the file name only), sorted as Prometheus reads them. */
function expandGlob(pattern: string): string[] {
  const base = path.basename(pattern);
  if (!base.includes("*")) return [pattern];
  const matcher = new RegExp(`^${base.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`);
  const dir = path.dirname(pattern);
  return fs
    .readdirSync(dir)
    .filter((name) => matcher.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

// ── starting and stopping ──────────────────────────────────────────────────

export async function startMonitoring(options: MonitoringOptions): Promise<Monitoring> {
  const binaries = findMonitoringBinaries();
  const missing = missingMonitoringBinaries(binaries);
  if (missing) throw new Error(`Monitoring cannot start: ${missing}.`);
  const { ports, dir, signal } = options;
  // Something else on these ports would answer our readiness checks in place of ours.
  await assertPortFree(ports.alertmanager, "Alertmanager");
  await assertPortFree(ports.prometheus, "Prometheus");
  signal?.throwIfAborted();

  if (options.fresh) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "rules"), { recursive: true });
  const files = monitoringConfig(options);
  fs.writeFileSync(path.join(dir, "prometheus.yml"), files["prometheus.yml"]);
  fs.writeFileSync(path.join(dir, "alertmanager.yml"), files["alertmanager.yml"]);
  for (const [name, text] of Object.entries(files.rules)) fs.writeFileSync(path.join(dir, "rules", name), text);
  const tokenFile = path.join(dir, "wallet-metrics-token");
  fs.rmSync(tokenFile, { force: true });
  fs.writeFileSync(tokenFile, options.metricsToken, { mode: 0o600 });

  const urls = { prometheus: `http://127.0.0.1:${ports.prometheus}`, alertmanager: `http://127.0.0.1:${ports.alertmanager}` };
  const started: Service[] = [];
  const stop = async () => {
    for (const service of started.splice(0).reverse()) await service.stop();
  };
  const run = (name: string, command: string, args: string[]) => {
    const log = fs.createWriteStream(path.join(dir, `${name}.log`), { flags: "w" });
    const service = startProcess(name, command, args, {
      quiet: options.quiet,
      onLine: (line) => log.write(`${line}\n`),
      // Both log every start-up step at info level: only what needs a look.
      show: (line) => /level=(warn|error)/.test(line) && !/Received SIGTERM/.test(line),
    });
    void service.exited.then(() => log.end());
    started.push(service);
    return service;
  };

  try {
    // Alertmanager first: Prometheus sends to it as soon as a rule fires.
    const alertmanager = run("alertmanager", binaries.alertmanager!, [
      `--config.file=${path.join(dir, "alertmanager.yml")}`,
      `--storage.path=${path.join(dir, "alertmanager")}`,
      `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
      `--web.external-url=${urls.alertmanager}`,
      // One instance: no gossip port (9094 by default, shared by every run on the machine).
      "--cluster.listen-address=",
    ]);
    await waitUntilReady("Alertmanager", `${urls.alertmanager}/-/ready`, alertmanager, path.join(dir, "alertmanager.log"), signal);
    const prometheus = run("prometheus", binaries.prometheus!, [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "prometheus")}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
      `--web.external-url=${urls.prometheus}`,
    ]);
    await waitUntilReady("Prometheus", `${urls.prometheus}/-/ready`, prometheus, path.join(dir, "prometheus.log"), signal);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    urls,
    prometheus: new PrometheusClient(urls.prometheus),
    alertmanager: new AlertmanagerClient(urls.alertmanager),
    crashed: Promise.race(
      started.map((service) => service.exited.then(() => (service.name === "prometheus" ? "Prometheus" : "Alertmanager"))),
    ),
    stop,
  };
}

/** Waits for `/-/ready` (503 while starting); on failure, says why with the end of the log. */
async function waitUntilReady(name: string, url: string, service: Service, log: string, signal?: AbortSignal): Promise<void> {
  const alive = () => service.child.exitCode === null && service.child.signalCode === null;
  try {
    await waitForHttp(url, 30_000, alive, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n  ") : "";
    throw new Error(`${name} is not ready: ${(error as Error).message} (log: ${path.relative(ROOT, log)}):\n  ${tail}`, { cause: error });
  }
}

// ── clients ─────────────────────────────────────────────────────────────────

export type Sample = { metric: Record<string, string>; value: number };
export type PrometheusAlert = {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing";
  activeAt: string;
  value: string;
};
export type TargetHealth = { job: string; instance: string; health: "up" | "down" | "unknown"; lastError: string };
export type AlertmanagerAlert = {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: "active" | "suppressed" | "unprocessed" };
  receivers: { name: string }[];
};

/** Prometheus's HTTP API, the parts tests read. */
export class PrometheusClient {
  constructor(readonly url: string) {}

  /** An instant query (now): each series with its value; a scalar result is one sample without labels. */
  async query(expr: string): Promise<Sample[]> {
    const data = await this.get<{ resultType: string; result: unknown }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (data.resultType === "scalar") return [{ metric: {}, value: sampleValue((data.result as [number, string])[1]) }];
    if (data.resultType !== "vector") throw new Error(`${expr}: a ${data.resultType}, not an instant vector`);
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((sample) => ({
      metric: sample.metric,
      value: sampleValue(sample.value[1]),
    }));
  }

  /** The alerts that are pending or firing now (GET /api/v1/alerts). */
  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.get<{ alerts: PrometheusAlert[] }>("/api/v1/alerts")).alerts;
  }

  /** Each active target's health, from its last scrape. */
  async targets(): Promise<TargetHealth[]> {
    const data = await this.get<{
      activeTargets: { labels: Record<string, string>; health: TargetHealth["health"]; lastError: string }[];
    }>("/api/v1/targets?state=active");
    return data.activeTargets.map((target) => ({
      job: target.labels.job ?? "",
      instance: target.labels.instance ?? "",
      health: target.health,
      lastError: target.lastError,
    }));
  }

  private async get<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${this.url}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`Prometheus ${pathAndQuery}: ${body.error ?? response.status}`);
    return body.data;
  }
}

/** Alertmanager's API v2, the alerts it holds. */
export class AlertmanagerClient {
  constructor(readonly url: string) {}

  async alerts(): Promise<AlertmanagerAlert[]> {
    const response = await fetch(`${this.url}/api/v2/alerts`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`Alertmanager /api/v2/alerts answered ${response.status}`);
    return (await response.json()) as AlertmanagerAlert[];
  }
}

/** Prometheus writes sample values as strings, infinities as "+Inf" / "-Inf". */
function sampleValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}
