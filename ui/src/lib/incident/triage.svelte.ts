/**
 * Triage: the alarms of the window's regions, worst first, and the metric behind the chosen
 * one over the last hours. A region that fails is reported beside the ones that answered.
 */
import {
  type Alarm,
  type AlarmState,
  commands,
  type IpcError,
  type MetricSeries,
  toIpcError,
} from "../ipc";
import { hoursBefore } from "./time";

const ORDER: Record<AlarmState, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

export function worstFirst(alarms: Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name),
  );
}

export class TriageStore {
  alarms = $state<Alarm[]>([]);
  /** Regions still being read. */
  loading = $state<string[]>([]);
  failures = $state<{ region: string; error: IpcError }[]>([]);
  selected = $state<Alarm | null>(null);
  series = $state<MetricSeries | null>(null);
  seriesError = $state<IpcError | null>(null);
  seriesLoading = $state(false);
  /** How far back the chart goes. */
  hours = $state(3);
  /** The bounds of the chart's last read. */
  range = $state<{ start: string; end: string } | null>(null);

  /** Reads every region at once; each adds its alarms or its failure as it answers. */
  async load(account: string, regions: string[]): Promise<void> {
    this.alarms = [];
    this.failures = [];
    this.loading = [...regions];
    await Promise.all(
      regions.map(async (region) => {
        try {
          const found = await commands.listAlarms(account, {
            region,
            state: null,
            namePrefix: null,
          });
          this.alarms = worstFirst([...this.alarms.filter((a) => a.region !== region), ...found]);
        } catch (thrown) {
          this.failures = [...this.failures, { region, error: toIpcError(thrown) }];
        } finally {
          this.loading = this.loading.filter((r) => r !== region);
        }
      }),
    );
    const kept = this.selected;
    this.selected =
      (kept && this.alarms.find((a) => a.name === kept.name && a.region === kept.region)) ??
      this.alarms[0] ??
      null;
  }

  /** The metric of `alarm` over the last `hours` before the account's now. */
  async chart(account: string, alarm: Alarm, now: string): Promise<void> {
    this.selected = alarm;
    this.seriesLoading = true;
    this.seriesError = null;
    const range = { start: hoursBefore(now, this.hours), end: now };
    this.range = range;
    try {
      const series = await commands.getMetricSeries(account, {
        region: alarm.region,
        metric: alarm.metric,
        statistic: alarm.statistic,
        periodSeconds: alarm.periodSeconds,
        ...range,
      });
      // A slower answer for an alarm no longer chosen is dropped.
      if (this.selected === alarm) this.series = series;
    } catch (thrown) {
      if (this.selected === alarm) {
        this.series = null;
        this.seriesError = toIpcError(thrown);
      }
    } finally {
      if (this.selected === alarm) this.seriesLoading = false;
    }
  }
}
