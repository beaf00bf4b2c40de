import { describe, expect, it } from "vitest";
import { FLEET, instance, patches } from "../../test/fixtures";
import type { Instance } from "../ipc";
import {
  agentBelow,
  cliEquivalent,
  EMPTY_FILTER,
  type FleetRow,
  filterInstances,
  nextSort,
  patchLabel,
  patchState,
  sortInstances,
  summarize,
} from "./view";

const names = (list: { name: string }[]) => list.map((i) => i.name);
const rows = (list: Instance[], account = "practice"): FleetRow[] =>
  list.map((i) => ({ ...i, account }));

describe("filterInstances", () => {
  it("matches id, name, IP and tag values, case-insensitively", () => {
    const by = (text: string) => names(filterInstances(FLEET.instances, { ...EMPTY_FILTER, text }));
    expect(by("WIN")).toEqual(["win-sql-1"]);
    expect(by("10.0.1.5")).toEqual(["bastion-legacy"]);
    expect(by("sql-server")).toEqual(["win-sql-1"]);
    expect(by("i-0000000000000001")).toEqual(["web-prod-1"]);
    expect(by("Service")).toEqual([]); // tag keys are not searched
  });

  it("finds one tag with Key=value, the key exact and the value containing", () => {
    const list = [
      instance({ name: "p", tags: [{ key: "Env", value: "production" }] }),
      instance({ name: "s", tags: [{ key: "Env", value: "staging" }] }),
      instance({ name: "o", tags: [{ key: "Owner", value: "env=prod" }] }),
    ];
    const by = (text: string) => names(filterInstances(list, { ...EMPTY_FILTER, text }));
    expect(by("env=prod")).toEqual(["p"]);
    expect(by("Env = STAG")).toEqual(["s"]);
    expect(by("Env=")).toEqual(["p", "s"]);
    expect(by("Team=x")).toEqual([]);
  });

  it("combines status, platform and state filters", () => {
    const result = filterInstances(FLEET.instances, {
      ...EMPTY_FILTER,
      ping: "online",
      platform: "linux",
    });
    expect(names(result)).toEqual(["web-prod-1"]);
    const stopped = filterInstances(
      [instance({ name: "up" }), instance({ name: "down", state: "stopped" })],
      { ...EMPTY_FILTER, state: "stopped" },
    );
    expect(names(stopped)).toEqual(["down"]);
  });

  it("keeps agents older than a version, and instances with no agent", () => {
    const list = [
      instance({ name: "old", agentVersion: "3.0.161.0" }),
      instance({ name: "new", agentVersion: "3.3.40.0" }),
      instance({ name: "same", agentVersion: "3.0.222.0" }),
      instance({ name: "none", agentVersion: null }),
    ];
    const below = (v: string) => names(filterInstances(list, { ...EMPTY_FILTER, agentBelow: v }));
    expect(below("3.0.222.0")).toEqual(["old", "none"]);
    expect(below("")).toEqual(["old", "new", "same", "none"]);
    // A half-typed or mistyped version hides nothing rather than everything.
    expect(below("3.x")).toEqual(["old", "new", "same", "none"]);
    expect(agentBelow("2.3.68.0", "2.3.68.1")).toBe(true);
  });
});

