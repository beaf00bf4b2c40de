/** Pure fleet view logic: filtering, sorting and counting, shared by the screen and tests. */
import type { Instance, InstanceState, PatchCompliance, PingStatus, Platform } from "../ipc";

/** An instance and the Unyo account (`practice` or `profile:NAME`) it was listed through. */
export interface FleetRow extends Instance {
  account: string;
}

/** Unique across accounts: the same instance id can be listed through two profiles. */
export function rowKey(row: FleetRow): string {
  return `${row.account}/${row.id}`;
}

export type SortKey =
  | "account"
  | "name"
  | "id"
  | "region"
  | "state"
  | "platform"
  | "ping"
  | "agent"
  | "patches"
  | "privateIp";
export type SortDirection = "ascending" | "descending";
export interface Sort {
  key: SortKey;
  direction: SortDirection;
}

export interface FleetFilter {
  text: string;
  ping: PingStatus | "any";
  platform: Platform | "any";
  state: InstanceState | "any";
  /** A version such as 3.0.222.0: only agents older than it (or none) are shown. */
  agentBelow: string;
  patches: PatchState | "any";
}

export const EMPTY_FILTER: FleetFilter = {
  text: "",
  ping: "any",
  platform: "any",
  state: "any",
  agentBelow: "",
  patches: "any",
};

export function isFiltering(filter: FleetFilter): boolean {
  return (
    filter.text.trim() !== "" ||
    filter.ping !== "any" ||
    filter.platform !== "any" ||
    filter.state !== "any" ||
    filter.agentBelow.trim() !== "" ||
    filter.patches !== "any"
  );
}

/** Patch Manager's verdict on an instance, or `noData` when it has never reported on it. */
export type PatchState = PatchCompliance | "noData";

export function patchState(instance: Instance): PatchState {
  // A listing remembered from before patch compliance existed has no `patches` at all.
  return instance.patches?.state ?? "noData";
}

/** What the Patches column says, as an i18n key and its values, and how loudly. */
export interface PatchLabel {
  key: string;
  values: Record<string, number>;
  tone: "ok" | "warn" | "danger" | "none";
}

export function patchLabel(instance: Instance): PatchLabel {
  const p = instance.patches;
  if (!p) return { key: "patches.noData", values: {}, tone: "none" };
  if (p.state === "compliant") return { key: "patches.compliant", values: {}, tone: "ok" };
  // Critical and security gaps are the ones an operator acts on first.
  const tone = p.criticalNonCompliant > 0 || p.securityNonCompliant > 0 ? "danger" : "warn";
  if (p.missing > 0) return { key: "patches.missingCount", values: { count: p.missing }, tone };
  if (p.failed > 0) return { key: "patches.failedCount", values: { count: p.failed }, tone };
  if (p.installedPendingReboot > 0) return { key: "patches.rebootPending", values: {}, tone };
  return { key: "patches.nonCompliant", values: {}, tone };
}

/** `key=value` finds instances with that tag (key exact, value containing, both ignoring case). */
function tagMatcher(needle: string): ((instance: Instance) => boolean) | null {
  const at = needle.indexOf("=");
  if (at <= 0) return null;
  const key = needle.slice(0, at).trim();
  const value = needle.slice(at + 1).trim();
  return (instance) =>
    instance.tags.some((t) => t.key.toLowerCase() === key && t.value.toLowerCase().includes(value));
}

/** Each instance's searchable text, lowercased once rather than on every keystroke. */
const searchText = new WeakMap<Instance, string>();

function searchable(instance: Instance): string {
  let text = searchText.get(instance);
  if (text === undefined) {
    // NUL never occurs in these fields, so a needle cannot match across two of them.
    text = [instance.id, instance.name, instance.privateIp, instance.publicIp]
      .concat(instance.tags.map((t) => t.value))
      .filter((h) => h)
      .join("\u0000")
      .toLowerCase();
    searchText.set(instance, text);
  }
  return text;
}

function textMatcher(text: string): ((instance: Instance) => boolean) | null {
  const needle = text.trim().toLowerCase();
  if (needle === "") return null;
  return tagMatcher(needle) ?? ((instance) => searchable(instance).includes(needle));
}

/**
 * Same fields as the CLI's `--filter`: id, name, IP addresses and tag values; `key=value`
 * looks at one tag.
 */
