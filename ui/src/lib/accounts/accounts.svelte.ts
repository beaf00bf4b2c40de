/** Which accounts the switcher offers, and the one this window shows. */
import { type AccountList, commands, type IpcError, toIpcError } from "../ipc";

export const PRACTICE = "practice";

export class AccountsStore {
  list = $state<AccountList | null>(null);
  error = $state<IpcError | null>(null);
  /** The account this window shows; only the practice account can be read in this version. */
  current = $state(PRACTICE);
  /** A region code, or null for all of the account's regions. */
  region = $state<string | null>(null);

  readonly regions = $derived(this.list?.practice.regions ?? []);
  /** The regions a fleet listing covers: the chosen one, or all of them. */
  readonly scope = $derived(this.region === null ? [] : [this.region]);
  readonly scopeRegions = $derived(this.region === null ? this.regions : [this.region]);

  async reload(): Promise<void> {
    try {
      this.list = await commands.listAccounts();
      this.error = null;
    } catch (thrown) {
      this.error = toIpcError(thrown);
    }
  }

  /** Restores the last region when the account still has it. */
  restore(lastRegion: string | null): void {
    this.region = lastRegion !== null && this.regions.includes(lastRegion) ? lastRegion : null;
  }
}
