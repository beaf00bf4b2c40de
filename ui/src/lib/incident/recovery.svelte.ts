/**
 * Recovery: an Automation runbook from the catalogue, its run form generated from the
 * parameters the document declares, previewed and confirmed before it starts, followed step
 * by step. When the runbook has checks that prove its goal, they run by themselves once it
 * ends, whatever its status (a runbook's Success is only its claim about itself), and, for a
 * runbook that can change resources, once before it starts too, to compare before → after.
 * A free-text check of the user's own, judged by its exit status alone, stays available.
 */

import { entryCostOf } from "../cost/cost";
import {
  type AutomationExecution,
  type AutomationHistory,
  type CalendarState,
  type ChangeIntent,
  type ChangeRequest,
  type CommandExecution,
  commands,
  type Estimate,
  type ExecutionStatus,
  type IpcError,
  type PriceRefresh,
  type Runbook,
  type RunbookGuide,
  type RunbookParameter,
  type StartAutomationRequest,
  toIpcError,
} from "../ipc";
import { recordChange } from "./change-record";
import { type IncidentJournal, outcomeOf } from "./journal.svelte";
import { joinChecks, OwnChecks } from "./own-checks.svelte";
import { PreviewedChange } from "./previewed-change.svelte";
import { CommandRun, type ScriptKind } from "./run-command.svelte";
import { poll } from "./time";
import { VerificationStore } from "./verification.svelte";

/** An execution's end: a change request its approvers rejected ended too, without running. */
export const FINISHED: readonly ExecutionStatus[] = [
  "Success",
  "Failed",
  "Cancelled",
  "TimedOut",
  "Rejected",
];

export function isFinished(status: ExecutionStatus): boolean {
  return FINISHED.includes(status);
}

/** How a runbook is started: now, or as a Change Manager change request from a template. */
export type StartMode = "run" | "changeRequest";

/**
 * The script a user's own check starts with, by runbook, for Linux instances. Runbooks with
 * typed checks (`runbook_checks`) are verified by those instead: a script is judged by its exit
 * status alone, which is the last line's, and so can pass while sshd is stopped.
 */
const CHECKS: Record<string, string> = {
  "AWS-RestartEC2Instance": "systemctl is-active sshd\nuptime",
};
/** The same for Windows instances, in PowerShell. */
const WINDOWS_CHECKS: Record<string, string> = {
  "AWS-RestartEC2Instance":
    "Get-Service sshd\n(Get-CimInstance Win32_OperatingSystem).LastBootUpTime",
};
export const DEFAULT_CHECK = "systemctl is-active sshd";
export const DEFAULT_WINDOWS_CHECK = "Get-Service sshd";

export function checkFor(runbook: string, kind: ScriptKind = "shell"): string {
  return kind === "powershell"
    ? (WINDOWS_CHECKS[runbook] ?? DEFAULT_WINDOWS_CHECK)
    : (CHECKS[runbook] ?? DEFAULT_CHECK);
}

/** How a described parameter is asked for on the run form. */
export type FieldKind = "select" | "checkbox" | "number" | "list" | "text";

export function fieldKind(parameter: RunbookParameter): FieldKind {
  if (parameter.allowedValues.length > 0) return "select";
  if (parameter.kind === "Boolean") return "checkbox";
  if (parameter.kind === "Integer") return "number";
  if (parameter.kind === "StringList") return "list";
  return "text";
}

/** Whether the parameter names the instance at hand (filled from the incident). */
export function takesInstance(parameter: RunbookParameter): boolean {
  return parameter.name === "InstanceId" || parameter.kind === "AWS::EC2::Instance::Id";
}

/**
 * The document's pattern as a JavaScript expression, or null when it has none or JavaScript
 * cannot read it (Automation's patterns are Java's): then the service is left to judge.
 */
function patternOf(parameter: RunbookParameter): RegExp | null {
  if (!parameter.allowedPattern) return null;
  try {
    return new RegExp(parameter.allowedPattern);
  } catch {
    return null;
  }
}

