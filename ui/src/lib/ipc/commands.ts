/**
 * The backend's commands, typed. This folder is the only place that imports `@tauri-apps/*`;
 * everything else calls these functions.
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AccountList } from "./bindings/AccountList";
import type { Bootstrap } from "./bindings/Bootstrap";
import type { FleetScope } from "./bindings/FleetScope";
import type { FleetSnapshot } from "./bindings/FleetSnapshot";
import type { SessionEventDto } from "./bindings/SessionEventDto";
import type { Settings } from "./bindings/Settings";
import type { TerminalSize } from "./bindings/TerminalSize";
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

/** A session event with its output decoded to bytes. */
export type SessionEvent =
  | { kind: "output"; data: Uint8Array }
  | Extract<SessionEventDto, { kind: "closed" }>;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Opens a shell on an instance; `onEvent` receives its output until it closes. */
export function openShell(
  account: string,
  instanceId: string,
  onEvent: (event: SessionEvent) => void,
): Promise<string> {
  const channel = new Channel<SessionEventDto>();
  channel.onmessage = (dto) =>
    onEvent(dto.kind === "output" ? { kind: "output", data: fromBase64(dto.data) } : dto);
  return call<string>("open_shell", { account, instanceId, onEvent: channel });
}

export const writeSession = (id: string, data: Uint8Array) =>
  call<void>("write_session", { id, data: toBase64(data) });
export const resizeSession = (id: string, size: TerminalSize) =>
  call<void>("resize_session", { id, size });
export const closeSession = (id: string) => call<void>("close_session", { id });
