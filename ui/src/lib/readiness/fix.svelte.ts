/**
 * One of the readiness doctor's fixes, from preview to proof: the action is described first
 * (API call, AWS CLI, what it does and costs) and applied only after the user confirms; a
 * runbook or command it starts is followed to its end; every attempt goes on the account's
 * incident journal; then the checks run again, because a fix (or a runbook's Success) is only
 * a claim until the doctor sees the problem gone.
 */

import { journalFor, outcomeOf } from "../incident/journal.svelte";
import { PreviewedChange } from "../incident/previewed-change.svelte";
import { isFinished as commandFinished } from "../incident/run-command.svelte";
import { iso, poll } from "../incident/time";
import {
  type AutomationExecution,
  type CommandExecution,
  commands,
  type Localized,
  type ReadinessAction,
  readinessCommands,
  toIpcError,
} from "../ipc";

type Busy = "applying" | "following" | "rechecking";

const RUNBOOK_DONE = ["Success", "Failed", "Cancelled", "TimedOut"];

/** The account's now (the practice account runs its own clock), else this computer's. */
async function accountNow(account: string): Promise<string> {
  try {
    return await commands.accountClock(account);
  } catch {
    return iso(Date.now());
  }
}

/** The journal's kind and title of an action: technical, the same in every language. */
export function journalTitle(action: ReadinessAction): {
  kind: "change" | "runbook" | "command";
  title: string;
} {
  switch (action.kind) {
    case "enableDefaultHostManagement":
      return { kind: "change", title: `Default Host Management on in ${action.region}` };
    case "allowHttpsEgress":
      return {
        kind: "change",
        title: `${action.groupId}: allow TCP 443 out to ${action.cidr}`,
      };
    case "troubleshootManagedInstance":
      return {
        kind: "runbook",
        title: `AWSSupport-TroubleshootManagedInstance {"InstanceId":["${action.instanceId}"]}`,
      };
    case "updateAgent":
      return { kind: "command", title: `AWS-UpdateSSMAgent → ${action.instanceId}` };
  }
}

export class ReadinessFixStore extends PreviewedChange<ReadinessAction, Busy> {
  /** What the previewed action costs. */
  cost = $state<Localized | null>(null);
  /** The check the preview or the last fix is for, so the view can place it and verify it. */
  checkId = $state<string | null>(null);
  /** The last fix applied here, once it has been sent. */
  applied = $state<ReadinessAction | null>(null);
  execution = $state<AutomationExecution | null>(null);
  command = $state<CommandExecution | null>(null);
  /** The checks ran again after the last fix. */
  rechecked = $state(false);
  #stop: AbortController | null = null;

  /** Describes `action` (for `checkId`) without applying it. */
  async describe(action: ReadinessAction, checkId: string | null = null): Promise<void> {
    this.checkId = checkId;
    this.cost = null;
    await this.describeWith(action, async (a) => {
      const preview = await readinessCommands.previewReadinessAction(a);
      this.cost = preview.cost;
      return preview.change;
    });
  }

  override cancelPreview(): void {
    super.cancelPreview();
    this.cost = null;
  }

  /**
   * Applies the previewed action, follows what it started, records it on the account's
   * journal, then runs `recheck` (the doctor again) once it was applied.
   */
  async confirm(account: string, recheck: () => Promise<void>): Promise<void> {
    const action = this.previewed;
    const preview = this.preview;
    if (!action || !preview) return;
    this.stop();
    this.busy = "applying";
    this.error = null;
    this.applied = null;
    this.execution = null;
    this.command = null;
    this.rechecked = false;
    const journal = journalFor(account);
    const { kind, title } = journalTitle(action);
    let entry: number | null = null;
    const record = (sentAt: string, outcome: "running" | "success" | "failed", result: string) =>
      journal.add({
        kind,
        at: sentAt,
        region: action.region,
        title,
        apiCall: preview.apiCall,
        cli: preview.cli,
        outcome,
        result,
      });
    try {
      const sentAt = await accountNow(account);
      // A refused change is recorded too: the attempt is part of the incident's story.
      const started = await readinessCommands
        .applyReadinessAction(account, action)
        .catch((thrown) => {
          record(sentAt, "failed", toIpcError(thrown).message);
          throw thrown;
        });
      this.applied = action;
      this.preview = null;
      this.previewed = null;
      this.cost = null;
      const stop = new AbortController();
      this.#stop = stop;
      if (started.kind === "done") {
        record(sentAt, "success", "applied");
      } else if (started.kind === "automation") {
        entry = record(sentAt, "running", started.executionId);
        this.busy = "following";
        await poll(
          () => commands.getAutomationExecution(account, started.region, started.executionId),
          (execution) => RUNBOOK_DONE.includes(execution.status),
          (execution) => {
            this.execution = execution;
          },
          1500,
          stop.signal,
        );
        const done = this.execution as AutomationExecution | null;
        if (done && RUNBOOK_DONE.includes(done.status))
          journal.update(entry, {
            outcome: outcomeOf(done.status),
            result: `${done.status}${done.failureMessage ? `: ${done.failureMessage}` : ""} (${started.executionId})`,
          });
      } else {
        entry = record(sentAt, "running", started.commandId);
        this.busy = "following";
        await poll(
          () => commands.getCommand(account, started.region, started.commandId),
          (command) => commandFinished(command.status),
          (command) => {
            this.command = command;
          },
          1000,
          stop.signal,
        );
        const done = this.command as CommandExecution | null;
        if (done && commandFinished(done.status))
          journal.update(entry, {
            outcome: outcomeOf(done.status),
            result: done.invocations.map((i) => `${i.instanceId} ${i.status}`).join(", "),
          });
      }
    } catch (thrown) {
      this.error = toIpcError(thrown);
      if (entry !== null) journal.update(entry, { outcome: "failed", result: this.error.message });
    }
    if (this.applied) {
      this.busy = "rechecking";
      try {
        await recheck();
        this.rechecked = true;
      } finally {
        this.busy = null;
      }
    } else {
      this.busy = null;
    }
  }

  /** Stops following (the runbook or command carries on in the account). */
  stop(): void {
    this.#stop?.abort();
    this.#stop = null;
  }
}
