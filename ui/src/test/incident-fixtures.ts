/**
 * A practice-like backend for the Incident screen's tests: one alarm firing in Tokyo beside a
 * composite one, log groups, a Logs Insights query that streams (and can be held open until
 * the test finishes or stops it), CloudTrail events, a runbook catalog whose runbooks are
 * described on demand and that succeeds over two polls, Run Command that finishes on the
 * second poll, a Windows instance, the checks that verify AWSSupport-TroubleshootSSH (all
 * passing unless told otherwise), and the incident journal over memory. `fail` makes chosen
 * commands reject, as a failing panel would.
 */
import type {
  Alarm,
  AutomationExecution,
  AutomationHistory,
  CalendarState,
  ChangeIntent,
  ChangeRequest,
  CheckResult,
  CommandExecution,
  Estimate,
  Incident,
  InsightsProgress,
  InsightsQuery,
  InsightsStatus,
  LogGroup,
  Probe,
  Runbook,
  SendCommandRequest,
  StartAutomationRequest,
  TrailEvent,
  VerifyRequest,
} from "../lib/ipc";
import { emit, mockIPC } from "../lib/ipc/testing";
import { FLEET, instance } from "./fixtures";
import { INSTANCE_METRICS } from "./instance-metrics-fixtures";
import { FakeJournal, JOURNAL_WRITES, NOT_JOURNAL } from "./journal-fixtures";

export const NOW = "2026-11-28T10:04:00Z";

export const ALARM: Alarm = {
  name: "web-prod-1-cpu-high",
  region: "ap-northeast-1",
  kind: "metric",
  description: "Average CPU above 80% for 2 minutes on i-0000000000000001",
  metric: {
    metric: {
      namespace: "AWS/EC2",
      metricName: "CPUUtilization",
      dimensions: [{ name: "InstanceId", value: "i-0000000000000001" }],
    },
    statistic: "Average",
    periodSeconds: 60,
    evaluationPeriods: 2,
    threshold: 80,
    comparison: "GreaterThanThreshold",
  },
  rule: null,
  instanceId: "i-0000000000000001",
  state: "ALARM",
  stateReason:
    "Threshold Crossed: 2 datapoint(s) [97.1, 96.4] were greater than the threshold (80.0).",
  stateUpdatedAt: "2026-11-28T09:37:00Z",
};

/** A composite alarm: a rule over other alarms, no metric of its own. */
export const COMPOSITE: Alarm = {
  name: "web-storefront-degraded",
  region: "ap-northeast-1",
  kind: "composite",
  description: "Any web instance hot or the load balancer erroring",
  metric: null,
  rule: 'ALARM("web-prod-1-cpu-high") OR ALARM("alb-5xx")',
  instanceId: null,
  state: "ALARM",
  stateReason: "alarm web-prod-1-cpu-high transitioned to ALARM",
  stateUpdatedAt: "2026-11-28T09:38:00Z",
};

/** The alarm went off, recovered and went off again: "since" is the last transition. */
export const HISTORY = [
  {
    timestamp: "2026-11-28T09:37:00Z",
    summary: "Alarm updated from OK to ALARM",
    newState: "ALARM",
  },
  { timestamp: "2026-11-28T09:20:00Z", summary: "Alarm updated from ALARM to OK", newState: "OK" },
  {
    timestamp: "2026-11-28T09:05:00Z",
    summary: "Alarm updated from OK to ALARM",
    newState: "ALARM",
  },
] as const;

export const INSIGHTS_ROWS = [
  ["2026-11-28 09:40:00.000", "ERROR upstream timed out"],
  ["2026-11-28 09:41:00.000", "ERROR connection refused"],
];

export function insightsProgress(status: InsightsStatus, rows: string[][]): InsightsProgress {
  return {
    queryId: "q-1",
    region: "ap-northeast-1",
    status,
    result: {
      columns: ["@timestamp", "@message"],
      rows,
      recordsScanned: 40_000,
      recordsMatched: rows.length,
      bytesScanned: 12_345_678,
    },
  };
}

