/**
 * The readiness doctor's state: one instance's report, or a region's reports with their
 * summary and the saving of it as Markdown or CSV. Every call here is read-only; the fixes
 * are made through `fix.svelte.ts`, after the user confirms.
 */
import {
  type IpcError,
  type ReadinessReport,
  type RegionReadiness,
  readinessCommands,
  toIpcError,
} from "../ipc";
import type { ReportFormat } from "../ipc/bindings/ReportFormat";

export class InstanceReadinessStore {
  report = $state.raw<ReadinessReport | null>(null);
  loading = $state(false);
  error = $state<IpcError | null>(null);
  #generation = 0;

  async check(account: string, instanceId: string): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const report = await readinessCommands.instanceReadiness(account, instanceId);
      if (generation === this.#generation) this.report = report;
    } catch (thrown) {
      if (generation === this.#generation) this.error = toIpcError(thrown);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}

export class RegionReadinessStore {
  readiness = $state.raw<RegionReadiness | null>(null);
  loading = $state(false);
  error = $state<IpcError | null>(null);
  /** Where the last report was saved, or why it was not. */
  savedTo = $state<string | null>(null);
  saveError = $state<IpcError | null>(null);
  #generation = 0;

  /** Checks every instance of `region`; `quiet` keeps the last report on screen meanwhile
   * (a re-check after a fix refreshes in place). */
  async load(account: string, region: string, quiet = false): Promise<void> {
    const generation = ++this.#generation;
    this.loading = !quiet;
    this.error = null;
    this.savedTo = null;
    this.saveError = null;
    try {
      const readiness = await readinessCommands.regionReadiness(account, region);
      if (generation === this.#generation) this.readiness = readiness;
    } catch (thrown) {
      if (generation === this.#generation) {
        this.readiness = null;
        this.error = toIpcError(thrown);
      }
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async save(format: ReportFormat): Promise<void> {
    if (!this.readiness) return;
    this.saveError = null;
    try {
      this.savedTo = await readinessCommands.saveRegionReadiness(this.readiness, format);
    } catch (thrown) {
      this.savedTo = null;
      this.saveError = toIpcError(thrown);
    }
  }
}
