/**
 * Recovery: an Automation runbook from the catalogue, previewed and confirmed before it
 * starts, followed step by step; and, after it reports Success, a read-only check that the
 * problem is really gone, since a runbook's Success is only its claim about itself.
 */
import {
  type AutomationExecution,
  commands,
  type ExecutionStatus,
  type IpcError,
  type Runbook,
  type StartAutomationRequest,
  toIpcError,
} from "../ipc";
import { type IncidentJournal, outcomeOf } from "./journal.svelte";
import { PreviewedChange } from "./previewed-change.svelte";
import { CommandRun } from "./run-command.svelte";
import { poll } from "./time";

const FINISHED: readonly ExecutionStatus[] = ["Success", "Failed", "Cancelled", "TimedOut"];

/** The read-only check that proves what a runbook claims, by runbook. */
const CHECKS: Record<string, string> = {
  "AWSSupport-TroubleshootSSH": "systemctl is-active sshd\nsshd -t && echo 'sshd_config OK'",
  "AWS-RestartEC2Instance": "systemctl is-active sshd\nuptime",
};
export const DEFAULT_CHECK = "systemctl is-active sshd";

export function checkFor(runbook: string): string {
  return CHECKS[runbook] ?? DEFAULT_CHECK;
}

/** Automation parameters from the form: empty values are left out, lists split on commas. */
export function automationParameters(values: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    const items = value
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    if (items.length > 0) out[name] = items;
  }
  return out;
}

export class RecoveryStore extends PreviewedChange<StartAutomationRequest, "starting" | "waiting"> {
  runbooks = $state<Runbook[]>([]);
  catalogueError = $state<IpcError | null>(null);
  chosen = $state<string | null>(null);
  values = $state<Record<string, string>>({});
  execution = $state<AutomationExecution | null>(null);
  /** The check offered after Success, editable. */
  check = $state(DEFAULT_CHECK);
  readonly verify: CommandRun;
  readonly runbook = $derived(this.runbooks.find((r) => r.name === this.chosen) ?? null);
  #stop: AbortController | null = null;

  constructor(private readonly journal: IncidentJournal) {
    super();
    this.verify = new CommandRun(journal, "verification");
  }

  async load(account: string, region: string, instanceId: string | null = null): Promise<void> {
    this.catalogueError = null;
    try {
      this.runbooks = await commands.listRunbooks(account, region);
      if (!this.runbook && this.runbooks[0]) this.choose(this.runbooks[0].name, instanceId);
    } catch (thrown) {
      this.runbooks = [];
      this.catalogueError = toIpcError(thrown);
    }
  }

  /** Picks a runbook and fills its form with the document's defaults. */
  choose(name: string, instanceId: string | null = null): void {
    this.chosen = name;
    this.preview = null;
    this.previewed = null;
    const runbook = this.runbooks.find((r) => r.name === name);
    const values: Record<string, string> = {};
    for (const p of runbook?.parameters ?? []) values[p.name] = p.default ?? "";
    if (instanceId && runbook?.parameters.some((p) => p.name === "InstanceId"))
      values.InstanceId = instanceId;
    this.values = values;
    this.check = checkFor(name);
  }

  async describe(region: string): Promise<void> {
    if (!this.chosen) return;
    const request: StartAutomationRequest = {
      region,
      documentName: this.chosen,
      parameters: automationParameters(this.values),
    };
    await this.describeWith(request, commands.previewStartAutomation);
  }

  /** Starts the previewed runbook and follows its steps until it finishes. */
  async confirm(account: string, at: () => Promise<string>): Promise<void> {
    const request = this.previewed;
    const preview = this.preview;
    if (!request || !preview) return;
    this.stop();
    this.busy = "starting";
    this.error = null;
    this.execution = null;
    this.verify.execution = null;
    let entry: number | null = null;
    const record = (sentAt: string, outcome: "running" | "failed", result: string) =>
      this.journal.add({
        kind: "runbook",
        at: sentAt,
        region: request.region,
        title: `${request.documentName} ${JSON.stringify(request.parameters)}`,
        apiCall: preview.apiCall,
        cli: preview.cli,
        outcome,
        result,
      });
    try {
      const sentAt = await at();
      const id = await commands.startAutomation(account, request).catch((thrown) => {
        entry = record(sentAt, "failed", toIpcError(thrown).message);
        throw thrown;
      });
      this.preview = null;
      this.previewed = null;
      entry = record(sentAt, "running", id);
      this.busy = "waiting";
      const stop = new AbortController();
      this.#stop = stop;
      await poll(
        () => commands.getAutomationExecution(account, request.region, id),
        (execution) => FINISHED.includes(execution.status),
        (execution) => {
          this.execution = execution;
        },
        1500,
        stop.signal,
      );
      const done = this.execution as AutomationExecution | null;
      if (done && entry !== null && FINISHED.includes(done.status)) {
        this.journal.update(entry, {
          outcome: outcomeOf(done.status),
          result: `${done.status}${done.failureMessage ? `: ${done.failureMessage}` : ""} (${id})`,
        });
      }
    } catch (thrown) {
      this.error = toIpcError(thrown);
      if (entry !== null)
        this.journal.update(entry, { outcome: "failed", result: this.error.message });
    } finally {
      this.busy = null;
    }
  }

  stop(): void {
    this.#stop?.abort();
    this.#stop = null;
  }
}