export const TRAIL: TrailEvent[] = [
  {
    eventId: "e-1",
    eventTime: "2026-11-28T09:13:00Z",
    eventName: "SendCommand",
    eventSource: "ssm.amazonaws.com",
    username: "kenji",
    readOnly: false,
    resources: [{ resourceType: "AWS::EC2::Instance", resourceName: "i-0000000000000001" }],
    cloudTrailEvent: JSON.stringify({
      eventName: "SendCommand",
      userIdentity: { type: "IAMUser", userName: "kenji" },
      requestParameters: { documentName: "AWS-RunShellScript" },
    }),
  },
  {
    eventId: "e-2",
    eventTime: "2026-11-28T08:00:00Z",
    eventName: "StartSession",
    eventSource: "ssm.amazonaws.com",
    username: "alice",
    readOnly: false,
    resources: [],
    cloudTrailEvent: "{}",
  },
];

export const RUNBOOK: Runbook = {
  name: "AWSSupport-TroubleshootSSH",
  owner: "Amazon",
  documentVersion: "7",
  description: "Checks and fixes common SSH problems with EC2Rescue.",
  parameters: [
    {
      name: "InstanceId",
      kind: "String",
      description: "The instance",
      default: null,
      allowedValues: [],
      allowedPattern: "^[m]{0,1}i-[a-z0-9]{8,17}$",
      required: true,
    },
    {
      name: "Action",
      kind: "String",
      description: "CheckAll only reports; FixAll repairs",
      default: "CheckAll",
      allowedValues: ["CheckAll", "FixAll"],
      allowedPattern: null,
      required: false,
    },
    {
      name: "AllowOffline",
      kind: "Boolean",
      description: "Whether the instance may be stopped",
      default: "false",
      allowedValues: [],
      allowedPattern: null,
      required: false,
    },
    {
      name: "SubnetId",
      kind: "String",
      description: "Where the helper instance runs",
      default: "SelectedInstanceSubnet",
      allowedValues: [],
      allowedPattern: null,
      required: false,
    },
  ],
  stepCount: 4,
  steps: [
    { name: "assertInstanceIsLinux", action: "aws:assertAwsResourceProperty", effect: "reads" },
    { name: "assertInstanceIsManaged", action: "aws:assertAwsResourceProperty", effect: "reads" },
    { name: "installEC2Rescue", action: "aws:runCommand", effect: "mayChange" },
    { name: "runEC2RescueForOpenSSH", action: "aws:runCommand", effect: "mayChange" },
  ],
  canChangeResources: true,
};

/** Another runbook in the catalog, with an Integer parameter. */
export const RESTART: Runbook = {
  name: "AWS-RestartEC2Instance",
  owner: "Amazon",
  documentVersion: "1",
  description: "Restarts EC2 instances.",
  parameters: [
    {
      name: "InstanceId",
      kind: "StringList",
      description: "The instances",
      default: null,
      allowedValues: [],
      allowedPattern: null,
      required: true,
    },
    {
      name: "Retries",
      kind: "Integer",
      description: "How many times to retry",
      default: "1",
      allowedValues: [],
      allowedPattern: null,
      required: false,
    },
  ],
  stepCount: 2,
  steps: [
    { name: "stopInstances", action: "aws:changeInstanceState", effect: "changes" },
    { name: "startInstances", action: "aws:changeInstanceState", effect: "changes" },
  ],
  canChangeResources: true,
};

/** The catalog as listed: no parameters until described. */
const CATALOG = [RUNBOOK, RESTART].map((r) => ({ ...r, parameters: [] }));

function execution(status: AutomationExecution["status"], done: boolean): AutomationExecution {
  return {
    executionId: "exec-1",
    region: "ap-northeast-1",
    documentName: RUNBOOK.name,
    parameters: { InstanceId: ["i-0000000000000001"], Action: ["FixAll"] },
    status,
    startedAt: "2026-11-28T10:05:00Z",
    endedAt: done ? "2026-11-28T10:06:00Z" : null,
    executedBy: "learner",
    steps: [
      {
        stepName: "runEC2RescueFixAll",
        action: "aws:runCommand",
        status: done ? "Success" : "InProgress",
        startedAt: "2026-11-28T10:05:01Z",
        endedAt: done ? "2026-11-28T10:06:00Z" : null,
        outputs: {},
        failureMessage: null,
      },
    ],
    outputs: done ? { "runEC2RescueFixAll.Output": ["FixAll: no problems found"] } : {},
    failureMessage: null,
  };
}

