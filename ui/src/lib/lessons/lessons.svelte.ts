/**
 * Lessons: the practice account's scenarios with their progress, the one this window is
 * working through (the hints panel follows it on every screen), and how many of its hints the
 * learner has asked for. Progress is polled from the backend, which checks the simulated
 * account's state itself, so any correct fix counts, however it was made.
 */
import {
  commands,
  type IpcError,
  type Localized,
  type ScenarioDetail,
  type ScenarioSummary,
  toIpcError,
} from "../ipc";

/** How often the running scenario's checks are read while the panel shows it. */
export const POLL_MS = 3000;

/** A scenario's text in the window's language (`ja`, `ja-JP` → Japanese; else English). */
export function pick(text: Localized, locale: string | null | undefined): string {
  return locale?.toLowerCase().startsWith("ja") ? text.ja : text.en;
}

export class LessonsStore {
  list = $state.raw<ScenarioSummary[]>([]);
  loading = $state(false);
  listError = $state<IpcError | null>(null);
  /** Details fetched so far, by scenario id; refreshed when opened or polled. */
  details = $state<Record<string, ScenarioDetail>>({});
  /** The scenario whose page the Lessons screen shows; null for the list. */
  opened = $state<string | null>(null);
  /** The scenario this window started and is working through; the hints panel shows it. */
  activeId = $state<string | null>(null);
  /** Hints revealed so far, by scenario id: they come one at a time, on request. */
  revealed = $state<Record<string, number>>({});
  /** Whether the hints panel is folded to a strip, so it never stands in the way. */
  panelCollapsed = $state(false);
  busy = $state(false);
  error = $state<IpcError | null>(null);

  readonly active = $derived(this.activeId ? (this.details[this.activeId] ?? null) : null);
  readonly activeDone = $derived(this.active?.summary.status === "completed");

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.list = await commands.listScenarios();
      this.listError = null;
    } catch (thrown) {
      this.listError = toIpcError(thrown);
    } finally {
      this.loading = false;
    }
  }

  /** Shows a scenario's page, with its checks as they stand now. */
  async open(id: string): Promise<void> {
    this.opened = id;
    await this.#fetch(id);
  }

  close(): void {
    this.opened = null;
    void this.load();
  }

  /**
   * Starts (or starts over) a scenario: the practice account is reset and broken as the story
   * says. Resolves to the started detail, or null when the backend refused (see `error`).
   */
  async start(id: string): Promise<ScenarioDetail | null> {
    this.busy = true;
    try {
      const detail = await commands.startScenario(id);
      this.details[id] = detail;
      this.activeId = id;
      this.revealed[id] = 0;
      this.panelCollapsed = false;
      this.error = null;
      void this.load();
      return detail;
    } catch (thrown) {
      this.error = toIpcError(thrown);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Ends any scenario: the calm practice account again; completions are kept. */
  async resetAccount(): Promise<boolean> {
    this.busy = true;
    try {
      await commands.resetPracticeAccount();
      this.activeId = null;
      this.error = null;
      await this.load();
      if (this.opened) await this.#fetch(this.opened);
      return true;
    } catch (thrown) {
      this.error = toIpcError(thrown);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Forgets one lesson's progress, so it can be done again from the start. */
  async resetLesson(id: string): Promise<boolean> {
    this.busy = true;
    try {
      await commands.resetLesson(id);
      if (this.activeId === id) this.activeId = null;
      this.error = null;
      await this.load();
      if (this.opened) await this.#fetch(this.opened);
      return true;
    } catch (thrown) {
      this.error = toIpcError(thrown);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Reads the running scenario's checks again (the panel's poll, and "Check now"). */
  async refresh(): Promise<void> {
    const id = this.activeId;
    if (!id) return;
    const before = this.details[id]?.summary.status;
    await this.#fetch(id);
    // Completion changes the list's status and progress too.
    if (this.details[id]?.summary.status !== before) void this.load();
  }

  revealNext(id: string): void {
    const total = this.details[id]?.hints.length ?? 0;
    this.revealed[id] = Math.min((this.revealed[id] ?? 0) + 1, total);
  }

  /** Closes the hints panel once the learner has finished (the account stays as it is). */
  dismiss(): void {
    this.activeId = null;
  }

  async #fetch(id: string): Promise<void> {
    try {
      this.details[id] = await commands.scenarioDetail(id);
      this.error = null;
    } catch (thrown) {
      this.error = toIpcError(thrown);
    }
  }
}
