/**
 * One Run Command from preview to result: the request is described first (API call, AWS CLI,
 * what it will do), sent only after the user confirms, then followed until every instance has
 * finished, and recorded in the incident's journal. Mitigation's commands and Recovery's
 * verification both go through here.
 */
import {
  type CommandExecution,
  type CommandStatus,
  commands,
  type SendCommandRequest,
  toIpcError,
} from "../ipc";
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

export function shellRequest(
  region: string,
  instanceIds: string[],
  script: string,
  comment: string | null = null,
): SendCommandRequest {
  return {
    region,
    documentName: "AWS-RunShellScript",
    instanceIds,
    commands: scriptLines(script),
    comment,
    timeoutSeconds: null,
  };
}

export class CommandRun extends PreviewedChange<SendCommandRequest, "sending" | "waiting"> {
  execution = $state<CommandExecution | null>(null);
  #stop: AbortController | null = null;

  constructor(
    private readonly journal: IncidentJournal,
    private readonly kind: EntryKind = "command",
  ) {
    super();
  }

  /** Describes the request without sending it. */
  async describe(request: SendCommandRequest): Promise<void> {
    await this.describeWith(request, commands.previewSendCommand);
  }

  /** Sends the previewed request and follows it until every instance has finished. */
  async confirm(account: string, at: () => Promise<string>): Promise<void> {
    const request = this.previewed;
    const preview = this.preview;
    if (!request || !preview) return;
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
