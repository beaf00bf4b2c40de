import { describe, expect, it } from "vitest";
import { FLEET, instance } from "../../test/fixtures";
import { EMPTY_FILTER, filterInstances, nextSort, sortInstances, summarize } from "./view";

const names = (list: { name: string }[]) => list.map((i) => i.name);

describe("filterInstances", () => {
  it("matches id, name, IP and tag values, case-insensitively", () => {
    const by = (text: string) => names(filterInstances(FLEET.instances, { ...EMPTY_FILTER, text }));
    expect(by("WIN")).toEqual(["win-sql-1"]);
    expect(by("10.0.1.5")).toEqual(["bastion-legacy"]);
    expect(by("sql-server")).toEqual(["win-sql-1"]);
    expect(by("i-0000000000000001")).toEqual(["web-prod-1"]);
    expect(by("Service")).toEqual([]); // tag keys are not searched
  });

  it("combines status and platform filters", () => {
    const result = filterInstances(FLEET.instances, {
      text: "",
      ping: "online",
      platform: "linux",
    });
    expect(names(result)).toEqual(["web-prod-1"]);
  });
});

describe("sortInstances", () => {
  it("sorts agent versions numerically with unmanaged last", () => {
    const list = [
      instance({ name: "a", agentVersion: "3.10.0.0" }),
      instance({ name: "b", agentVersion: null }),
      instance({ name: "c", agentVersion: "3.9.0.0" }),
    ];
    expect(names(sortInstances(list, { key: "agent", direction: "ascending" }))).toEqual([
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
    expect(names(sortInstances(list, { key: "privateIp", direction: "ascending" }))).toEqual([
      "y",
      "x",
    ]);
  });

  it("reverses on a second click of the same column", () => {
    const first = nextSort({ key: "name", direction: "ascending" }, "region");
    expect(first).toEqual({ key: "region", direction: "ascending" });
    expect(nextSort(first, "region")).toEqual({ key: "region", direction: "descending" });
    expect(names(sortInstances(FLEET.instances, { key: "name", direction: "descending" }))).toEqual(
      ["win-sql-1", "web-prod-1", "bastion-legacy"],
    );
  });
});

it("summarizes by SSM status", () => {
  expect(summarize(FLEET.instances)).toEqual({ total: 3, online: 2, lost: 0, unmanaged: 1 });
});