/** A list parameter's items: split on commas, blanks dropped. */
function items(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

export type FieldProblem = "required" | "integer" | "pattern";

/** What is wrong with one field's value, if anything. */
export function fieldProblem(parameter: RunbookParameter, value: string): FieldProblem | null {
  const text = value.trim();
  if (text === "") return parameter.required ? "required" : null;
  const kind = fieldKind(parameter);
  if (kind === "number" && !/^-?\d+$/.test(text)) return "integer";
  const pattern = patternOf(parameter);
  const values = kind === "list" ? items(text) : [text];
  if (pattern && values.some((v) => !pattern.test(v))) return "pattern";
  return null;
}

/**
 * Automation parameters from the form: empty values are left out, lists split on commas,
 * every other value sent whole (a script or a description may hold commas).
 */
export function automationParameters(
  values: Record<string, string>,
  parameters: RunbookParameter[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    const parameter = parameters.find((p) => p.name === name);
    const list = parameter ? fieldKind(parameter) === "list" : false;
    const sent = list ? items(value) : value.trim() === "" ? [] : [value.trim()];
    if (sent.length > 0) out[name] = sent;
  }
  return out;
}

/** Whether a runbook's name or description contains `search`, ignoring case. */
export function runbookMatches(runbook: Runbook, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return (
    needle === "" ||
    runbook.name.toLowerCase().includes(needle) ||
    runbook.description.toLowerCase().includes(needle)
  );
}

/** The instance a runbook works on, from its `InstanceId` parameter (the first, for a list). */
export function instanceOf(parameters: Record<string, string[]>): string | null {
  return parameters.InstanceId?.[0] ?? null;
}

export class RecoveryStore extends PreviewedChange<
  StartAutomationRequest,
  "baseline" | "starting" | "waiting"
> {
  /** The catalog as listed: names and descriptions, no parameters. */
  runbooks = $state<Runbook[]>([]);
  catalogueError = $state<IpcError | null>(null);
  search = $state("");
  chosen = $state<string | null>(null);
  /** The chosen runbook as described, with its parameters. */
  described = $state<Runbook | null>(null);
  describing = $state(false);
  describeError = $state<IpcError | null>(null);
  values = $state<Record<string, string>>({});
  execution = $state<AutomationExecution | null>(null);
  /** The user's own check (a script judged by its exit status alone), editable. */
  check = $state(DEFAULT_CHECK);
  /** What Unyo knows of the chosen runbook: what it changes and the checks that prove its goal. */
  guide = $state<RunbookGuide | null>(null);
  /** The checks the user added to the chosen runbook on this account, editable. */
  readonly own = new OwnChecks();
  /** The checks that run around the chosen runbook: the catalog's, then the user's own. */
  readonly checks = $derived(joinChecks(this.guide?.checks ?? [], this.own.probes));
  /** The region's Change Calendars together; null when it has none (or it was not read). */
  calendar = $state<CalendarState | null>(null);
  calendarError = $state<IpcError | null>(null);
  /** Approved change templates; empty for accounts without Change Manager. */
  templates = $state<string[]>([]);
  templatesError = $state<IpcError | null>(null);
  mode = $state<StartMode>("run");
  template = $state("");
  /** The change request the preview describes, when the runbook is submitted as one. */
  changeRequest = $state<ChangeRequest | null>(null);
  /** What the previewed run will cost, from the region's prices and the free-tier answer. */
  estimate = $state<Estimate | null>(null);
  estimateError = $state<IpcError | null>(null);
  /** A refresh of the region's prices from the AWS Price List: under way, its answer, why not. */
  refreshing = $state(false);
  refreshed = $state<PriceRefresh | null>(null);
  refreshError = $state<IpcError | null>(null);
  /** The estimate of the run under way or last run, kept beside its execution. */
  runEstimate = $state<Estimate | null>(null);
  /** What the last run cost, from the steps it executed. */
  actual = $state<Estimate | null>(null);
  /** The account's answer on its Automation history; asked in the preview while unknown. */
  history = $state<AutomationHistory | null>(null);
  historyError = $state<IpcError | null>(null);
  /** The region's recent runbook executions and Run Command history. */
  executions = $state<AutomationExecution[]>([]);
  executionsError = $state<IpcError | null>(null);
  commandHistory = $state<CommandExecution[]>([]);
  commandsError = $state<IpcError | null>(null);
  /** The user's own check by Run Command. */
  readonly verify: CommandRun;
  /** The runbook's typed checks, before and after it runs. */
  readonly verification: VerificationStore;
  readonly runbook = $derived(this.described?.name === this.chosen ? this.described : null);
  readonly found = $derived(this.runbooks.filter((r) => runbookMatches(r, this.search)));
  /** Each field's problem, by parameter name; the form cannot be reviewed while any is left. */
  readonly problems = $derived(
    Object.fromEntries(
      (this.runbook?.parameters ?? []).flatMap((p) => {
        const problem = fieldProblem(p, this.values[p.name] ?? "");
        return problem ? [[p.name, problem]] : [];
      }),
    ) as Record<string, FieldProblem>,
  );
  #stop: AbortController | null = null;
  /** Whether the account has Run Command, whose history is listed beside the runbooks'. */
  #withCommands = true;

  constructor(private readonly journal: IncidentJournal) {
    super();
    this.verify = new CommandRun(journal, "verification");
    this.verification = new VerificationStore(journal);
  }

  async load(
    account: string,
    region: string,
    instanceId: string | null = null,
    withCommands = true,
  ): Promise<void> {
    this.catalogueError = null;
    this.#withCommands = withCommands;
    const history = this.loadHistory(account, region);
    try {
      this.runbooks = await commands.listRunbooks(account, region);
      const first = this.runbooks[0];
      if (!this.runbooks.some((r) => r.name === this.chosen) && first)
        await this.choose(account, region, first.name, instanceId);
      else if (this.chosen && !this.runbook)
        await this.choose(account, region, this.chosen, instanceId);
    } catch (thrown) {
      this.runbooks = [];
      this.catalogueError = toIpcError(thrown);
    }
    await history;
  }

  /** The region's recent executions and commands; each list fails on its own. */
  async loadHistory(account: string, region: string): Promise<void> {
    await Promise.all([
      commands.listAutomationExecutions(account, region).then(
        (executions) => {
          this.executions = executions;
          this.executionsError = null;
        },
        (thrown) => {
          this.executions = [];
          this.executionsError = toIpcError(thrown);
        },
      ),
      (this.#withCommands ? commands.listCommands(account, region) : Promise.resolve([])).then(
        (history) => {
          this.commandHistory = history;
          this.commandsError = null;
        },
        (thrown) => {
          this.commandHistory = [];
          this.commandsError = toIpcError(thrown);
        },
      ),
    ]);
  }

  /**
   * Picks a runbook, reads its parameters (`DescribeDocument`) and fills its form with the
   * document's defaults and the incident's instance.
   */
  async choose(
    account: string,
    region: string,
    name: string,
    instanceId: string | null = null,
  ): Promise<void> {
    this.chosen = name;
    this.cancelPreview();
    this.describeError = null;
    this.describing = true;
    this.guide = null;
    this.own.show(name, []);
    // Without a guide the runbook can still run; its own check by script remains.
    const guide = commands.runbookGuide(account, name).catch((thrown) => {
      if (this.chosen === name) this.own.error = toIpcError(thrown);
      return null;
    });
    try {
      const runbook = await commands.describeRunbook(account, region, name);
      const described = await guide;
      if (this.chosen !== name) return;
      this.guide = described;
      this.own.show(name, described?.ownChecks ?? []);
      const values: Record<string, string> = {};
      for (const p of runbook.parameters) {
        values[p.name] =
          fieldKind(p) === "checkbox" ? String(p.default === "true") : (p.default ?? "");
        if (instanceId && takesInstance(p) && values[p.name] === "") values[p.name] = instanceId;
      }
      this.values = values;
      this.described = runbook;
      this.check = checkFor(name);
    } catch (thrown) {
      if (this.chosen === name) {
        this.described = null;
        this.describeError = toIpcError(thrown);
      }
    } finally {
      if (this.chosen === name) this.describing = false;
    }
  }

  /**
   * Offers the check in the verified instance's language: a Windows instance gets the
   * PowerShell check, unless the user has already written their own.
   */
  checkOn(kind: ScriptKind): void {
    const name = this.execution?.documentName ?? this.chosen ?? "";
    const other: ScriptKind = kind === "shell" ? "powershell" : "shell";
    if (this.check === checkFor(name, other)) this.check = checkFor(name, kind);
  }

  /** Fills an empty instance field with `instanceId` (coming from Triage or Mitigation). */
  suggestInstance(instanceId: string | null): void {
    if (!instanceId) return;
    for (const p of this.runbook?.parameters ?? [])
      if (takesInstance(p) && !this.values[p.name]) this.values[p.name] = instanceId;
  }

  /**
   * Reads the region's Change Calendar state and change templates, each on its own: an
   * account that cannot read one still gets the other, and the preview says why.
   */
  async loadChangeControl(account: string, region: string): Promise<void> {
    await Promise.all([
      commands.changeCalendar(account, region).then(
        (calendar) => {
          this.calendar = calendar;
          this.calendarError = null;
        },
        (thrown) => {
          this.calendar = null;
          this.calendarError = toIpcError(thrown);
        },
      ),
      commands.changeTemplates(account, region).then(
        (templates) => {
          this.templates = templates;
          this.templatesError = null;
          if (!templates.includes(this.template)) this.template = templates[0] ?? "";
          if (templates.length === 0) this.mode = "run";
        },
        (thrown) => {
          this.templates = [];
          this.templatesError = toIpcError(thrown);
          this.mode = "run";
        },
      ),
    ]);
  }

  async describe(account: string, region: string): Promise<void> {
    const runbook = this.runbook;
    if (!runbook || Object.keys(this.problems).length > 0) return;
    const request: StartAutomationRequest = {
      region,
      documentName: runbook.name,
      parameters: automationParameters(this.values, runbook.parameters),
    };
    const target = instanceOf(request.parameters);
    this.changeRequest =
      this.mode === "changeRequest" && this.template
        ? {
            template: this.template,
            name: target ? `${runbook.name} on ${target}` : runbook.name,
            runbook: request,
          }
        : null;
    const changeRequest = this.changeRequest;
    await Promise.all([
      this.describeWith(request, (r) =>
        changeRequest
          ? commands.previewChangeRequest(changeRequest)
          : commands.previewStartAutomation(r),
      ),
      this.estimateFor(account, region),
    ]);
  }

  /** Estimates the chosen runbook's run, and reads the account's Automation history. */
  async estimateFor(account: string, region: string): Promise<void> {
    const runbook = this.runbook;
    if (!runbook) return;
    const scriptSteps = runbook.steps.filter((s) => s.action === "aws:executeScript").length;
    this.estimateError = null;
    try {
      const [estimate, history] = await Promise.all([
        commands.estimateRunbook(account, region, runbook.stepCount, scriptSteps),
        commands.automationHistory(account),
      ]);
      this.estimate = estimate;
      this.history = history;
    } catch (thrown) {
      this.estimate = null;
      this.estimateError = toIpcError(thrown);
    }
  }

  /** Refreshes the region's prices from the AWS Price List, then estimates again. */
  async refreshPrices(account: string, region: string): Promise<void> {
    this.refreshing = true;
    this.refreshError = null;
    try {
      this.refreshed = await commands.refreshPrices(account, region);
      await this.estimateFor(account, region);
    } catch (thrown) {
      this.refreshError = toIpcError(thrown);
    } finally {
      this.refreshing = false;
    }
  }

  /** Remembers the account's Automation history and estimates again. */
  async answerHistory(account: string, region: string, history: AutomationHistory): Promise<void> {
    this.historyError = null;
    try {
      await commands.setAutomationHistory(account, history);
      await this.estimateFor(account, region);
    } catch (thrown) {
      this.historyError = toIpcError(thrown);
    }
  }

  cancelPreview(): void {
    super.cancelPreview();
    this.changeRequest = null;
    this.estimate = null;
  }

  /**
   * Starts the previewed runbook and follows its steps until it finishes, then runs its checks
   * on its instance, whatever status it ended in. A runbook that can change resources has the
   * same checks run once before it starts, so each can be compared before → after.
   */
  async confirm(
    account: string,
    at: () => Promise<string>,
    intent: ChangeIntent | null = null,
  ): Promise<void> {
    const request = this.previewed;
    const preview = this.preview;
    const changeRequest = this.changeRequest;
    const estimate = this.estimate;
    if (!request || !preview) return;
    // The change record goes on the incident first; a refused record starts nothing.
    if (intent) {
      this.error = await recordChange(this.journal, account, request.region, intent, at);
      if (this.error) return;
    }
    const runbook = this.runbook?.name === request.documentName ? this.runbook : null;
    const probes = runbook ? this.checks : [];
    const instanceId = instanceOf(request.parameters);
    const verifying = probes.length > 0 && instanceId !== null;
    const verifyRequest = { region: request.region, instanceId: instanceId ?? "", probes };
    this.stop();
    this.error = null;
    this.execution = null;
    this.verify.execution = null;
    this.verification.reset();
    this.runEstimate = estimate;
    this.actual = null;
    if (verifying && runbook?.canChangeResources) {
      // The baseline: what the checks say before anything changes. Its failure is recorded
      // and shown, and does not hold the runbook back.
      this.busy = "baseline";
      await this.verification.run(account, "before", request.documentName, verifyRequest, at);
    }
    this.busy = "starting";
    let entry: number | null = null;
    const record = (sentAt: string, outcome: "running" | "failed", result: string) =>
      this.journal.add({
        kind: "runbook",
        at: sentAt,
        region: request.region,
        title: changeRequest
          ? `Change request (${changeRequest.template}): ${request.documentName} ${JSON.stringify(request.parameters)}`
          : `${request.documentName} ${JSON.stringify(request.parameters)}`,
        apiCall: preview.apiCall,
        cli: preview.cli,
        outcome,
        result,
        cost: outcome === "running" ? entryCostOf(estimate) : null,
      });
    try {
      const sentAt = await at();
      const started = changeRequest
        ? commands.submitChangeRequest(account, changeRequest)
        : commands.startAutomation(account, request);
      const id = await started.catch((thrown) => {
        entry = record(sentAt, "failed", toIpcError(thrown).message);
        throw thrown;
      });
      this.cancelPreview();
      entry = record(sentAt, "running", id);
      this.busy = "waiting";
      const stop = new AbortController();
      this.#stop = stop;
      await poll(
        () => commands.getAutomationExecution(account, request.region, id),
        (execution) => isFinished(execution.status),
        (execution) => {
          this.execution = execution;
        },
        1500,
        stop.signal,
      );
      void this.loadHistory(account, request.region);
      const done = this.execution as AutomationExecution | null;
      if (done && entry !== null && isFinished(done.status)) {
        this.journal.update(entry, {
          outcome: outcomeOf(done.status),
          result: `${done.status}${done.failureMessage ? `: ${done.failureMessage}` : ""} (${id})`,
        });
        await this.#costOf(account, done, entry);
      }
    } catch (thrown) {
      this.error = toIpcError(thrown);
      if (entry !== null)
        this.journal.update(entry, { outcome: "failed", result: this.error.message });
    } finally {
      this.busy = null;
    }
    const ended = this.execution as AutomationExecution | null;
    if (verifying && ended && isFinished(ended.status) && ended.status !== "Rejected")
      await this.verification.run(account, "after", request.documentName, verifyRequest, at);
  }

  /** What a finished run cost, from the steps it executed; on the journal as actual. */
  async #costOf(account: string, done: AutomationExecution, entry: number): Promise<void> {
    try {
      this.actual = await commands.estimateExecution(account, done);
    } catch {
      this.actual = null;
    }
    const cost = entryCostOf(this.actual, true);
    if (cost) this.journal.setCost(entry, cost);
  }

  stop(): void {
    this.#stop?.abort();
    this.#stop = null;
  }
}
