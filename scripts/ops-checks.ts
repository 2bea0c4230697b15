// npm run check:ops — the operations files checked by the tools that load
// them: promtool validates the Prometheus configuration and the alert rules
// and runs the rules' unit tests (ops/prometheus/tests), amtool validates the
// Alertmanager configuration, promtool parses every Grafana panel's query
// (ops/grafana/dashboards, written out as recording rules), and
// systemd-analyze verifies the release's systemd unit. Without a tool: each
// alert still has its runbook and its firing and quiet rule tests checked.
// Debian ships the tools in `prometheus`, `prometheus-alertmanager` and
// `systemd`. Outside CI a missing tool is a one-line skip, so `npm test` works
// on a laptop without them; in CI (CI set) it is a failure, because .ci/run
// installs them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { panelQueries } from "./lib/dashboards";
import { commandRuns } from "./lib/processes";

const ROOT = path.resolve(import.meta.dirname, "..");
const inCi = Boolean(process.env.CI);

const yamlIn = (dir: string) =>
  fs
    .readdirSync(path.join(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));

// promtool has no "parse this expression" command; a rule file is the way
// it checks PromQL offline. JSON is YAML, so no quoting rules to get wrong.
function dashboardQueriesAsRules(): string {
  const rules = panelQueries().map((query, index) => ({
    record: `dashboard:${query.dashboard.replaceAll("-", "_")}:${index}`,
    expr: query.expr,
    labels: { panel: `${query.panel} (${query.refId})` },
  }));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wallet-dashboards-")), "panel-queries.rules.yml");
  fs.writeFileSync(file, JSON.stringify({ groups: [{ name: "grafana-panels", rules }] }, null, 2));
  return file;
}

// What promtool cannot know: every alert has its runbook, and unit tests that
// see it fire (`exp_alerts` listing it) and see it stay quiet (`exp_alerts: []`).
type RuleFile = { groups: { rules: { alert?: string; annotations?: { runbook_url?: string } }[] }[] };
type RuleTestFile = { tests?: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] };
function alertCoverageProblems(): string[] {
  const read = <T>(file: string) => YAML.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as T;
  const alerts = yamlIn("ops/prometheus/rules")
    .flatMap((file) => read<RuleFile>(file).groups.flatMap((group) => group.rules))
    .filter((rule) => rule.alert);
  const cases = yamlIn("ops/prometheus/tests")
    .flatMap((file) => read<RuleTestFile>(file).tests ?? [])
    .flatMap((test) => test.alert_rule_test ?? []);
  return alerts.flatMap(({ alert, annotations }) => [
    ...(fs.existsSync(path.join(ROOT, "docs/runbooks", `${alert}.md`)) ? [] : [`${alert}: no runbook at docs/runbooks/${alert}.md`]),
    ...(annotations?.runbook_url === `docs/runbooks/${alert}.md` ? [] : [`${alert}: runbook_url is not docs/runbooks/${alert}.md`]),
    ...(cases.some((c) => c.alertname === alert && (c.exp_alerts?.length ?? 0) > 0) ? [] : [`${alert}: no rule test sees it fire`]),
    ...(cases.some((c) => c.alertname === alert && (c.exp_alerts?.length ?? 0) === 0) ? [] : [`${alert}: no rule test sees it stay quiet`]),
  ]);
}

const coverage = alertCoverageProblems();
console.log(coverage.length === 0 ? "✔ every alert has a runbook and rule tests that see it fire and stay quiet" : "✖ alert coverage:");
for (const problem of coverage) console.error(`    ${problem}`);
let failed = coverage.length > 0;

// The release's systemd unit, loaded by systemd's own parser. Its paths are
// the host's (/srv/wallet/current): they point at an empty stand-in release
// here, since verify insists the ExecStart binary exists. verify exits 0 on an
// unknown key or a bad value and only prints them, so any output fails.
function systemdUnitsToVerify(): { dir: string; units: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wallet-units-"));
  const release = path.join(dir, "release");
  fs.mkdirSync(path.join(release, "bin"), { recursive: true });
  fs.writeFileSync(path.join(release, "bin", "start"), "#!/bin/sh\n", { mode: 0o755 });
  const source = "scripts/release/files/systemd";
  const units = fs
    .readdirSync(path.join(ROOT, source))
    .filter((name) => name.endsWith(".service"))
    .map((name) => {
      const text = fs.readFileSync(path.join(ROOT, source, name), "utf8").replaceAll("/srv/wallet/current", release);
      // A template (wallet@.service) is verified as one of its instances.
      const unit = path.join(dir, name.replace("@.", "@3001."));
      fs.writeFileSync(unit, text);
      return unit;
    });
  return { dir, units };
}

const dashboardRules = dashboardQueriesAsRules();
const systemdUnits = systemdUnitsToVerify();
const checks: { tool: string; args: string[]; silentWhenValid?: boolean }[] = [
  { tool: "promtool", args: ["check", "config", "ops/prometheus/prometheus.yml"] },
  { tool: "promtool", args: ["check", "rules", ...yamlIn("ops/prometheus/rules")] },
  { tool: "promtool", args: ["test", "rules", ...yamlIn("ops/prometheus/tests")] },
  { tool: "amtool", args: ["check-config", "ops/alertmanager/alertmanager.yml"] },
  { tool: "promtool", args: ["check", "rules", dashboardRules] },
  { tool: "systemd-analyze", args: ["verify", ...systemdUnits.units], silentWhenValid: true },
];

const packages: Record<string, string> = { promtool: "prometheus", amtool: "prometheus-alertmanager", "systemd-analyze": "systemd" };
const missing = Object.keys(packages).filter((tool) => !commandRuns(tool));
if (missing.length > 0) {
  const install = `apt-get install ${missing.map((tool) => packages[tool]).join(" ")}`;
  if (inCi) {
    console.error(`✖ ${missing.join(" and ")} not found: CI must check the monitoring files and the systemd unit (${install})`);
    failed = true;
  } else {
    console.log(`- skipped the ${missing.join(" and ")} checks: not installed (${install}); CI runs them`);
  }
}

for (const { tool, args, silentWhenValid } of checks) {
  if (missing.includes(tool)) continue;
  console.log(`▶ ${tool} ${args.join(" ")}`);
  const result = spawnSync(tool, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  process.stdout.write(output);
  if (result.status !== 0 || (silentWhenValid && output.trim() !== "")) {
    console.error(`✖ ${tool} ${args.slice(0, 2).join(" ")} failed`);
    failed = true;
  } else if (silentWhenValid) {
    console.log("  SUCCESS");
  }
}

fs.rmSync(path.dirname(dashboardRules), { recursive: true, force: true });
fs.rmSync(systemdUnits.dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
