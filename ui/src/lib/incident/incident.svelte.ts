/**
 * One incident in one window: the five phases' tools over the window's account, and the
 * journal of what was done. Each phase keeps its own data and errors, so a failure in one
 * never blanks another.
 */
import {
  type Capability,
  type ChangeIntent,
  commands,
  type Instance,
  type IpcError,
  toIpcError,
} from "../ipc";
import { CommandChecks } from "./command-checks.svelte";
import { InsightsStore } from "./insights.svelte";
import { IncidentJournal } from "./journal.svelte";
import { RecoveryStore } from "./recovery.svelte";
import { CommandRun, DEFAULT_SCRIPTS, isFinished, scriptKindFor } from "./run-command.svelte";
import { iso } from "./time";
import { TrailStore } from "./trail.svelte";
import { TriageStore } from "./triage.svelte";

export const PHASES = ["triage", "diagnosis", "mitigation", "recovery", "analysis"] as const;
export type Phase = (typeof PHASES)[number];

/** Whether Run Command can reach the instance (a running instance with an online agent). */
export function canRunCommand(instance: Instance): boolean {
  return instance.state === "running" && instance.pingStatus === "online";
}

/**
 * Which capability each tool needs. `null` capabilities mean not known yet (a profile's
 * account before its context is read): every tool is then offered, and a refusal shows as
 * the tool's error, as before.
 */
export function hasCapability(capabilities: Capability[] | null, capability: Capability): boolean {
  return capabilities === null || capabilities.includes(capability);
}

export class IncidentStore {
  phase = $state<Phase>("triage");
  /** The region chosen for the Diagnosis, Mitigation and Recovery tools, when the window
   * shows every region (else the window's region is used). */
  region = $state<string | null>(null);
  /** The region the tools last loaded. */
  #loaded: string | null = null;
  readonly journal: IncidentJournal;
  readonly triage = new TriageStore();
  readonly insights: InsightsStore;
  readonly trail = new TrailStore();
  readonly mitigation: CommandRun;
  /** The checks that run on each instance after Mitigation's command ends. */
  readonly afterCommand: CommandChecks;
  readonly recovery: RecoveryStore;
  /** Instances of the region, for Run Command targets and shells. */
  instances = $state<Instance[]>([]);
  instancesError = $state<IpcError | null>(null);
  /** Targets chosen for Mitigation's command. */
  targets = $state<string[]>([]);
  script = $state(DEFAULT_SCRIPTS.shell);
  /** What the window's account can do (`AccountContext.capabilities`); null when unknown. */
  capabilities = $state.raw<Capability[] | null>(null);
  /** The chosen targets' script kind: one document per command, so `mixed` is refused. */
  readonly scriptKind = $derived(
    scriptKindFor(this.instances.filter((i) => this.targets.includes(i.id))),
  );

  /** `journal`: the account's shared one (`journalFor`); a fresh one by default (tests). */
  constructor(
    readonly account: string,
    journal?: IncidentJournal,
  ) {
    this.journal = journal ?? new IncidentJournal(account);
    this.mitigation = new CommandRun(this.journal);
    this.afterCommand = new CommandChecks(this.journal);
    this.insights = new InsightsStore(this.journal);
    this.recovery = new RecoveryStore(this.journal);
  }

  /** The instance this incident is about: a chosen target, else the alarm's instance. */
  get suggestedInstance(): string | null {
    return this.targets[0] ?? this.triage.selected?.instanceId ?? null;
  }

  can(capability: Capability): boolean {
    return hasCapability(this.capabilities, capability);
  }

  /**
   * The account's now: every time range ends here. The practice account runs its own clock,
   * so this asks the backend; should that fail, this computer's clock is the best guess.
   */
  now = async (): Promise<string> => {
    try {
      return await commands.accountClock(this.account);
    } catch {
      return iso(Date.now());
    }
  };

  /**
   * Sends Mitigation's previewed command (its change record first, when given), follows it,
   * then, whatever its status, runs the checks its script calls for on each of its instances.
   */
  async runCommand(intent: ChangeIntent | null): Promise<void> {
    const kind = this.scriptKind === "powershell" ? "powershell" : "shell";
    const script = this.mitigation.previewed?.commands.join("\n") ?? this.script;
    const probes = this.afterCommand.checksFor(script, kind);
    this.afterCommand.reset();
    await this.mitigation.confirm(this.account, this.now, intent);
    const done = this.mitigation.execution;
    if (done && isFinished(done.status))
      await this.afterCommand.verify(this.account, this.now, done, probes);
  }

  async loadInstances(region: string): Promise<void> {
    this.instancesError = null;
    try {
      const snapshot = await commands.listFleet(this.account, { regions: [region] });
      this.instances = snapshot.instances;
      const runnable = new Set(snapshot.instances.filter(canRunCommand).map((i) => i.id));
      this.targets = this.targets.filter((id) => runnable.has(id));
    } catch (thrown) {
      this.instances = [];
      this.instancesError = toIpcError(thrown);
    }
  }

  /** Reads what each phase needs in `region`, for the tools the account has; each read fails on its own. */
  async enterRegion(region: string): Promise<void> {
    if (this.#loaded === region) return;
    this.#loaded = region;
    const reads: Promise<void>[] = [];
    if (this.can("fleet")) reads.push(this.loadInstances(region));
    if (this.can("logs")) reads.push(this.insights.load(this.account, region));
    if (this.can("automation"))
      reads.push(
        this.recovery.load(this.account, region, this.suggestedInstance, this.can("runCommand")),
      );
    if (this.can("changeControl"))
      reads.push(this.recovery.loadChangeControl(this.account, region));
    if (this.can("trail"))
      reads.push(this.now().then((now) => this.trail.load(this.account, region, now)));
    await Promise.all(reads);
  }
}
