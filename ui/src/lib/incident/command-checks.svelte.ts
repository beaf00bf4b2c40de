/**
 * Verification after a Run Command from Mitigation: when the command ends, whatever its
 * status, the checks run on each instance it ran on, each with its own verdicts, because a
 * script's exit status is its last line's. The checks are the ones the user added to the
 * command's document on this account, plus the named sets the script itself points at (a
 * script that restarts sshd is checked with the sshd set).
 */
import { type CheckSet, type CommandExecution, commands, type Probe } from "../ipc";
import type { IncidentJournal } from "./journal.svelte";
import { joinChecks, OwnChecks } from "./own-checks.svelte";
import type { ScriptKind } from "./run-command.svelte";
import { VerificationStore } from "./verification.svelte";

/** Which named set a script points at, by what it mentions. */
const MENTIONS: Record<string, RegExp> = {
  sshd: /\bsshd?\b/i,
  agent: /amazon-ssm-agent|AmazonSSMAgent/i,
  rdp: /\bTermService\b|\brdp\b|Remote Desktop/i,
};

/** The named sets `script` points at, among `sets`. */
export function suggestedSets(script: string, sets: CheckSet[]): CheckSet[] {
  return sets.filter((set) => MENTIONS[set.name]?.test(script) ?? false);
}

/** Whether a probe runs in PowerShell (Windows) rather than a shell. */
export function isWindowsProbe(probe: Probe): boolean {
  return probe.kind === "windowsServiceRunning";
}

/** One instance's verification after the command. */
export interface InstanceVerification {
  instanceId: string;
  verification: VerificationStore;
}

export class CommandChecks {
  readonly own = new OwnChecks();
  sets = $state<CheckSet[]>([]);
  /** One verification per instance of the last command, in the command's order. */
  runs = $state<InstanceVerification[]>([]);

  constructor(private readonly journal: IncidentJournal) {}

  /** Reads the user's checks for `document` and the named sets. */
  async load(account: string, document: string): Promise<void> {
    const sets = commands.checkSets().catch(() => []);
    await this.own.load(account, document);
    this.sets = await sets;
  }

  /**
   * The checks that run after `script`: the user's own, then those of the sets it points at,
   * only those that run where the script does (one command runs one shell).
   */
  checksFor(script: string, kind: ScriptKind): Probe[] {
    const suggested = suggestedSets(script, this.sets).flatMap((set) => set.probes);
    return joinChecks(this.own.probes, suggested).filter(
      (probe) => isWindowsProbe(probe) === (kind === "powershell"),
    );
  }

  /** Runs `probes` on every instance `execution` ran on, all at once, each on the journal. */
  async verify(
    account: string,
    at: () => Promise<string>,
    execution: CommandExecution,
    probes: Probe[],
  ): Promise<void> {
    if (probes.length === 0) return;
    const instances = execution.invocations.map((i) => i.instanceId);
    this.runs = instances.map((instanceId) => ({
      instanceId,
      verification: new VerificationStore(this.journal),
    }));
    await Promise.all(
      this.runs.map(({ instanceId, verification }) =>
        verification.run(
          account,
          "after",
          execution.documentName,
          { region: execution.region, instanceId, probes },
          at,
        ),
      ),
    );
  }

  /** Forgets the last command's verifications (another command is about to be sent). */
  reset(): void {
    for (const run of this.runs) run.verification.stop();
    this.runs = [];
  }
}
