/**
 * The backend's commands, typed. This folder is the only place that imports `@tauri-apps/*`;
 * everything else calls these functions.
 */
import { invoke } from "@tauri-apps/api/core";
import type { AccountList } from "./bindings/AccountList";
import type { Bootstrap } from "./bindings/Bootstrap";
import type { FleetScope } from "./bindings/FleetScope";
import type { FleetSnapshot } from "./bindings/FleetSnapshot";
import type { Settings } from "./bindings/Settings";
import { toIpcError } from "./errors";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    throw toIpcError(thrown);
  }
}

export const bootstrap = () => call<Bootstrap>("bootstrap");
export const listAccounts = () => call<AccountList>("list_accounts");
export const listFleet = (account: string, scope: FleetScope) =>
  call<FleetSnapshot>("list_fleet", { account, scope });
export const saveSettings = (settings: Settings) => call<void>("save_settings", { settings });
export const reportFleetRendered = (pageMs: number) =>
  call<void>("report_fleet_rendered", { pageMs });
