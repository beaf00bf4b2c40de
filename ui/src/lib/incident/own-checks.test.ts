import { describe, expect, it } from "vitest";
import { SSH_CHECKS } from "../../test/incident-fixtures";
import { suggestedSets } from "./command-checks.svelte";
import { emptyDraft, joinChecks, probeOf } from "./own-checks.svelte";

describe("own checks", () => {
  it("a draft becomes the probe its kind describes, and a number that is not one waits", () => {
    expect(probeOf({ ...emptyDraft("serviceActive"), name: " nginx " })).toEqual({
      kind: "serviceActive",
      service: "nginx",
    });
    expect(
      probeOf({ ...emptyDraft("fileMode"), path: "/etc/shadow", owner: "", maxMode: "640" }),
    ).toEqual({ kind: "fileMode", path: "/etc/shadow", owner: null, maxMode: "640" });
    expect(probeOf({ ...emptyDraft("portListening"), port: "443" })).toEqual({
      kind: "portListening",
      port: 443,
    });
    expect(probeOf({ ...emptyDraft("portListening"), port: "https" })).toBeNull();
    expect(probeOf({ ...emptyDraft("portListening"), port: "70000" })).toBeNull();
    expect(probeOf({ ...emptyDraft("diskUsage"), path: "/", maxPercent: "85" })).toEqual({
      kind: "diskUsage",
      path: "/",
      maxPercent: 85,
    });
  });

  it("checks join once, and a script points at the sets it names", () => {
    const nginx = { kind: "serviceActive", service: "nginx" } as const;
    expect(joinChecks([nginx], [...SSH_CHECKS, nginx])).toEqual([nginx, ...SSH_CHECKS]);
    const sets = [
      { name: "sshd", probes: SSH_CHECKS },
      { name: "agent", probes: [] },
      { name: "rdp", probes: [] },
    ];
    const names = (script: string) => suggestedSets(script, sets).map((s) => s.name);
    expect(names("systemctl restart sshd")).toEqual(["sshd"]);
    expect(names("chmod 600 /etc/ssh/sshd_config && systemctl restart amazon-ssm-agent")).toEqual([
      "sshd",
      "agent",
    ]);
    expect(names("Restart-Service TermService")).toEqual(["rdp"]);
    expect(names("df -h")).toEqual([]);
  });
});
