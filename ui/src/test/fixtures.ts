/** Instances shaped like the practice account's, for UI tests. */
import type { AccountList, Bootstrap, FleetSnapshot, Instance, ProfileSummary } from "../lib/ipc";

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
    ...overrides,
  };
}

export const FLEET: FleetSnapshot = {
  instances: [
    instance(),
    instance({
      id: "i-0000000000000002",
      name: "win-sql-1",
      region: "us-east-1",
      platform: "windows",
      privateIp: "172.31.12.60",
      agentVersion: "3.1.1080.0",
      agentOutdated: true,
      tags: [{ key: "Service", value: "sql-server" }],
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
};
