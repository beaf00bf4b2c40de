/**
 * Triage's charts of the instance an alarm is about: EC2's CPU, status checks and network,
 * and the CloudWatch agent's memory and disks when it publishes them, over the same range as
 * the alarm's chart. One metric that cannot be read shows its error in its place; the others
 * still chart.
 */
import {
  commands,
  type IncidentRead,
  type InstanceMetric,
  type IpcError,
  type MetricId,
  toIpcError,
} from "../ipc";

/**
 * The period for a range: one-minute points up to 3 hours, five-minute ones beyond, so a day
 * stays under CloudWatch's 1,440 points per series and a small chart stays readable.
 */
export function periodFor(hours: number): number {
  return hours > 3 ? 300 : 60;
}

/**
 * The statistic the backend reads each metric with (unyo-core's `EC2_METRICS`; the agent's
 * are averages). Only needed to say a failed metric's read as a CLI command: a series that
 * answered carries its own.
 */
const STATISTICS: Record<string, string> = {
  CPUUtilization: "Average",
  StatusCheckFailed: "Maximum",
  StatusCheckFailed_Instance: "Maximum",
  StatusCheckFailed_System: "Maximum",
  NetworkIn: "Sum",
  NetworkOut: "Sum",
};

export function statisticOf(chart: InstanceMetric): string {
  return chart.series?.statistic ?? STATISTICS[chart.metric.metricName] ?? "Average";
}

/**
 * "disk_used_percent · path=/ fstype=xfs": the name, and the dimensions that tell one disk
 * from another (the instance id is the section's own heading).
 */
export function metricLabel(metric: MetricId): string {
  const dims = metric.dimensions
    .filter((d) => d.name !== "InstanceId")
    .map((d) => `${d.name}=${d.value}`);
  return dims.length > 0 ? `${metric.metricName} · ${dims.join(" ")}` : metric.metricName;
}

/** A chart's identity: its metric, dimensions included (one chart per disk). */
export function chartKey(metric: MetricId): string {
  const dims = metric.dimensions.map((d) => `${d.name}=${d.value}`).join(",");
  return `${metric.namespace}/${metric.metricName}/${dims}`;
}

export class InstanceMetricsStore {
  /** The instance charted, or null when the chosen alarm is about no instance. */
  instanceId = $state<string | null>(null);
  charts = $state<InstanceMetric[]>([]);
  /** Why nothing could be read at all (each metric's own failure is in its chart). */
  error = $state<IpcError | null>(null);
  loading = $state(false);
  /** The read behind the charts, for their CLI equivalents. */
  read = $state<{ region: string; start: string; end: string; periodSeconds: number } | null>(null);
  /** Counts reads, so a slower answer for an earlier alarm or range is dropped. */
  #generation = 0;

  clear(): void {
    this.#generation += 1;
    this.instanceId = null;
    this.charts = [];
    this.error = null;
    this.loading = false;
    this.read = null;
  }

  async load(
    account: string,
    region: string,
    instanceId: string,
    range: { start: string; end: string },
    hours: number,
  ): Promise<void> {
    const generation = ++this.#generation;
    const periodSeconds = periodFor(hours);
    if (this.instanceId !== instanceId) this.charts = [];
    this.instanceId = instanceId;
    this.error = null;
    this.loading = true;
    this.read = { region, ...range, periodSeconds };
    try {
      const charts = await commands.instanceMetrics(
        account,
        region,
        instanceId,
        range.start,
        range.end,
        periodSeconds,
      );
      if (generation === this.#generation) this.charts = charts;
    } catch (thrown) {
      if (generation === this.#generation) {
        this.charts = [];
        this.error = toIpcError(thrown);
      }
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** The reads behind the charts, one per chart as the backend makes them, for the CLI. */
  cliReads(): IncidentRead[] {
    const read = this.read;
    if (!read) return [];
    return this.charts.map((chart) => ({
      kind: "metric" as const,
      query: {
        region: read.region,
        metric: chart.metric,
        statistic: statisticOf(chart),
        periodSeconds: read.periodSeconds,
        start: read.start,
        end: read.end,
      },
    }));
  }
}
