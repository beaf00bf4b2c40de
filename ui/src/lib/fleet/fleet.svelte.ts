/** The Fleet screen's state: the last snapshot, the filter, the sort and the selection. */
import { commands, type FleetSnapshot, type IpcError, toIpcError } from "../ipc";
import {
  EMPTY_FILTER,
  type FleetFilter,
  filterInstances,
  nextSort,
  type Sort,
  type SortKey,
  sortInstances,
  summarize,
} from "./view";

export class FleetStore {
  snapshot = $state<FleetSnapshot | null>(null);
  loading = $state(false);
  error = $state<IpcError | null>(null);
  filter = $state<FleetFilter>({ ...EMPTY_FILTER });
  sort = $state<Sort>({ key: "name", direction: "ascending" });
  selectedId = $state<string | null>(null);

  readonly all = $derived(this.snapshot?.instances ?? []);
  readonly visible = $derived(sortInstances(filterInstances(this.all, this.filter), this.sort));
  readonly summary = $derived(summarize(this.all));
  readonly selected = $derived(this.all.find((i) => i.id === this.selectedId) ?? null);

  /** Ignores answers to requests that a newer load has replaced. */
  #generation = 0;

  async load(account: string, regions: string[]): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const snapshot = await commands.listFleet(account, { regions });
      if (generation !== this.#generation) return;
      this.snapshot = snapshot;
      if (this.selectedId && !snapshot.instances.some((i) => i.id === this.selectedId)) {
        this.selectedId = null;
      }
    } catch (thrown) {
      if (generation !== this.#generation) return;
      this.error = toIpcError(thrown);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  sortBy(key: SortKey): void {
    this.sort = nextSort(this.sort, key);
  }

  clearFilters(): void {
    this.filter = { ...EMPTY_FILTER };
  }
}
