/**
 * Which accounts the switcher offers, the account and region this window shows, and how each
 * account is labelled (alias and colour). The choice is remembered per window by the backend.
 */
import { type AccountList, commands, type IpcError, type ProfileSummary, toIpcError } from "../ipc";
import type { AccountColour } from "../ipc/bindings/AccountColour";
import type { AccountLook } from "../ipc/bindings/AccountLook";
import type { WindowContext } from "../ipc/bindings/WindowContext";

export const PRACTICE = "practice";
/**
 * The AWS SDK's default credential chain without a profile (environment keys, web identity,
 * container credentials): offered only when the backend found such credentials.
 */
export const DEFAULT = "default";
const PROFILE_PREFIX = "profile:";

export const PLAIN_LOOK: AccountLook = { alias: "", colour: "none" };

/** The colours offered, in the order the label dialog lists them. */
export const COLOURS: readonly AccountColour[] = [
  "none",
  "red",
  "orange",
  "yellow",
  "green",
  "blue",
  "purple",
];

export function profileId(name: string): string {
  return `${PROFILE_PREFIX}${name}`;
}

/** The profile an account id names, if the AWS files still have it. */
export function findProfile(list: AccountList | null, account: string): ProfileSummary | null {
  if (!account.startsWith(PROFILE_PREFIX)) return null;
  const name = account.slice(PROFILE_PREFIX.length);
  return list?.aws.profiles.find((p) => p.name === name) ?? null;
}

/** Whether the switcher offers the `default` account: the backend saw credentials for it. */
export function hasDefault(list: AccountList | null): boolean {
  return (list?.defaultCredentials ?? null) !== null;
}

/** Every account the switcher offers, in its order: practice, the profiles, then `default`. */
export function accountIds(list: AccountList | null): string[] {
  return [
    PRACTICE,
    ...(list?.aws.profiles ?? []).map((p) => profileId(p.name)),
    ...(hasDefault(list) ? [DEFAULT] : []),
  ];
}

/**
 * The regions an account offers: the practice account's own; for a profile, its configured
 * region first, then the known commercial regions. The `default` account's region (e.g.
 * AWS_REGION) is only visible to the backend, so it offers the known regions.
 */
export function regionsOf(
  list: AccountList | null,
  knownRegions: readonly string[],
  account: string,
): string[] {
  if (account === PRACTICE) return list?.practice.regions ?? [];
  const own = findProfile(list, account)?.region;
  return own ? [own, ...knownRegions.filter((r) => r !== own)] : [...knownRegions];
}

export class AccountsStore {
  list = $state<AccountList | null>(null);
  error = $state<IpcError | null>(null);
  /** Set when this window's choice could not be remembered; the choice itself still applies. */
  saveError = $state<IpcError | null>(null);
  /** The account this window shows: `practice`, `profile:<name>` or `default`. */
  current = $state(PRACTICE);
  /** A region code, or null for all of the account's regions. */
  region = $state<string | null>(null);
  /** Alias and colour of each account the user labelled, by account id. */
  looks = $state<Record<string, AccountLook>>({});
  /** Regions offered for AWS profiles (from the backend's list). */
  knownRegions = $state<string[]>([]);

  readonly isPractice = $derived(this.current === PRACTICE);
  readonly profile = $derived(findProfile(this.list, this.current));
  readonly regions = $derived(regionsOf(this.list, this.knownRegions, this.current));
  readonly look = $derived(this.lookOf(this.current));
  /**
   * What the window's account can do. Only the practice account's context is listed up
   * front; a profile's is not known here, so null (every tool offered, refusals shown).
   */
  readonly capabilities = $derived(
    this.current === PRACTICE ? (this.list?.practice.capabilities ?? null) : null,
  );
  /** The regions a fleet listing covers: the chosen one, or all of them. */
  readonly scope = $derived(this.region === null ? [] : [this.region]);
  readonly scopeRegions = $derived(this.region === null ? this.regions : [this.region]);

  lookOf(account: string): AccountLook {
    return this.looks[account] ?? PLAIN_LOOK;
  }

  exists(account: string): boolean {
    if (account === PRACTICE) return true;
    if (account === DEFAULT) return hasDefault(this.list);
    return findProfile(this.list, account) !== null;
  }

  async reload(): Promise<void> {
    try {
      this.list = await commands.listAccounts();
      this.error = null;
    } catch (thrown) {
      this.error = toIpcError(thrown);
    }
  }

  /**
   * Opens on what the backend remembered for this window. A profile that is gone from the AWS
   * files falls back to the practice account; a region the account does not offer, to all.
   */
  restore(context: WindowContext): void {
    this.looks = context.looks;
    this.knownRegions = context.knownRegions;
    const { account, region } = context.choice;
    this.current = this.exists(account) ? account : PRACTICE;
    this.region = region !== null && this.regions.includes(region) ? region : null;
  }

  /**
   * Shows another account, region or both in this window and remembers it. Switching account
   * alone keeps the region when the new account offers it, else takes the profile's own region,
   * else all regions.
   */
  async choose(account: string, region?: string | null): Promise<void> {
    const next = regionsOf(this.list, this.knownRegions, account);
    let target: string | null;
    if (region !== undefined) target = region;
    else if (this.region !== null && next.includes(this.region)) target = this.region;
    else target = findProfile(this.list, account)?.region ?? null;
    this.current = account;
    this.region = target;
    try {
      await commands.chooseContext(account, target);
      this.saveError = null;
    } catch (thrown) {
      this.saveError = toIpcError(thrown);
    }
  }

  /** Saves an account's alias and colour; resolves to the error when it was not saved. */
  async saveLook(account: string, look: AccountLook): Promise<IpcError | null> {
    try {
      const saved = await commands.saveAccountLook(account, look);
      this.looks = { ...this.looks, [account]: saved };
      return null;
    } catch (thrown) {
      return toIpcError(thrown);
    }
  }
}
