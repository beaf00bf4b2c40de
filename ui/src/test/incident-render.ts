/** Renders the Incident screen over the test backend, for the screen's component tests. */
import { render } from "@testing-library/svelte";
import IncidentScreen from "../components/incident/IncidentScreen.svelte";
import { AccountsStore } from "../lib/accounts/accounts.svelte";
import { IncidentStore } from "../lib/incident/incident.svelte";
import { ACCOUNTS } from "./fixtures";
import type { Backend } from "./incident-fixtures";

export function accounts(capabilities = ACCOUNTS.practice.capabilities): AccountsStore {
  const store = new AccountsStore();
  store.list = { ...ACCOUNTS, practice: { ...ACCOUNTS.practice, capabilities } };
  store.region = "ap-northeast-1";
  return store;
}

export function show(
  backend: Backend,
  phase: IncidentStore["phase"] = "triage",
  prepare: (store: IncidentStore) => void = () => {},
  capabilities = ACCOUNTS.practice.capabilities,
  account = "practice",
) {
  const initial = new IncidentStore(account);
  initial.phase = phase;
  prepare(initial);
  const page = render(IncidentScreen, { accounts: accounts(capabilities), initial });
  return { page, initial, backend };
}

export const sent = (backend: Backend, cmd: string) => backend.calls.filter((c) => c.cmd === cmd);
