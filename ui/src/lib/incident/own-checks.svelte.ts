/**
 * The checks a user adds to a runbook or a Run Command document, saved per account in Unyo's
 * settings, so they run after it beside the catalog's own every time, in every window and in
 * the CLI (`--checks own:DOCUMENT`). The backend validates each before saving.
 */
import { commands, type IpcError, type Probe, toIpcError } from "../ipc";

/** The kinds of check a user can add, in the order the form offers them. */
export const PROBE_KINDS = [
  "serviceActive",
  "serviceEnabled",
  "configTest",
  "fileMode",
  "portListening",
  "processRunning",
  "diskUsage",
  "httpAnswers",
  "windowsServiceRunning",
] as const satisfies readonly Probe["kind"][];

export type ProbeKind = (typeof PROBE_KINDS)[number];

/** What the add form holds: every field any kind asks for, as typed. */
export interface ProbeDraft {
  kind: ProbeKind;
  /** A service, a process or a command, depending on the kind. */
  name: string;
  path: string;
  owner: string;
  maxMode: string;
  port: string;
  maxPercent: string;
  url: string;
}

export function emptyDraft(kind: ProbeKind = "serviceActive"): ProbeDraft {
  return {
    kind,
    name: "",
    path: "",
    owner: "root",
    maxMode: "644",
    port: "",
    maxPercent: "90",
    url: "",
  };
}

/** The fields a kind asks for, in the form's order. */
export function fieldsOf(kind: ProbeKind): (keyof Omit<ProbeDraft, "kind">)[] {
  switch (kind) {
    case "fileMode":
      return ["path", "owner", "maxMode"];
    case "portListening":
      return ["port"];
    case "diskUsage":
      return ["path", "maxPercent"];
    case "httpAnswers":
      return ["url"];
    default:
      return ["name"];
  }
}

/**
 * The probe a draft describes, or null while a number field is not a number; everything else
 * (an empty name, a mode that is not octal, a URL that is not http) is the backend's to refuse,
 * with its reason.
 */
export function probeOf(draft: ProbeDraft): Probe | null {
  const name = draft.name.trim();
  const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);
  switch (draft.kind) {
    case "serviceActive":
    case "serviceEnabled":
    case "windowsServiceRunning":
      return { kind: draft.kind, service: name };
    case "configTest":
      return { kind: "configTest", command: name };
    case "processRunning":
      return { kind: "processRunning", process: name };
    case "fileMode": {
      const owner = draft.owner.trim();
      return {
        kind: "fileMode",
        path: draft.path.trim(),
        owner: owner === "" ? null : owner,
        maxMode: draft.maxMode.trim(),
      };
    }
    case "portListening": {
      const port = whole(draft.port);
      return port === null || port > 65535 ? null : { kind: "portListening", port };
    }
    case "diskUsage": {
      const maxPercent = whole(draft.maxPercent);
      return maxPercent === null || maxPercent > 255
        ? null
        : { kind: "diskUsage", path: draft.path.trim(), maxPercent };
    }
    case "httpAnswers":
      return { kind: "httpAnswers", url: draft.url.trim() };
  }
}

export class OwnChecks {
  /** The runbook or document the checks belong to. */
  document = $state<string | null>(null);
  probes = $state<Probe[]>([]);
  error = $state<IpcError | null>(null);
  saving = $state(false);

  /** Shows `probes` as the checks of `document` (read with the runbook's guide). */
  show(document: string, probes: Probe[]): void {
    this.document = document;
    this.probes = probes;
    this.error = null;
  }

  /** Reads the checks the user added to `document` on `account`. */
  async load(account: string, document: string): Promise<void> {
    this.document = document;
    try {
      const guide = await commands.runbookGuide(account, document);
      if (this.document === document) this.show(document, guide.ownChecks);
    } catch (thrown) {
      if (this.document === document) this.error = toIpcError(thrown);
    }
  }

  /** Adds a check and saves; resolves to whether it was saved. */
  add(account: string, probe: Probe): Promise<boolean> {
    return this.#save(account, [...this.probes, probe]);
  }

  remove(account: string, index: number): Promise<boolean> {
    return this.#save(
      account,
      this.probes.filter((_, i) => i !== index),
    );
  }

  async #save(account: string, probes: Probe[]): Promise<boolean> {
    const document = this.document;
    if (!document) return false;
    this.saving = true;
    this.error = null;
    try {
      const saved = await commands.saveOwnChecks(account, document, probes);
      if (this.document === document) this.probes = saved;
      return true;
    } catch (thrown) {
      this.error = toIpcError(thrown);
      return false;
    } finally {
      this.saving = false;
    }
  }
}

/** `checks`, then each of `more` that is not already among them. */
export function joinChecks(checks: Probe[], more: Probe[]): Probe[] {
  const all = [...checks];
  for (const probe of more)
    if (!all.some((p) => JSON.stringify(p) === JSON.stringify(probe))) all.push(probe);
  return all;
}