export function matchesText(instance: Instance, text: string): boolean {
  return textMatcher(text)?.(instance) ?? true;
}

/** True when `version` is older than `threshold`, or unknown; a malformed threshold hides nothing. */
export function agentBelow(version: string | null, threshold: string): boolean {
  const limit = threshold.trim();
  if (limit === "" || numericParts(limit, ".") === null) return true;
  return version === null || compareDotted(version, limit) < 0;
}

export function filterInstances<T extends Instance>(
  instances: readonly T[],
  filter: FleetFilter,
): T[] {
  if (!isFiltering(filter)) return [...instances];
  const text = textMatcher(filter.text);
  const checkAgent = filter.agentBelow.trim() !== "";
  return instances.filter(
    (i) =>
      (filter.ping === "any" || i.pingStatus === filter.ping) &&
      (filter.platform === "any" || i.platform === filter.platform) &&
      (filter.state === "any" || i.state === filter.state) &&
      (filter.patches === "any" || patchState(i) === filter.patches) &&
      (!checkAgent || agentBelow(i.agentVersion, filter.agentBelow)) &&
      (text === null || text(i)),
  );
}

function numericParts(text: string | null, separator: string): number[] | null {
  if (text === null) return null;
  const parts = text.split(separator).map(Number);
  return parts.every(Number.isFinite) ? parts : null;
}

/** Compares dotted numbers (versions, IPv4) part by part; missing values sort last. */
function compareDotted(a: string | null, b: string | null): number {
  const pa = numericParts(a, ".");
  const pb = numericParts(b, ".");
  if (pa === null || pb === null) return pa === pb ? 0 : pa === null ? 1 : -1;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const PING_ORDER: Record<PingStatus, number> = {
  online: 0,
  connectionLost: 1,
  inactive: 2,
  notManaged: 3,
  unknown: 4,
};

/** Compliant first, then non-compliant by how many patches they lack, then no data. */
function patchRank(instance: Instance): number {
  const p = instance.patches;
  if (!p) return Number.POSITIVE_INFINITY;
  if (p.state === "compliant") return 0;
  return 1 + p.missing + p.failed + p.installedPendingReboot + p.installedRejected;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compareBy(key: SortKey, a: FleetRow, b: FleetRow): number {
  switch (key) {
    case "agent":
      return compareDotted(a.agentVersion, b.agentVersion);
    case "privateIp":
      return compareDotted(a.privateIp, b.privateIp);
    case "ping":
      return PING_ORDER[a.pingStatus] - PING_ORDER[b.pingStatus];
    case "patches": {
      const [ra, rb] = [patchRank(a), patchRank(b)];
      return ra === rb ? 0 : ra < rb ? -1 : 1;
    }
    default:
      return collator.compare(a[key], b[key]);
  }
}

/** Stable sort; ties fall back to name, then id, so the order never jumps between loads. */
export function sortInstances<T extends FleetRow>(instances: readonly T[], sort: Sort): T[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...instances].sort(
    (a, b) =>
      sign * compareBy(sort.key, a, b) ||
      collator.compare(a.name, b.name) ||
      collator.compare(a.id, b.id) ||
      collator.compare(a.account, b.account),
  );
}

export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key !== key) return { key, direction: "ascending" };
  return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
}

export interface FleetSummary {
  total: number;
  online: number;
  lost: number;
  unmanaged: number;
  unknown: number;
}

export function summarize(instances: readonly Instance[]): FleetSummary {
  const counts: Record<PingStatus, number> = {
    online: 0,
    connectionLost: 0,
    inactive: 0,
    notManaged: 0,
    unknown: 0,
  };
  for (const i of instances) counts[i.pingStatus] += 1;
  return {
    total: instances.length,
    online: counts.online,
    lost: counts.connectionLost,
    unmanaged: counts.notManaged,
    unknown: counts.unknown,
  };
}

/** The AWS CLI commands that read the same facts, shown beside the table for learners. */
export function cliEquivalent(
  scope: readonly { account: string; regions: readonly string[] }[],
): string {
  return scope
    .flatMap(({ account, regions }) => {
      const profile = account.startsWith("profile:") ? ` --profile ${account.slice(8)}` : "";
      return regions.flatMap((r) => [
        `aws ec2 describe-instances${profile} --region ${r}`,
        `aws ssm describe-instance-information${profile} --region ${r}`,
      ]);
    })
    .join("\n");
}