function command(request: SendCommandRequest, done: boolean, stdout: string): CommandExecution {
  return {
    commandId: "cmd-1",
    region: request.region,
    documentName: request.documentName,
    commands: request.commands,
    comment: null,
    requestedAt: "2026-11-28T10:07:00Z",
    status: done ? (stdout === "inactive\n" ? "Failed" : "Success") : "InProgress",
    invocations: request.instanceIds.map((instanceId) => ({
      instanceId,
      status: done ? (stdout === "inactive\n" ? "Failed" : "Success") : "InProgress",
      responseCode: done ? (stdout === "inactive\n" ? 3 : 0) : null,
      stdout: done ? stdout : "",
      stderr: "",
      startedAt: "2026-11-28T10:07:01Z",
      endedAt: done ? "2026-11-28T10:07:03Z" : null,
    })),
  };
}

/** The checks `runbook_guide` answers for AWSSupport-TroubleshootSSH, as the backend's catalog. */
export const SSH_CHECKS: Probe[] = [
  { kind: "serviceActive", service: "sshd" },
  { kind: "serviceEnabled", service: "sshd" },
  { kind: "configTest", command: "sshd -t" },
  { kind: "fileMode", path: "/etc/ssh/sshd_config", owner: "root", maxMode: "644" },
  { kind: "portListening", port: 22 },
];

const PASSED: Record<string, [string, string, string]> = {
  serviceActive: ["sshd is active", "sshd は稼働中です", "active"],
  serviceEnabled: ["sshd is enabled", "sshd は有効です", "enabled"],
  configTest: ["sshd -t accepts the configuration", "sshd -t は設定を受け入れました", ""],
  fileMode: [
    "sshd_config is owned by root with mode 0600",
    "sshd_config の所有者は root、モードは 0600 です",
    "root 600",
  ],
  portListening: [
    "port 22 is listening",
    "ポート 22 で待ち受けています",
    "LISTEN 0 128 0.0.0.0:22",
  ],
};

/** A check's result: `passed` with the usual summary, or the verdict and summary given. */
export function result(
  probe: Probe,
  verdict: CheckResult["verdict"] = "passed",
  en?: string,
  evidence?: string,
): CheckResult {
  const [passedEn, passedJa, passedEvidence] = PASSED[probe.kind] ?? ["passed", "合格", ""];
  return {
    probe,
    verdict,
    summary: en ? { en, ja: `${en}（ja）` } : { en: passedEn, ja: passedJa },
    evidence: evidence ?? passedEvidence,
  };
}

/** Every SSH check passes. */
export const ALL_PASSED: CheckResult[] = SSH_CHECKS.map((p) => result(p));

/** The seed incident: sshd stayed stopped and FixAll left sshd_config at 0655. */
export const SEED_FAILED: CheckResult[] = SSH_CHECKS.map((p) =>
  p.kind === "serviceActive"
    ? result(p, "failed", "sshd is inactive", "inactive")
    : p.kind === "fileMode"
      ? result(p, "failed", "sshd_config mode 0655 is wider than 0644", "root 655")
      : result(p),
);

export interface Backend {
  calls: { cmd: string; args: Record<string, unknown> }[];
  journal: FakeJournal;
  /** Keep the next Logs Insights query running (one partial row) until `finishInsights`. */
  holdInsights: boolean;
  /** Ends a held query with `status` (all rows when Complete). */
  finishInsights: (status?: InsightsStatus) => void;
  /** What list_log_groups answers. */
  logGroups: LogGroup[];
  /**
   * What verify_instance answers, call after call (the last one repeats): the first is the
   * baseline for a runbook that can change resources.
   */
  verdicts: CheckResult[][];
  /** verify_instance answers nothing while set (an instance slow to answer). */
  holdVerification: boolean;
  /** Runbooks described as unable to change resources (whatever the catalog says). */
  readOnly: string[];
  /** How the runbook ends. */
  runbookEnds: AutomationExecution["status"];
  /** The user's own checks, by document, as save_own_checks keeps them. */
  ownChecks: Record<string, Probe[]>;
  /** What change_calendar answers (the region's calendars), and change_templates. */
  calendar: CalendarState | null;
  templates: string[];
  /** The account's Automation history, as automation_history answers it. */
  automationHistory: AutomationHistory;
  /** Whether refresh_prices was asked: estimates then come from the Price List. */
  pricesRefreshed: boolean;
}

export const LOG_GROUPS: LogGroup[] = [
  { name: "/storefront/app", region: "ap-northeast-1", storedBytes: 1000, retentionDays: 30 },
  {
    name: "/aws/ssm/AWS-RunShellScript",
    region: "ap-northeast-1",
    storedBytes: 10,
    retentionDays: null,
  },
];

type Sink<T> = { onmessage: (message: T) => void };

