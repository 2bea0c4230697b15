import fs from "node:fs";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { ALERTMANAGER_CONFIG, PROMETHEUS_CONFIG, monitoringConfig } from "./monitoring";

// The run configuration is the committed one with a few values replaced:
// these tests pin what is replaced and that nothing else drifts.

const base = {
  ports: { prometheus: 19090, alertmanager: 19093 },
  targets: { app: "127.0.0.1:13100", engine: "127.0.0.1:18289" },
  metricsToken: "not-used-by-the-config-itself",
  dir: "/run/monitoring",
};
const committedRules = YAML.parse(fs.readFileSync(PROMETHEUS_CONFIG.replace("prometheus.yml", "rules/wallet.rules.yml"), "utf8"));
const committedAlertmanager = YAML.parse(fs.readFileSync(ALERTMANAGER_CONFIG, "utf8"));
type Rule = { alert: string; expr: string; for: string; labels: object; annotations: object };
const rulesOf = (doc: { groups: { rules: Rule[] }[] }) => doc.groups.flatMap((group) => group.rules);

describe("monitoringConfig", () => {
  it("scrapes the given app with the token file and the given engine, and alerts the given Alertmanager", () => {
    const prometheus = YAML.parse(monitoringConfig(base)["prometheus.yml"]);
    expect(prometheus.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: ["127.0.0.1:19093"] }] }]);
    const jobs = Object.fromEntries(prometheus.scrape_configs.map((job: { job_name: string }) => [job.job_name, job]));
    expect(jobs.wallet).toMatchObject({
      metrics_path: "/api/metrics",
      authorization: { type: "Bearer", credentials_file: "/run/monitoring/wallet-metrics-token" },
      static_configs: [{ targets: ["127.0.0.1:13100"] }],
    });
    expect(jobs["inngest-local"]).toMatchObject({ metrics_path: "/metrics", static_configs: [{ targets: ["127.0.0.1:18289"] }] });
    // The token is never written into the configuration itself.
    expect(monitoringConfig(base)["prometheus.yml"]).not.toContain(base.metricsToken);
  });

  it("without test timings, keeps the committed intervals and loads the committed rule files", () => {
    const files = monitoringConfig(base);
    const prometheus = YAML.parse(files["prometheus.yml"]);
    const committed = YAML.parse(fs.readFileSync(PROMETHEUS_CONFIG, "utf8"));
    expect(prometheus.global).toEqual(committed.global);
    expect(prometheus.rule_files).toEqual([PROMETHEUS_CONFIG.replace("prometheus.yml", "rules/wallet.rules.yml")]);
    expect(files.rules).toEqual({});
    expect(YAML.parse(files["alertmanager.yml"]).route).toEqual(committedAlertmanager.route);
  });

  it("with test timings, shortens the intervals and every non-zero for:, and nothing else of the rules", () => {
    const timing = { scrapeInterval: "1s", evaluationInterval: "1s", ruleFor: "2s", groupWait: "1s", groupInterval: "2s" };
    const files = monitoringConfig({ ...base, timing });
    const prometheus = YAML.parse(files["prometheus.yml"]);
    expect(prometheus.global).toEqual({ scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" });
    expect(prometheus.rule_files).toEqual(["/run/monitoring/rules/wallet.rules.yml"]);

    const generated = rulesOf(YAML.parse(files.rules["wallet.rules.yml"]!));
    const committed = rulesOf(committedRules);
    expect(generated.map((rule) => rule.alert)).toEqual(committed.map((rule) => rule.alert));
    generated.forEach((rule, index) => {
      const original = committed[index]!;
      expect({ ...rule, for: original.for }).toEqual(original);
      expect(rule.for).toBe(/^0[smh]?$/.test(original.for) ? original.for : "2s");
    });

    const route = YAML.parse(files["alertmanager.yml"]).route;
    expect(route).toMatchObject({ group_wait: "1s", group_interval: "2s", repeat_interval: committedAlertmanager.route.repeat_interval });
    expect(route.routes[0]).toMatchObject({
      group_wait: "1s",
      group_interval: "2s",
      matchers: committedAlertmanager.route.routes[0].matchers,
    });
  });

  it("sends alert emails through the given smarthost, to the committed receivers", () => {
    const alertmanager = YAML.parse(monitoringConfig({ ...base, smtpSmarthost: "127.0.0.1:11026" })["alertmanager.yml"]);
    expect(alertmanager.global).toEqual({ ...committedAlertmanager.global, smtp_smarthost: "127.0.0.1:11026" });
    expect(alertmanager.receivers).toEqual(committedAlertmanager.receivers);
    expect(YAML.parse(monitoringConfig(base)["alertmanager.yml"]).global).toEqual(committedAlertmanager.global);
  });
});
