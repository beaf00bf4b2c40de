/**
 * Triage's charts of the instance an alarm is about (`instance_metrics`): a chart per series
 * with its unit, zeros charted, an empty series said in words, a failed metric showing its
 * error, the range and period shared with the alarm's chart, and no section for an alarm
 * about no instance.
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { periodFor } from "../../lib/incident/instance-metrics.svelte";
import { clearMocks } from "../../lib/ipc/testing";
import { COMPOSITE, incidentBackend, NOW } from "../../test/incident-fixtures";
import { sent, show } from "../../test/incident-render";

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

const chartOf = (metric: string) =>
  screen.getAllByTestId("instance-chart").find((c) => c.dataset.metric === metric);

describe("Triage's instance metrics", { timeout: 20_000 }, () => {
  it("charts each series of the alarm's instance with its unit, beside the alarm's own chart", async () => {
    const backend = incidentBackend();
    show(backend);
    const section = await screen.findByTestId("instance-metrics");
    await waitFor(() => expect(screen.getAllByTestId("instance-chart")).toHaveLength(5));
    expect(within(section).getByRole("heading").textContent).toContain(
      "Instance i-0000000000000001 metrics",
    );
    expect(screen.getAllByTestId("instance-chart").map((c) => c.dataset.metric)).toEqual([
      "CPUUtilization",
      "StatusCheckFailed",
      "StatusCheckFailed_System",
      "NetworkIn",
      "disk_used_percent",
    ]);
    const cpu = chartOf("CPUUtilization");
    expect(cpu?.textContent).toContain("Percent");
    expect(cpu?.textContent).toContain(
      "latest 97.1 Percent at 10:03:00 UTC; highest 97.1; 3 datapoints",
    );
    // A healthy status check is all zeros: charted, not mistaken for no data.
    expect(chartOf("StatusCheckFailed")?.textContent).toContain("latest 0 Count");
    expect(chartOf("StatusCheckFailed_System")?.textContent).toContain(
      "No datapoints in this range.",
    );
    expect(chartOf("NetworkIn")?.textContent).toContain("123,456,789 Bytes");
    expect(chartOf("disk_used_percent")?.textContent).toContain("disk_used_percent · path=/");
    expect(screen.queryByTestId("no-agent")).toBeNull();

    const [call] = sent(backend, "instance_metrics");
    expect(call?.args).toEqual({
      account: "practice",
      region: "ap-northeast-1",
      instanceId: "i-0000000000000001",
      start: "2026-11-28T07:04:00Z",
      end: NOW,
      periodSeconds: 60,
    });
  });

  it("shows a metric that could not be read by name, with its error instead of a chart", async () => {
    show(incidentBackend());
    const failed = await screen.findByTestId("instance-chart-failed");
    expect(failed.dataset.metric).toBe("mem_used_percent");
    expect(failed.textContent).toContain("mem_used_percent");
    expect(failed.textContent).toContain("not authorized to perform: cloudwatch:GetMetricData");
  });

  it("says the AWS CLI command behind each chart", async () => {
    const backend = incidentBackend();
    show(backend);
    await waitFor(() => expect(screen.getAllByTestId("instance-chart")).toHaveLength(5));
    const section = screen.getByTestId("instance-metrics");
    await waitFor(() =>
      expect(within(section).getByTestId("cli-equivalent").textContent?.split("\n")).toHaveLength(
        6,
      ),
    );
    const reads = sent(backend, "incident_cli")
      .map(
        (c) =>
          c.args.read as {
            kind: string;
            query: { metric: { metricName: string }; statistic: string };
          },
      )
      .filter((r) => r.kind === "metric");
    expect(reads.map((r) => [r.query.metric.metricName, r.query.statistic])).toEqual(
      expect.arrayContaining([
        ["NetworkIn", "Sum"],
        ["mem_used_percent", "Average"],
        ["StatusCheckFailed_System", "Maximum"],
      ]),
    );
  });

  it("follows the alarm chart's range, with five-minute points beyond 3 hours", async () => {
    const backend = incidentBackend();
    show(backend);
    await waitFor(() => expect(screen.getAllByTestId("instance-chart")).toHaveLength(5));
    await fireEvent.change(screen.getByTestId("triage-hours"), { target: { value: "24" } });
    await waitFor(() => expect(sent(backend, "instance_metrics")).toHaveLength(2));
    expect(sent(backend, "instance_metrics")[1]?.args).toMatchObject({
      start: "2026-11-27T10:04:00Z",
      end: NOW,
      periodSeconds: 300,
    });
    expect(periodFor(1)).toBe(60);
    expect(periodFor(3)).toBe(60);
    expect(periodFor(6)).toBe(300);
  });

  it("says why when the instance's metrics cannot be read at all", async () => {
    show(incidentBackend(["instance_metrics"]));
    const error = await screen.findByTestId("instance-metrics-error");
    expect(error.textContent).toContain("instance_metrics is not available");
    // The alarm's own chart is unaffected.
    await screen.findByTestId("metric-caption");
  });

  it("has no instance section for an alarm about no instance", async () => {
    const backend = incidentBackend();
    const { initial } = show(backend);
    await screen.findByTestId("instance-metrics");
    await initial.triage.chart("practice", COMPOSITE, NOW);
    await screen.findByTestId("no-metric");
    expect(screen.queryByTestId("instance-metrics")).toBeNull();
    expect(initial.triage.instance.charts).toEqual([]);
  });

  it("reads in Japanese", async () => {
    locale.set("ja");
    show(incidentBackend());
    const section = await screen.findByTestId("instance-metrics");
    await waitFor(() => expect(screen.getAllByTestId("instance-chart")).toHaveLength(5));
    expect(within(section).getByRole("heading").textContent).toContain(
      "インスタンス i-0000000000000001 のメトリクス",
    );
    expect(screen.getByTestId("instance-chart-failed").textContent).toContain(
      "読み込めませんでした",
    );
    expect(chartOf("StatusCheckFailed_System")?.textContent).toContain(
      "この期間のデータポイントはありません。",
    );
  });
});
