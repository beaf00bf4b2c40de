/** How accounts and regions are named on screen, the same in the bar, the palette and the title. */
import type { AccountList, ProfileSummary } from "../ipc";
import type { AccountLook } from "../ipc/bindings/AccountLook";
import type { DefaultCredentials } from "../ipc/bindings/DefaultCredentials";
import { DEFAULT, findProfile, PRACTICE } from "./accounts.svelte";

/** svelte-i18n's `$_`, or anything that translates a key the same way. */
export type Translate = (
  id: string,
  options?: { values?: Record<string, string | number>; locale?: string },
) => string;

/** A region's display name ("Asia Pacific (Tokyo)"), or null when the catalogue lacks it. */
export function regionName(code: string, t: Translate, locale?: string): string | null {
  const key = `context.regionNames.${code}`;
  const name = t(key, locale ? { locale } : undefined);
  return name === key ? null : name;
}

const DIRECTIONS: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
};

/**
 * The short form operators write ("apne1" for ap-northeast-1, "use1", "euc1"): the area, the
 * initials of the direction words, the number.
 */
export function regionShortCode(code: string): string {
  return code
    .split("-")
    .map((part) =>
      part.replace(/north|south|east|west|central/g, (word) => DIRECTIONS[word] ?? word),
    )
    .join("");
}

/** "Asia Pacific (Tokyo) · ap-northeast-1", or the bare code for a region without a name. */
export function regionLabel(code: string, t: Translate): string {
  const name = regionName(code, t);
  return name === null ? code : `${name} · ${code}`;
}

/** The account's alias when it has one, else its own name. */
export function accountName(
  account: string,
  list: AccountList | null,
  look: AccountLook,
  t: Translate,
): string {
  if (look.alias) return look.alias;
  if (account === PRACTICE) return t("accounts.practice");
  if (account === DEFAULT) return defaultCredentialsLabel(list?.defaultCredentials ?? null, t);
  return findProfile(list, account)?.name ?? account.replace(/^profile:/, "");
}

/** "prod · us-east-1 · assume role": what tells one profile from another. */
export function profileDetail(profile: ProfileSummary, t: Translate): string {
  const region = profile.region ?? t("accounts.noRegion");
  return `${profile.name} · ${region} · ${t(`accounts.kind.${profile.kind}`)}`;
}

/**
 * "Default credentials (environment variables)": the `default` account named by where the
 * SDK finds its credentials, so a CI runner's keys are not mistaken for a container role.
 */
export function defaultCredentialsLabel(
  source: DefaultCredentials | null,
  t: Translate,
  locale?: string,
): string {
  const options = locale ? { locale } : undefined;
  return t(`accounts.defaultCredentials.${source ?? "unknown"}`, options);
}
