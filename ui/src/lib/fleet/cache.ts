/**
 * The last listing of each account, kept in the web view's storage so the Fleet screen shows
 * it the moment it opens and refreshes it in place. Holds only what the table shows (no
 * credentials); a fleet too big for the storage quota is simply not kept.
 */
import type { Instance } from "../ipc";

const PREFIX = "unyo.fleet.v1:";

export interface CachedFleet {
  /** Milliseconds since the epoch. */
  savedAt: number;
  instances: Instance[];
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readCached(account: string): CachedFleet | null {
  const raw = storage()?.getItem(PREFIX + account);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as CachedFleet;
    return Array.isArray(parsed.instances) && typeof parsed.savedAt === "number" ? parsed : null;
  } catch {
    return null;
  }
}

export function writeCached(account: string, fleet: CachedFleet): void {
  try {
    storage()?.setItem(PREFIX + account, JSON.stringify(fleet));
  } catch {
    // Over quota: the next start lists from scratch, which is only slower.
    storage()?.removeItem(PREFIX + account);
  }
}
