/**
 * Triage: the alarms of the window's regions, worst first, the chosen one's recent state
 * changes, and the metric behind it over the last hours. Composite and metric math alarms
 * watch no single metric, so they show their rule instead of a chart. An alarm about an
 * instance also charts that instance's own metrics (InstanceMetricsStore). A region that fails
 * is reported beside the ones that answered.
 */
import {
  type Alarm,
  type AlarmHistoryItem,
  type AlarmState,
  commands,
  type IpcError,
  type MetricSeries,
  toIpcError,
} from "../ipc";
import { InstanceMetricsStore } from "./instance-metrics.svelte";
import { hoursBefore } from "./time";

const ORDER: Record<AlarmState, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

export function worstFirst(alarms: Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name),
  );
}

/**
 * Since when `alarm` has been in its state: the newest transition into it, else the alarm's
 * own last update (history only keeps two weeks, and may be unreadable).
 */
export function inStateSince(alarm: Alarm, history: AlarmHistoryItem[]): string {
  return history.find((h) => h.newState === alarm.state)?.timestamp ?? alarm.stateUpdatedAt;
}

/** How many transitions Triage lists: enough to see flapping, short enough to scan. */
export const HISTORY_SHOWN = 10;

/** An alarm's identity: names are unique per region. */
const keyOf = (alarm: Alarm) => `${alarm.region}/${alarm.name}`;

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
  /** The chosen alarm's state changes, newest first. */
  history = $state<AlarmHistoryItem[]>([]);
  historyError = $state<IpcError | null>(null);
  historyLoading = $state(false);
  /** The charts of the instance the chosen alarm is about. */
  readonly instance = new InstanceMetricsStore();
  readonly since = $derived(this.selected ? inStateSince(this.selected, this.history) : null);

  /** Whether `alarm` is still the chosen one (a slower answer for another is dropped). By key:
   * the chosen alarm is a state proxy, never identical to the object it was given. */
  #chosen(alarm: Alarm): boolean {
    return this.selected !== null && keyOf(this.selected) === keyOf(alarm);
  }

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

  /** The chosen alarm's recent transitions (`DescribeAlarmHistory`). */
  async loadHistory(account: string, alarm: Alarm): Promise<void> {
    this.historyLoading = true;
    this.historyError = null;
    this.history = [];
    try {
      const history = await commands.alarmHistory(account, alarm.region, alarm.name);
      if (this.#chosen(alarm)) this.history = history;
    } catch (thrown) {
      if (this.#chosen(alarm)) this.historyError = toIpcError(thrown);
    } finally {
      if (this.#chosen(alarm)) this.historyLoading = false;
    }
  }

  /**
   * Chooses `alarm`: reads its history (unless only the range changed), and its metric over
   * the last `hours` before the account's now when it watches one metric (composite and
   * metric math alarms do not).
   */
  async chart(account: string, alarm: Alarm, now: string, withHistory = true): Promise<void> {
    this.selected = alarm;
    this.seriesError = null;
    const history = withHistory ? this.loadHistory(account, alarm) : null;
    const range = { start: hoursBefore(now, this.hours), end: now };
    // Read beside the alarm's own metric, not after it: both are what the operator looks at.
    const instance = alarm.instanceId
      ? this.instance.load(account, alarm.region, alarm.instanceId, range, this.hours)
      : this.instance.clear();
    const watched = alarm.metric;
    if (!watched) {
      this.series = null;
      this.range = null;
      this.seriesLoading = false;
      await Promise.all([history, instance]);
      return;
    }
    this.seriesLoading = true;
    this.range = range;
    try {
      const series = await commands.getMetricSeries(account, {
        region: alarm.region,
        metric: watched.metric,
        statistic: watched.statistic,
        periodSeconds: watched.periodSeconds,
        ...range,
      });
      if (this.#chosen(alarm)) this.series = series;
    } catch (thrown) {
      if (this.#chosen(alarm)) {
        this.series = null;
        this.seriesError = toIpcError(thrown);
      }
    } finally {
      if (this.#chosen(alarm)) this.seriesLoading = false;
    }
    await Promise.all([history, instance]);
  }
}
