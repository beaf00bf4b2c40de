/**
 * What the command palette offers: every account, the current account's regions, the screens
 * and the window actions. Regions also match their short code ("apne1") and, like actions,
 * their English names, so "tokyo" finds Tokyo in the Japanese UI too.
 */
import { type AccountsStore, DEFAULT, PRACTICE, profileId } from "../accounts/accounts.svelte";
import {
  defaultCredentialsLabel,
  profileDetail,
  regionLabel,
  regionName,
  regionShortCode,
  type Translate,
} from "../accounts/names";
import type { AccountColour } from "../ipc/bindings/AccountColour";
import type { Searchable } from "./match";

export type PaletteGroup = "account" | "region" | "screen" | "action";

export type PaletteAction<S extends string> =
  | { kind: "account"; account: string }
  | { kind: "region"; region: string | null }
  | { kind: "screen"; screen: S }
  | { kind: "newWindow" }
  | { kind: "labelAccount" };

export interface PaletteEntry<S extends string> extends Searchable {
  /** Unique among the entries; also the option's DOM id suffix. */
  id: string;
  group: PaletteGroup;
  action: PaletteAction<S>;
  /** The account's colour, for account entries. */
  colour: AccountColour;
  /** What the window shows now (this account, this region, this screen). */
  current: boolean;
}

type AccountsView = Pick<AccountsStore, "list" | "current" | "region" | "regions" | "lookOf">;

const ENGLISH = "en";

export function paletteEntries<S extends string>(
  accounts: AccountsView,
  screens: readonly S[],
  currentScreen: S,
  t: Translate,
): PaletteEntry<S>[] {
  const entries: PaletteEntry<S>[] = [];
  const add = (
    id: string,
    group: PaletteGroup,
    action: PaletteAction<S>,
    fields: Searchable & { colour?: AccountColour; current?: boolean },
  ) =>
    entries.push({
      id,
      group,
      action,
      colour: fields.colour ?? "none",
      current: fields.current ?? false,
      label: fields.label,
      detail: fields.detail,
      keywords: fields.keywords,
    });

  const practiceLook = accounts.lookOf(PRACTICE);
  add(
    "account-practice",
    "account",
    { kind: "account", account: PRACTICE },
    {
      label: practiceLook.alias || t("accounts.practice"),
      detail: practiceLook.alias
        ? `${t("accounts.practice")} · ${t("palette.practiceDetail")}`
        : t("palette.practiceDetail"),
      keywords: [PRACTICE, t("accounts.practice", { locale: ENGLISH })],
      colour: practiceLook.colour,
      current: accounts.current === PRACTICE,
    },
  );
  for (const profile of accounts.list?.aws.profiles ?? []) {
    const id = profileId(profile.name);
    const look = accounts.lookOf(id);
    add(
      `account-${id}`,
      "account",
      { kind: "account", account: id },
      {
        label: look.alias || profile.name,
        detail: profileDetail(profile, t),
        keywords: [t(`accounts.kind.${profile.kind}`, { locale: ENGLISH })],
        colour: look.colour,
        current: accounts.current === id,
      },
    );
  }

  const source = accounts.list?.defaultCredentials ?? null;
  if (source !== null) {
    const look = accounts.lookOf(DEFAULT);
    const label = defaultCredentialsLabel(source, t);
    add(
      `account-${DEFAULT}`,
      "account",
      { kind: "account", account: DEFAULT },
      {
        label: look.alias || label,
        detail: look.alias
          ? `${label} · ${t("palette.defaultDetail")}`
          : t("palette.defaultDetail"),
        // The id and the English label, so "default" or "environment" finds it in Japanese too.
        keywords: [DEFAULT, defaultCredentialsLabel(source, t, ENGLISH)],
        colour: look.colour,
        current: accounts.current === DEFAULT,
      },
    );
  }

  add(
    "region-all",
    "region",
    { kind: "region", region: null },
    {
      label: t("palette.allRegions"),
      keywords: [t("palette.allRegions", { locale: ENGLISH })],
      current: accounts.region === null,
    },
  );
  for (const code of accounts.regions) {
    add(
      `region-${code}`,
      "region",
      { kind: "region", region: code },
      {
        label: regionLabel(code, t),
        keywords: [regionShortCode(code), regionName(code, t, ENGLISH) ?? code],
        current: accounts.region === code,
      },
    );
  }

  for (const screen of screens) {
    add(
      `screen-${screen}`,
      "screen",
      { kind: "screen", screen },
      {
        label: t(`nav.${screen}`),
        keywords: [screen],
        current: screen === currentScreen,
      },
    );
  }

  add(
    "action-new-window",
    "action",
    { kind: "newWindow" },
    { label: t("palette.newWindow"), keywords: [t("palette.newWindow", { locale: ENGLISH })] },
  );
  add(
    "action-label-account",
    "action",
    { kind: "labelAccount" },
    {
      label: t("palette.labelAccount"),
      keywords: [t("palette.labelAccount", { locale: ENGLISH })],
    },
  );
  return entries;
}
