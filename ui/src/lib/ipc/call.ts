/** One backend command, with its failure turned into an IpcError (`{ code, message }`). */
import { invoke } from "@tauri-apps/api/core";
import { toIpcError } from "./errors";

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    throw toIpcError(thrown);
  }
}
