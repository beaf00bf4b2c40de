/**
 * The Costs screen's data: this month's use per account and region against the free tiers
 * (Automation steps, alarms, custom metrics, dashboards, log data), read on demand, a read that
 * fails kept with why.
 */
import { commands, type IpcError, type MonthUsage, toIpcError } from "../ipc";

/** Where a bar's free-tier line sits and how long the bar is, as fractions of the track. */
export function barScale(used: number, free: number): { used: number; free: number | null } {
  const top = Math.max(used, free, 1) * 1.1;
  return { used: used / top, free: free > 0 ? free / top : null };
}

/** Bytes as the GB CloudWatch Logs bills (2^30), to three places: "0.004". */
export function gigabytes(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(3);
}

export class MonthStore {
  usage = $state<MonthUsage | null>(null);
  error = $state<IpcError | null>(null);
  loading = $state(false);
  #asked = "";

  /** Reads the month of `account` in `region`; a newer request wins over a slower older one. */
  async load(account: string, region: string): Promise<void> {
    const key = `${account} ${region}`;
    this.#asked = key;
    this.loading = true;
    this.error = null;
    try {
      const usage = await commands.monthUsage(account, region);
      if (this.#asked === key) this.usage = usage;
    } catch (thrown) {
      if (this.#asked === key) {
        this.usage = null;
        this.error = toIpcError(thrown);
      }
    } finally {
      if (this.#asked === key) this.loading = false;
    }
  }
}
