/** Pure fleet view logic: filtering, sorting and counting, shared by the screen and tests. */
import type { Instance, PingStatus, Platform } from "../ipc";

export type SortKey =
  | "name"
  | "id"
  | "region"
  | "state"
  | "platform"
  | "ping"
  | "agent"
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
}

export const EMPTY_FILTER: FleetFilter = { text: "", ping: "any", platform: "any" };

export function isFiltering(filter: FleetFilter): boolean {
  return filter.text.trim() !== "" || filter.ping !== "any" || filter.platform !== "any";
}

/** Same fields as the CLI's `--filter`: id, name, IP addresses and tag values. */
export function matchesText(instance: Instance, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === "") return true;
  const haystack = [
    instance.id,
    instance.name,
    instance.privateIp,
    instance.publicIp,
    ...instance.tags.map((t) => t.value),
  ];
  return haystack.some((h) => h?.toLowerCase().includes(needle));
}

export function filterInstances(instances: readonly Instance[], filter: FleetFilter): Instance[] {
  return instances.filter(
    (i) =>
      (filter.ping === "any" || i.pingStatus === filter.ping) &&
      (filter.platform === "any" || i.platform === filter.platform) &&
      matchesText(i, filter.text),
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

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compareBy(key: SortKey, a: Instance, b: Instance): number {
  switch (key) {
    case "agent":
      return compareDotted(a.agentVersion, b.agentVersion);
    case "privateIp":
      return compareDotted(a.privateIp, b.privateIp);
    case "ping":
      return PING_ORDER[a.pingStatus] - PING_ORDER[b.pingStatus];
    default:
      return collator.compare(a[key], b[key]);
  }
}

/** Stable sort; ties fall back to name, then id, so the order never jumps between loads. */
export function sortInstances(instances: readonly Instance[], sort: Sort): Instance[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...instances].sort(
    (a, b) =>
      sign * compareBy(sort.key, a, b) ||
      collator.compare(a.name, b.name) ||
      collator.compare(a.id, b.id),
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
}

export function summarize(instances: readonly Instance[]): FleetSummary {
  const count = (status: PingStatus) => instances.filter((i) => i.pingStatus === status).length;
  return {
    total: instances.length,
    online: count("online"),
    lost: count("connectionLost"),
    unmanaged: count("notManaged"),
  };
}

/** The AWS CLI commands that read the same facts, shown beside the table for learners. */
export function cliEquivalent(regions: readonly string[]): string {
  return regions
    .flatMap((r) => [
      `aws ec2 describe-instances --region ${r}`,
      `aws ssm describe-instance-information --region ${r}`,
    ])
    .join("\n");
}