/** The practice fleet plus a second Linux web server and a Windows one. */
export const INCIDENT_FLEET = {
  ...FLEET,
  instances: [
    ...FLEET.instances,
    instance({ id: "i-0000000000000004", name: "web-prod-2" }),
    instance({
      id: "i-0000000000000005",
      name: "win-prod-1",
      platform: "windows",
      platformName: "Microsoft Windows Server 2022 Datacenter",
    }),
  ],
};

/**
 * Installs the mock; `fail` lists commands that reject; `stdout` is what commands print;
 * `journal` is the journal's store (pass the last backend's to play a restart).
 */
export function incidentBackend(
  fail: string[] = [],
  stdout = "Filesystem  Use%\n/dev/xvda1  41%\n",
  journal = new FakeJournal(),
): Backend {
  const backend: Backend = {
    calls: [],
    journal,
    holdInsights: false,
    finishInsights: () => {},
    logGroups: LOG_GROUPS,
    verdicts: [ALL_PASSED],
    runbookEnds: "Success",
    readOnly: [],
    holdVerification: false,
    ownChecks: {},
    calendar: null,
    templates: [],
    automationHistory: "unknown",
    pricesRefreshed: false,
  };
  let verifications = 0;
  let commandPolls = 0;
  let executionPolls = 0;
  let sent: SendCommandRequest | null = null;
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      backend.calls.push({ cmd, args: a });
      if (fail.includes(cmd))
        throw {
          code: "Unsupported",
          message: `${cmd} is not available for this account in this version`,
        };
      switch (cmd) {
        case "account_clock":
          return NOW;
        case "incident_cli":
          return `aws cli for ${(a.read as { kind: string }).kind}`;
        case "list_alarms":
          return (a.query as { region: string }).region === "ap-northeast-1"
            ? [ALARM, COMPOSITE, { ...ALARM, name: "web-prod-2-cpu-high", state: "OK" }]
            : [];
        case "alarm_history":
          return a.alarmName === ALARM.name ? HISTORY : [];
        case "get_metric_series":
          return {
            metric: ALARM.metric?.metric,
            statistic: "Average",
            unit: "Percent",
            points: [
              { timestamp: "2026-11-28T10:01:00Z", value: 12.5 },
              { timestamp: "2026-11-28T10:02:00Z", value: 96.4 },
              { timestamp: "2026-11-28T10:03:00Z", value: 97.1 },
            ],
          };
        case "instance_metrics":
          return INSTANCE_METRICS;
        case "list_fleet":
          return INCIDENT_FLEET;
        case "list_log_groups":
          return backend.logGroups;
        case "insights_templates":
          return [
            {
              id: "latest-errors",
              name: { en: "Latest errors", ja: "最新のエラー" },
              query: "fields @timestamp, @message | filter @message like /error/i",
            },
          ];
        case "run_logs_insights": {
          const query = a.query as InsightsQuery;
          if (query.query.includes("BAD"))
            throw {
              code: "InvalidInput",
              message: "Unexpected symbol found BAD at line 1 and position 1",
            };
          const progress = a.progress as Sink<InsightsProgress>;
          progress.onmessage(insightsProgress("Running", INSIGHTS_ROWS.slice(0, 1)));
          if (!backend.holdInsights) return insightsProgress("Complete", INSIGHTS_ROWS);
          return new Promise<InsightsProgress>((resolve) => {
            backend.finishInsights = (status = "Complete") =>
              resolve(
                insightsProgress(
                  status,
                  status === "Complete" ? INSIGHTS_ROWS : INSIGHTS_ROWS.slice(0, 1),
                ),
              );
          });
        }
        case "stop_logs_insights":
          backend.finishInsights("Cancelled");
          return null;
        case "lookup_trail_events":
          return TRAIL;
        case "list_runbooks":
          return CATALOG;
        case "describe_runbook": {
          const found = [RUNBOOK, RESTART].find((r) => r.name === a.name);
          return found && backend.readOnly.includes(found.name)
            ? { ...found, canChangeResources: false }
            : found;
        }
        case "list_automation_executions":
          return [execution("Success", true)];
        case "list_commands":
          return [
            command(
              {
                region: "ap-northeast-1",
                documentName: "AWS-RunShellScript",
                instanceIds: ["i-0000000000000001"],
                commands: ["uptime"],
                comment: null,
                timeoutSeconds: null,
              },
              true,
              "up 3 days\n",
            ),
          ];
        case "preview_start_automation": {
          const request = a.request as StartAutomationRequest;
          return {
            apiCall: "ssm:StartAutomationExecution",
            cli: `aws ssm start-automation-execution --document-name ${request.documentName}`,
            summary: {
              en: `Runs the Automation runbook ${request.documentName}.`,
              ja: `ランブック ${request.documentName} を実行します。`,
            },
          };
        }
        case "start_automation":
        case "submit_change_request":
          return "exec-1";
        case "change_calendar":
          return backend.calendar;
        case "automation_history":
          return backend.automationHistory;
        case "set_automation_history":
          backend.automationHistory = a.history as AutomationHistory;
          return null;
        case "estimate_runbook": {
          const estimate = runbookEstimate(
            a.steps as number,
            backend.automationHistory,
            a.account as string,
          );
          return backend.pricesRefreshed
            ? {
                ...estimate,
                basis: {
                  ...estimate.basis,
                  origin: {
                    kind: "priceList",
                    publication: "2026-10-04T20:27:30Z",
                    fetchedAt: "2026-11-28T10:04:00Z",
                  },
                  asOf: "2026-10-04",
                },
              }
            : estimate;
        }
        case "estimate_execution": {
          // The steps the execution ran, as the backend counts them.
          const execution = a.execution as AutomationExecution;
          const ran = execution.steps.filter((s) => s.startedAt !== null).length;
          return runbookEstimate(ran, backend.automationHistory, a.account as string);
        }
        case "refresh_prices":
          backend.pricesRefreshed = true;
          return {
            origin: {
              kind: "priceList",
              publication: "2026-10-04T20:27:30Z",
              fetchedAt: "2026-11-28T10:04:00Z",
            },
            found: 3,
            missing: ["logsIngestionGb"],
          };
        case "estimate_run_command":
          return a.account === "practice"
            ? practiceEstimate()
            : {
                ...practiceEstimate(),
                lines: [{ en: "Run Command is free on EC2 instances", ja: "EC2 では無料です" }],
              };
        case "estimate_logs_insights":
          return insightsEstimate(a.bytes as number, a.scanned as boolean, a.account as string);
        case "ops_item_preview": {
          const incident = journal.handle("journal_incident", {
            incidentId: a.incidentId,
          }) as Incident;
          return {
            request: {
              region: a.region,
              title: incident.title,
              description: `${incident.summary}\n\nStatus: ${incident.status}.`,
              severity: incident.severity?.slice(3) ?? null,
              operationalData: { "unyo:account": incident.account },
              resources: incident.affected.map(
                (r) => `arn:aws:ec2:${a.region}:123456789012:instance/${r}`,
              ),
            },
            cli: `aws ssm create-ops-item --region ${a.region} --source Unyo`,
            estimate: {
              ...practiceEstimate(),
              free: false,
              total: "0.00297",
              lines: [
                {
                  en: "1 OpsItem × $0.00297 = $0.00297",
                  ja: "1 件の OpsItem × $0.00297 = $0.00297",
                },
              ],
            },
          };
        }
        case "mirror_to_ops_center": {
          journal.handle("journal_record", {
            entry: {
              account: a.account,
              region: a.region,
              kind: "change",
              title: "Mirrored to OpsCenter",
              apiCall: "ssm:CreateOpsItem",
              cli: "aws ssm create-ops-item",
              outcome: "success",
              result: "OpsItem oi-0123456789ab",
              at: NOW,
            },
          });
          void emit("journal-changed", { incidentId: null });
          return "oi-0123456789ab";
        }
        case "change_templates":
          return backend.templates;
        case "preview_change_request": {
          const request = a.request as ChangeRequest;
          return {
            apiCall: "ssm:StartChangeRequestExecution",
            cli: `aws ssm start-change-request-execution --document-name ${request.template}`,
            summary: {
              en: `Submits ${request.runbook.documentName} as a change request from ${request.template}.`,
              ja: `${request.runbook.documentName} を変更リクエストとして送信します。`,
            },
          };
        }
        case "get_automation_execution":
          executionPolls += 1;
          return executionPolls >= 2
            ? execution(backend.runbookEnds, true)
            : execution("InProgress", false);
        case "preview_send_command": {
          const request = a.request as SendCommandRequest;
          return {
            apiCall: "ssm:SendCommand",
            cli: `aws ssm send-command --document-name ${request.documentName} --targets Key=InstanceIds,Values=${request.instanceIds.join(",")}`,
            summary: {
              en: `Runs ${request.documentName} as root on ${request.instanceIds.length} instance(s).`,
              ja: "root として実行します。",
            },
          };
        }
        case "send_command":
          sent = a.request as SendCommandRequest;
          commandPolls = 0;
          return "cmd-1";
        case "runbook_guide":
          return {
            runbook: a.runbook,
            readOnly: false,
            changes: {
              en: "FixAll rewrites sshd's configuration.",
              ja: "FixAll は sshd の設定を書き換えます。",
            },
            checks: a.runbook === RUNBOOK.name ? SSH_CHECKS : [],
            ownChecks: backend.ownChecks[a.runbook as string] ?? [],
          };
        case "save_own_checks":
          backend.ownChecks[a.document as string] = a.probes as Probe[];
          return a.probes;
        case "check_sets":
          return [{ name: "sshd", probes: SSH_CHECKS }];
        case "confirm_change": {
          const intent = a.intent as ChangeIntent;
          const body = `Why: ${intent.why}\nRisk: ${intent.risk}\nRollback: ${intent.rollback}\nConfirmed by: tester`;
          return {
            record: { intent, confirmedBy: "tester" },
            title: { en: `Change record: ${intent.what}`, ja: `変更記録: ${intent.what}` },
            body: { en: body, ja: body },
          };
        }
        case "preview_verification": {
          const request = a.request as VerifyRequest;
          return {
            apiCall: "ssm:SendCommand",
            cli: `aws ssm send-command --document-name AWS-RunShellScript --instance-ids ${request.instanceId}`,
            summary: {
              en: `Runs ${request.probes.length} read-only checks as root on ${request.instanceId}.`,
              ja: `${request.instanceId} で読み取り専用のチェックを ${request.probes.length} 件 root として実行します。`,
            },
          };
        }
        case "verify_instance": {
          if (backend.holdVerification) return new Promise(() => {});
          const answer =
            backend.verdicts[Math.min(verifications, backend.verdicts.length - 1)] ?? ALL_PASSED;
          verifications += 1;
          return answer;
        }
        case "get_command":
          commandPolls += 1;
          return command(sent as SendCommandRequest, commandPolls >= 2, stdout);
        default: {
          const answer = journal.handle(cmd, a);
          if (answer === NOT_JOURNAL) throw new Error(`unexpected command ${cmd}`);
          // As the app does: every window hears that the journal changed.
          if (JOURNAL_WRITES.has(cmd)) void emit("journal-changed", { incidentId: null });
          return answer;
        }
      }
    },
    { shouldMockEvents: true },
  );
  return backend;
}

