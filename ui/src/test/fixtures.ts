/** Instances shaped like the practice account's, for UI tests. */
import type {
  AccountList,
  Bootstrap,
  FleetSnapshot,
  Instance,
  PatchSummary,
  ProfileSummary,
} from "../lib/ipc";

export function instance(overrides: Partial<Instance> = {}): Instance {
  return {
    id: "i-0000000000000001",
    name: "web-prod-1",
    accountId: "123456789012",
    region: "ap-northeast-1",
    availabilityZone: "ap-northeast-1a",
    instanceType: "t3.medium",
    state: "running",
    platform: "linux",
    platformName: "Amazon Linux 2023",
    privateIp: "10.0.1.11",
    publicIp: null,
    vpcId: "vpc-1",
    subnetId: "subnet-1",
    pingStatus: "online",
    lastPingAt: "2026-11-28T09:58:41Z",
    agentVersion: "3.3.1142.0",
    agentOutdated: false,
    iamInstanceProfile: "Profile",
    tags: [{ key: "Team", value: "web" }],
    patches: null,
    ...overrides,
  };
}

/** Patch Manager's last nightly scan finding nothing missing; `overrides` add the gaps. */
export function patches(overrides: Partial<PatchSummary> = {}): PatchSummary {
  return {
    state: "compliant",
    baselineId: "pb-0f6a0c3e1b2d4a023",
    patchGroup: "",
    installed: 412,
    installedOther: 3,
    installedPendingReboot: 0,
    installedRejected: 0,
    missing: 0,
    failed: 0,
    notApplicable: 1204,
    criticalNonCompliant: 0,
    securityNonCompliant: 0,
    otherNonCompliant: 0,
    operation: "scan",
    operationStartedAt: "2026-11-27T18:00:04Z",
    operationEndedAt: "2026-11-27T18:01:37Z",
    ...overrides,
  };
}

export const FLEET: FleetSnapshot = {
  instances: [
    instance({ patches: patches() }),
    instance({
      id: "i-0000000000000002",
      name: "win-sql-1",
      region: "us-east-1",
      platform: "windows",
      privateIp: "172.31.12.60",
      agentVersion: "3.1.1080.0",
      agentOutdated: true,
      tags: [{ key: "Service", value: "sql-server" }],
      patches: patches({
        state: "nonCompliant",
        baselineId: "pb-0d4c6e8a0f2b3c005",
        patchGroup: "windows-production",
        missing: 3,
        criticalNonCompliant: 1,
        securityNonCompliant: 2,
        operation: "install",
      }),
    }),
    instance({
      id: "i-0000000000000003",
      name: "bastion-legacy",
      privateIp: "10.0.1.5",
      pingStatus: "notManaged",
      agentVersion: null,
      lastPingAt: null,
      iamInstanceProfile: null,
    }),
  ],
  failures: [],
};

export const BOOTSTRAP: Bootstrap = {
  version: "0.1.0",
  osLocale: "en-US",
  settings: { language: "system", theme: "system", lastAccount: null, lastRegion: null },
  settingsProblem: null,
};

export const PROD_PROFILE: ProfileSummary = {
  name: "prod",
  kind: "assumeRole",
  origin: "awsFiles",
  region: "us-east-1",
  chain: ["base"],
  roleArn: "arn:aws:iam::111122223333:role/Ops",
  mfaSerial: "arn:aws:iam::111122223333:mfa/alice",
  ssoSession: null,
  ssoAccountId: null,
  ssoRoleName: null,
  credentialProgram: null,
  keyHint: null,
  externalId: false,
  durationSeconds: null,
  problem: null,
};

export const ACCOUNTS: AccountList = {
  practice: {
    id: "practice",
    kind: "practice",
    accountId: "123456789012",
    regions: ["ap-northeast-1", "us-east-1"],
    defaultRegion: "ap-northeast-1",
    capabilities: [
      "fleet",
      "sessions",
      "metrics",
      "logs",
      "trail",
      "automation",
      "runCommand",
      "readiness",
      "remediation",
    ],
  },
  aws: {
    profiles: [PROD_PROFILE],
    ssoSessions: [],
    issues: [
      {
        file: "/home/op/.aws/config",
        line: 7,
        message: "`junk` is neither a [section] nor a `key = value` line",
      },
    ],
  },
  awsConfigFile: "/home/op/.aws/config",
  awsCredentialsFile: "/home/op/.aws/credentials",
  defaultCredentials: null,
};
