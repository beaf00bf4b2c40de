/**
 * One Run Command from preview to result: the request is described first (API call, AWS CLI,
 * what it will do), sent only after the user confirms, then followed until every instance has
 * finished, and recorded in the incident's journal. Mitigation's commands and Recovery's
 * verification both go through here.
 */
import {
  type ChangeIntent,
  type CommandExecution,
  type CommandStatus,
  commands,
  type Estimate,
  type Instance,
  type Platform,
  type SendCommandRequest,
  toIpcError,
} from "../ipc";
import { recordChange } from "./change-record";
import { type EntryKind, type IncidentJournal, outcomeOf } from "./journal.svelte";
import { PreviewedChange } from "./previewed-change.svelte";
import { poll } from "./time";

const FINISHED: readonly CommandStatus[] = ["Success", "Failed", "Cancelled", "TimedOut"];

export function isFinished(status: CommandStatus): boolean {
  return FINISHED.includes(status);
}

/** The script as Run Command takes it: one command per non-blank line. */
export function scriptLines(script: string): string[] {
  return script
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
}

/** Which script document an instance takes: PowerShell on Windows, a shell elsewhere. */
export type ScriptKind = "shell" | "powershell";

export const DOCUMENTS: Record<ScriptKind, string> = {
  shell: "AWS-RunShellScript",
  powershell: "AWS-RunPowerShellScript",
};

export function scriptKindOf(platform: Platform): ScriptKind {
  return platform === "windows" ? "powershell" : "shell";
}

/**
 * The one script kind all `instances` take; `mixed` when they differ, since one Run Command
 * runs one document and a shell script means nothing to PowerShell (nor the reverse).
 */
export function scriptKindFor(
  instances: Pick<Instance, "platform">[],
): ScriptKind | "mixed" | null {
  const kinds = new Set(instances.map((i) => scriptKindOf(i.platform)));
  if (kinds.size > 1) return "mixed";
  return [...kinds][0] ?? null;
}

/** Read-only first steps, per script kind: what an operator types before changing anything. */
export const TEMPLATES: Record<ScriptKind, { id: string; script: string }[]> = {
  shell: [
    { id: "disk", script: "df -h" },
    { id: "sshd", script: "systemctl status sshd --no-pager" },
    { id: "journal", script: "journalctl -n 50 --no-pager" },
    { id: "top", script: "top -b -n 1 | head -20" },
  ],
  powershell: [
    { id: "disk", script: "Get-PSDrive -PSProvider FileSystem" },
    { id: "sshd", script: "Get-Service sshd" },
    { id: "journal", script: "Get-EventLog -LogName System -Newest 50" },
    { id: "top", script: "Get-Process | Sort-Object CPU -Descending | Select-Object -First 20" },
  ],
};

/** The script Mitigation starts with, per kind. */
export const DEFAULT_SCRIPTS: Record<ScriptKind, string> = {
  shell: "df -h\nsystemctl is-active sshd",
  powershell: "Get-PSDrive -PSProvider FileSystem\nGet-Service sshd",
};

export function shellRequest(
  region: string,
  instanceIds: string[],
  script: string,
  comment: string | null = null,
  kind: ScriptKind = "shell",
): SendCommandRequest {
  return {
    region,
    documentName: DOCUMENTS[kind],
    instanceIds,
    commands: scriptLines(script),
    comment,
    timeoutSeconds: null,
  };
}

export class CommandRun extends PreviewedChange<SendCommandRequest, "sending" | "waiting"> {
  execution = $state<CommandExecution | null>(null);
  /** What the previewed command will cost (free on EC2), when asked for. */
  estimate = $state<Estimate | null>(null);
  #stop: AbortController | null = null;

  constructor(
    private readonly journal: IncidentJournal,
    private readonly kind: EntryKind = "command",
  ) {
    super();
  }

  /** Describes the request without sending it; with an account, estimates its cost too. */
  async describe(request: SendCommandRequest, account: string | null = null): Promise<void> {
    this.estimate = null;
    await Promise.all([
      this.describeWith(request, commands.previewSendCommand),
      account
        ? commands.estimateRunCommand(account, request.region, request.instanceIds).then(
            (estimate) => {
              this.estimate = estimate;
            },
            () => {},
          )
        : Promise.resolve(),
    ]);
  }

  /**
   * Sends the previewed request and follows it until every instance has finished; with an
   * intent, its change record goes on the incident first, and a refused record sends nothing.
   */
  async confirm(
    account: string,
    at: () => Promise<string>,
    intent: ChangeIntent | null = null,
  ): Promise<void> {
    const request = this.previewed;
    const preview = this.preview;
    if (!request || !preview) return;
    if (intent) {
      this.error = await recordChange(this.journal, account, request.region, intent, at);
      if (this.error) return;
    }
    this.stop();
    this.busy = "sending";
    this.error = null;
    this.execution = null;
    let entry: number | null = null;
    const record = (sentAt: string, outcome: "running" | "failed", result: string) =>
      this.journal.add({
        kind: this.kind,
        at: sentAt,
        region: request.region,
        title: `${request.documentName}: ${request.commands.join("; ")} → ${request.instanceIds.join(", ")}`,
        apiCall: preview.apiCall,
        cli: preview.cli,
        outcome,
        result,
      });
    let sentAt = "";
    try {
      sentAt = await at();
      // A refused request is recorded too: the attempt is part of the incident's story.
      const commandId = await commands.sendCommand(account, request).catch((thrown) => {
        entry = record(sentAt, "failed", toIpcError(thrown).message);
        throw thrown;
      });
      this.preview = null;
      this.previewed = null;
      entry = record(sentAt, "running", commandId);
      this.busy = "waiting";
      const stop = new AbortController();
      this.#stop = stop;
      await poll(
        () => commands.getCommand(account, request.region, commandId),
        (execution) => isFinished(execution.status),
        (execution) => {
          this.execution = execution;
        },
        1000,
        stop.signal,
      );
      const done = this.execution as CommandExecution | null;
      if (done && entry !== null && isFinished(done.status)) {
        this.journal.update(entry, {
          outcome: outcomeOf(done.status),
          result: done.invocations
            .map(
              (i) =>
                `${i.instanceId} ${i.status}${i.responseCode === null ? "" : ` (${i.responseCode})`}`,
            )
            .join(", "),
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

  /** Stops following the command (it keeps running on the instances). */
  stop(): void {
    this.#stop?.abort();
    this.#stop = null;
  }
}

/**
 * What must be typed before a command runs: the instance's id, or for several instances their
 * number, so the one typing has to look at what they are about to change.
 */
export function confirmTarget(instanceIds: string[]): string | null {
  const [only, ...others] = instanceIds;
  if (only === undefined) return null;
  return others.length === 0 ? only : String(instanceIds.length);
}