const BASIS = { region: "us-east-1", origin: { kind: "embedded" as const }, asOf: "2025-06-26" };

/** What estimate_runbook answers: free on the practice account, else steps × $0.002. */
export function runbookEstimate(
  steps: number,
  history: AutomationHistory,
  account: string,
): Estimate {
  if (account === "practice") return practiceEstimate();
  const total = (steps * 0.002).toFixed(3);
  return {
    total,
    lines: [
      { en: `${steps} steps × $0.002 = $${total}`, ja: `${steps} ステップ × $0.002 = $${total}` },
    ],
    freeTier:
      history === "newSince"
        ? { en: "your free tier: none", ja: "無料利用枠: なし" }
        : { en: "your free tier: not known", ja: "無料利用枠: 不明" },
    fitsFreeTier: history === "newSince" ? false : null,
    free: false,
    upperBound: history === "unknown",
    unconfirmed: false,
    unknown: null,
    basis: BASIS,
  };
}

function practiceEstimate(): Estimate {
  return {
    total: "0",
    lines: [
      {
        en: "the practice account is simulated: nothing is billed",
        ja: "練習用アカウントは課金されません",
      },
    ],
    freeTier: null,
    fitsFreeTier: null,
    free: true,
    upperBound: false,
    unconfirmed: false,
    unknown: null,
    basis: { ...BASIS, region: "ap-northeast-1", asOf: null },
  };
}

/** What estimate_logs_insights answers: $0.005 per GB (2^30 bytes). */
export function insightsEstimate(bytes: number, scanned: boolean, account: string): Estimate {
  if (account === "practice") return practiceEstimate();
  const total = String((bytes / 2 ** 30) * 0.005);
  return {
    total,
    lines: [{ en: `${bytes / 2 ** 30} GB scanned × $0.005 = $${total}`, ja: "" }],
    freeTier: null,
    fitsFreeTier: null,
    free: false,
    upperBound: !scanned,
    unconfirmed: false,
    unknown: null,
    basis: BASIS,
  };
}
