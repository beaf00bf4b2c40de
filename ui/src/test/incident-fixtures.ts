/**
 * A practice-like backend for the Incident screen's tests: one alarm firing in Tokyo, log
 * groups, CloudTrail events, a runbook that succeeds over two polls, and Run Command that
 * finishes on the second poll, and the incident journal over memory. `fail` makes chosen
 * commands reject, as a failing panel would.
 */
import type {
  Alarm,
  AutomationExecution,
  CommandExecution,
  Runbook,
  SendCommandRequest,
  StartAutomationRequest,
  TrailEvent,
} from "../lib/ipc";
import { mockIPC } from "../lib/ipc/testing";
import { FLEET, instance } from "./fixtures";
import { FakeJournal, NOT_JOURNAL } from "./journal-fixtures";

export const NOW = "2026-11-28T10:04:00Z";

export const ALARM: Alarm = {
  name: "web-prod-1-cpu-high",
  region: "ap-northeast-1",
  description: "Average CPU above 80% for 2 minutes on i-0000000000000001",
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
  state: "ALARM",
  stateReason:
    "Threshold Crossed: 2 datapoint(s) [97.1, 96.4] were greater than the threshold (80.0).",
  stateUpdatedAt: "2026-11-28T09:37:00Z",
};

export const TRAIL: TrailEvent[] = [
  {
    eventId: "e-1",
    eventTime: "2026-11-28T09:13:00Z",
    eventName: "SendCommand",
    eventSource: "ssm.amazonaws.com",
    username: "kenji",
    readOnly: false,
    resources: [{ resourceType: "AWS::EC2::Instance", resourceName: "i-0000000000000001" }],
    cloudTrailEvent: "{}",
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
      description: "The instance",
      default: null,
      allowedValues: [],
      required: true,
    },
    {
      name: "Action",
      description: "CheckAll only reports; FixAll repairs",
      default: "CheckAll",
      allowedValues: ["CheckAll", "FixAll"],
      required: false,
    },
  ],
  stepCount: 4,
  canChangeResources: true,
};

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

export interface Backend {
  calls: { cmd: string; args: Record<string, unknown> }[];
  journal: FakeJournal;
}

/**
 * Installs the mock; `fail` lists commands that reject; `stdout` is what commands print;
 * `journal` is the journal's store (pass the last backend's to play a restart).
 */
export function incidentBackend(
  fail: string[] = [],
  stdout = "Filesystem  Use%\n/dev/xvda1  41%\n",
  journal = new FakeJournal(),
): Backend {
  const backend: Backend = { calls: [], journal };
  let commandPolls = 0;
  let executionPolls = 0;
  let sent: SendCommandRequest | null = null;
  mockIPC((cmd, args) => {
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
          ? [ALARM, { ...ALARM, name: "web-prod-2-cpu-high", state: "OK" }]
          : [];
      case "get_metric_series":
        return {
          metric: ALARM.metric,
          statistic: "Average",
          unit: "Percent",
          points: [
            { timestamp: "2026-11-28T10:01:00Z", value: 12.5 },
            { timestamp: "2026-11-28T10:02:00Z", value: 96.4 },
            { timestamp: "2026-11-28T10:03:00Z", value: 97.1 },
          ],
        };
      case "list_fleet":
        return {
          ...FLEET,
          instances: [
            ...FLEET.instances,
            instance({ id: "i-0000000000000004", name: "web-prod-2" }),
          ],
        };
      case "list_log_groups":
        return [
          {
            name: "/storefront/app",
            region: "ap-northeast-1",
            storedBytes: 1000,
            retentionDays: 30,
          },
          {
            name: "/aws/ssm/AWS-RunShellScript",
            region: "ap-northeast-1",
            storedBytes: 10,
            retentionDays: null,
          },
        ];
      case "insights_templates":
        return [
          {
            id: "latest-errors",
            name: { en: "Latest errors", ja: "最新のエラー" },
            query: "fields @timestamp, @message | filter @message like /error/i",
          },
        ];
      case "run_logs_insights":
        return {
          columns: ["@timestamp", "@message"],
          rows: [["2026-11-28 09:40:00.000", "ERROR upstream timed out"]],
          recordsScanned: 40,
          recordsMatched: 1,
        };
      case "lookup_trail_events":
        return TRAIL;
      case "list_runbooks":
        return [RUNBOOK];
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
        return "exec-1";
      case "get_automation_execution":
        executionPolls += 1;
        return executionPolls >= 2 ? execution("Success", true) : execution("InProgress", false);
      case "preview_send_command": {
        const request = a.request as SendCommandRequest;
        return {
          apiCall: "ssm:SendCommand",
          cli: `aws ssm send-command --document-name AWS-RunShellScript --targets Key=InstanceIds,Values=${request.instanceIds.join(",")}`,
          summary: {
            en: `Runs AWS-RunShellScript as root on ${request.instanceIds.length} instance(s).`,
            ja: "root として実行します。",
          },
        };
      }
      case "send_command":
        sent = a.request as SendCommandRequest;
        commandPolls = 0;
        return "cmd-1";
      case "get_command":
        commandPolls += 1;
        return command(sent as SendCommandRequest, commandPolls >= 2, stdout);
      default: {
        const answer = journal.handle(cmd, a);
        if (answer === NOT_JOURNAL) throw new Error(`unexpected command ${cmd}`);
        return answer;
      }
    }
  });
  return backend;
}
