/**
 * The Fleet screen's state: the rows of every account and region in scope, how far a refresh
 * has got, what failed, the filter, the sort and the selection.
 *
 * A refresh asks for one account and region at a time (a few at once), so rows and progress
 * appear region by region, and a region or account that fails is reported beside the others
 * instead of blanking them. The last listing is shown straight away while the refresh runs.
 */
import { commands, type IpcError, toIpcError } from "../ipc";
import { readCached, writeCached } from "./cache";
import {
  EMPTY_FILTER,
  type FleetFilter,
  type FleetRow,
  filterInstances,
  nextSort,
  rowKey,
  type Sort,
  type SortKey,
  sortInstances,
  summarize,
} from "./view";

/** One account and the regions to list it in (never empty). */
export interface ScopeEntry {
  account: string;
  regions: string[];
}

export type RegionState = "pending" | "done" | "failed";

export interface RegionProgress {
  account: string;
  region: string;
  state: RegionState;
}

/** What could not be listed: one region of an account, or (region null) the whole account. */
export interface FleetFailure {
  account: string;
  region: string | null;
  error: IpcError;
}

/** Requests in flight per account; enough to hide round trips, few enough not to be throttled. */
const PER_ACCOUNT = 4;

async function inPool<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>) {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(size, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  });
  await Promise.all(workers);
}

export class FleetStore {
  /** Replaced, never mutated: raw, so 10,000 rows are not each wrapped in a reactive proxy. */
  rows = $state.raw<FleetRow[]>([]);
  /** Whether a listing (fresh or remembered) has arrived for this scope. */
  loaded = $state(false);
  loading = $state(false);
  /** When the rows shown were saved, while they are a remembered listing not yet refreshed. */
  cachedAt = $state<number | null>(null);
  progress = $state<RegionProgress[]>([]);
  failures = $state<FleetFailure[]>([]);
  filter = $state<FleetFilter>({ ...EMPTY_FILTER });
  sort = $state<Sort>({ key: "name", direction: "ascending" });
  selectedKey = $state<string | null>(null);
  /** Whether any region answered in this load, even with no instances. */
  #anyListed = $state(false);

  /** Sorted once per listing or sort change; a keystroke in the filter only filters. */
  readonly sorted = $derived(sortInstances(this.rows, this.sort));
  readonly visible = $derived(filterInstances(this.sorted, this.filter));
  readonly summary = $derived(summarize(this.rows));
  readonly selected = $derived(this.rows.find((r) => rowKey(r) === this.selectedKey) ?? null);
  readonly regionsDone = $derived(this.progress.filter((p) => p.state !== "pending").length);
  /** Set when nothing at all could be listed: the first reason, for the empty screen. */
  readonly error = $derived(
    !this.loading && this.rows.length === 0 && !this.#anyListed
      ? (this.failures[0]?.error ?? null)
      : null,
  );

  /** Ignores answers to requests that a newer load has replaced. */
  #generation = 0;

  async load(scope: readonly ScopeEntry[]): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.failures = [];
    this.#anyListed = false;
    this.#keepOnly(scope);
    this.progress = scope.flatMap(({ account, regions }) =>
      regions.map((region) => ({ account, region, state: "pending" as const })),
    );
    await Promise.all(scope.map((entry) => this.#loadAccount(entry, generation)));
    if (generation !== this.#generation) return;
    this.loading = false;
    this.loaded = true;
    this.cachedAt = null;
    if (this.selectedKey && !this.rows.some((r) => rowKey(r) === this.selectedKey)) {
      this.selectedKey = null;
    }
  }

  sortBy(key: SortKey): void {
    this.sort = nextSort(this.sort, key);
  }

  clearFilters(): void {
    this.filter = { ...EMPTY_FILTER };
  }

  /** Drops rows outside `scope`, and fills in remembered listings for accounts without rows. */
  #keepOnly(scope: readonly ScopeEntry[]) {
    const inScope = (row: FleetRow) =>
      scope.some((e) => e.account === row.account && e.regions.includes(row.region));
    const kept = this.rows.filter(inScope);
    let oldest: number | null = null;
    for (const { account, regions } of scope) {
      if (kept.some((r) => r.account === account)) continue;
      const cached = readCached(account);
      if (!cached) continue;
      oldest = Math.min(oldest ?? cached.savedAt, cached.savedAt);
      for (const instance of cached.instances) {
        if (regions.includes(instance.region)) kept.push({ ...instance, account });
      }
    }
    this.rows = kept;
    if (oldest !== null) {
      this.cachedAt = oldest;
      this.loaded = true;
    } else if (kept.length === 0) {
      this.loaded = false;
    }
  }

  async #loadAccount({ account, regions }: ScopeEntry, generation: number) {
    const [first, ...rest] = regions;
    if (first === undefined) return;
    // The first region alone: it connects the account, so a missing MFA code or an expired
    // sign-in is reported once for the account rather than once per region.
    if (!(await this.#loadRegion(account, first, generation, true))) {
      this.#mark(account, rest, "failed");
      return;
    }
    await inPool(rest, PER_ACCOUNT, (region) =>
      this.#loadRegion(account, region, generation, false).then(() => {}),
    );
    if (generation !== this.#generation) return;
    writeCached(account, {
      savedAt: Date.now(),
      instances: this.rows
        .filter((r) => r.account === account)
        .map(({ account: _, ...instance }) => instance),
    });
  }

  async #loadRegion(account: string, region: string, generation: number, first: boolean) {
    try {
      const snapshot = await commands.listFleet(account, { regions: [region] });
      if (generation !== this.#generation) return false;
      const failed = snapshot.failures.length > 0;
      const fresh = snapshot.instances.map((i) => ({ ...i, account }));
      // A failed region keeps whatever was remembered for it.
      if (!failed || fresh.length > 0) {
        // Keyed by account and id, so an instance can never show twice.
        const keys = new Set(fresh.map(rowKey));
        this.rows = [
          ...this.rows.filter(
            (r) => !keys.has(rowKey(r)) && (r.account !== account || r.region !== region),
          ),
          ...fresh,
        ];
      }
      this.failures = [
        ...this.failures,
        ...snapshot.failures.map((f) => ({
          account,
          region: f.region,
          error: toIpcError(f.error),
        })),
      ];
      this.#anyListed = this.#anyListed || !failed || fresh.length > 0;
      this.#mark(account, [region], failed && fresh.length === 0 ? "failed" : "done");
      return true;
    } catch (thrown) {
      if (generation !== this.#generation) return false;
      const error = toIpcError(thrown);
      this.failures = [...this.failures, { account, region: first ? null : region, error }];
      this.#mark(account, [region], "failed");
      return false;
    }
  }

  #mark(account: string, regions: readonly string[], state: RegionState) {
    this.progress = this.progress.map((p) =>
      p.account === account && regions.includes(p.region) ? { ...p, state } : p,
    );
  }
}