describe("patch compliance", () => {
  const fleet = [
    instance({ name: "clean", patches: patches() }),
    instance({
      name: "critical",
      patches: patches({ state: "nonCompliant", missing: 7, criticalNonCompliant: 2 }),
    }),
    instance({ name: "few", patches: patches({ state: "nonCompliant", missing: 1 }) }),
    instance({ name: "unscanned" }),
  ];

  it("filters on compliant, non-compliant and no data", () => {
    const by = (p: "compliant" | "nonCompliant" | "noData") =>
      names(filterInstances(fleet, { ...EMPTY_FILTER, patches: p }));
    expect(by("nonCompliant")).toEqual(["critical", "few"]);
    expect(by("compliant")).toEqual(["clean"]);
    expect(by("noData")).toEqual(["unscanned"]);
  });

  it("reads a listing remembered before patch data existed as no data", () => {
    const { patches: _, ...older } = instance({ name: "old" });
    expect(patchState(older as Instance)).toBe("noData");
    expect(patchLabel(older as Instance).key).toBe("patches.noData");
  });

  it("says what is missing, louder when critical or security patches are among it", () => {
    expect(fleet.map(patchLabel)).toEqual([
      { key: "patches.compliant", values: {}, tone: "ok" },
      { key: "patches.missingCount", values: { count: 7 }, tone: "danger" },
      { key: "patches.missingCount", values: { count: 1 }, tone: "warn" },
      { key: "patches.noData", values: {}, tone: "none" },
    ]);
    const failed = patches({ state: "nonCompliant", failed: 1 });
    expect(patchLabel(instance({ patches: failed })).key).toBe("patches.failedCount");
    const reboot = patches({ state: "nonCompliant", installedPendingReboot: 2 });
    expect(patchLabel(instance({ patches: reboot })).key).toBe("patches.rebootPending");
  });

  it("sorts compliant first, then by how much is missing, and no data last", () => {
    const sorted = sortInstances(rows(fleet), { key: "patches", direction: "ascending" });
    expect(names(sorted)).toEqual(["clean", "few", "critical", "unscanned"]);
  });
});

describe("sortInstances", () => {
  it("sorts agent versions numerically with unmanaged last", () => {
    const list = [
      instance({ name: "a", agentVersion: "3.10.0.0" }),
      instance({ name: "b", agentVersion: null }),
      instance({ name: "c", agentVersion: "3.9.0.0" }),
    ];
    expect(names(sortInstances(rows(list), { key: "agent", direction: "ascending" }))).toEqual([
      "c",
      "a",
      "b",
    ]);
  });

  it("sorts IP addresses by octet, not as text", () => {
    const list = [
      instance({ name: "x", privateIp: "10.0.1.100" }),
      instance({ name: "y", privateIp: "10.0.1.20" }),
    ];
    expect(names(sortInstances(rows(list), { key: "privateIp", direction: "ascending" }))).toEqual([
      "y",
      "x",
    ]);
  });

  it("reverses on a second click of the same column", () => {
    const first = nextSort({ key: "name", direction: "ascending" }, "region");
    expect(first).toEqual({ key: "region", direction: "ascending" });
    expect(nextSort(first, "region")).toEqual({ key: "region", direction: "descending" });
    expect(
      names(sortInstances(rows(FLEET.instances), { key: "name", direction: "descending" })),
    ).toEqual(["win-sql-1", "web-prod-1", "bastion-legacy"]);
  });
});

it("summarizes by SSM status", () => {
  expect(summarize(FLEET.instances)).toEqual({
    total: 3,
    online: 2,
    lost: 0,
    unmanaged: 1,
    unknown: 0,
  });
});

it("orders equal rows from two accounts by account, so they never swap between loads", () => {
  const same = instance({ name: "twin" });
  const sorted = sortInstances([...rows([same], "profile:b"), ...rows([same], "profile:a")], {
    key: "name",
    direction: "ascending",
  });
  expect(sorted.map((r) => r.account)).toEqual(["profile:a", "profile:b"]);
});

it("gives the AWS CLI commands per profile and region", () => {
  expect(
    cliEquivalent([
      { account: "profile:prod", regions: ["us-east-1"] },
      { account: "practice", regions: ["ap-northeast-1"] },
    ]),
  ).toBe(
    [
      "aws ec2 describe-instances --profile prod --region us-east-1",
      "aws ssm describe-instance-information --profile prod --region us-east-1",
      "aws ec2 describe-instances --region ap-northeast-1",
      "aws ssm describe-instance-information --region ap-northeast-1",
    ].join("\n"),
  );
});
