/**
 * An incident's worth of AWS state in the moto emulator, made through the services' own wire
 * protocols as the AWS CLI would make it: an instance, a CPU alarm on it put in ALARM beside a
 * calm one, the application's log group with errors in it, and an Automation runbook of the
 * account's own. (moto has no PutCompositeAlarm; composite alarms are tested with mocks.) moto takes the region from the credential scope and does not
 * check signatures.
 */
import assert from "node:assert/strict";

const KEY = "AKIAIOSFODNN7EXAMPLE";

function authorization(region, service) {
  return `AWS4-HMAC-SHA256 Credential=${KEY}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/** A Query-protocol call (EC2, CloudWatch's awsQuery); returns the XML. */
async function query(endpoint, region, service, params) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: authorization(region, service),
    },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `${service} ${params.Action}: ${text}`);
  return text;
}

/** A JSON 1.1 call (CloudWatch Logs, Systems Manager); returns the parsed answer. */
async function json(endpoint, region, service, target, body) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": target,
      authorization: authorization(region, service),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `${target}: ${text}`);
  return text ? JSON.parse(text) : {};
}

/** Starts one tagged instance and returns its id. */
async function runInstance(endpoint, region, name) {
  const xml = await query(endpoint, region, "ec2", {
    Action: "RunInstances",
    Version: "2016-11-15",
    ImageId: "ami-12c6146b",
    InstanceType: "t3.micro",
    MinCount: "1",
    MaxCount: "1",
    "TagSpecification.1.ResourceType": "instance",
    "TagSpecification.1.Tag.1.Key": "Name",
    "TagSpecification.1.Tag.1.Value": name,
  });
  const id = xml.match(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/)?.[1];
  assert.ok(id, xml);
  return id;
}

/** The alarms: a CPU alarm on the instance, in ALARM, and a status check alarm in OK. */
async function alarms(endpoint, region, instanceId) {
  const cloudwatch = (params) =>
    query(endpoint, region, "monitoring", { Version: "2010-08-01", ...params });
  const now = Date.now();
  for (let minute = 30; minute >= 0; minute -= 1) {
    await cloudwatch({
      Action: "PutMetricData",
      Namespace: "AWS/EC2",
      "MetricData.member.1.MetricName": "CPUUtilization",
      "MetricData.member.1.Dimensions.member.1.Name": "InstanceId",
      "MetricData.member.1.Dimensions.member.1.Value": instanceId,
      "MetricData.member.1.Timestamp": new Date(now - minute * 60_000).toISOString(),
      "MetricData.member.1.Value": String(minute < 10 ? 97 : 20),
      "MetricData.member.1.Unit": "Percent",
    });
  }
  await cloudwatch({
    Action: "PutMetricAlarm",
    AlarmName: "api-1-cpu-high",
    AlarmDescription: "CPU of api-1 above 80% for 5 minutes",
    Namespace: "AWS/EC2",
    MetricName: "CPUUtilization",
    "Dimensions.member.1.Name": "InstanceId",
    "Dimensions.member.1.Value": instanceId,
    Statistic: "Average",
    Period: "60",
    EvaluationPeriods: "5",
    Threshold: "80",
    ComparisonOperator: "GreaterThanThreshold",
  });
  await cloudwatch({
    Action: "SetAlarmState",
    AlarmName: "api-1-cpu-high",
    StateValue: "ALARM",
    StateReason: "Threshold Crossed: 5 datapoints [97.0, 97.0, 97.0, 97.0, 97.0] were greater than the threshold (80.0).",
  });
  // A calm alarm beside it, so "in alarm first" has something to order.
  await cloudwatch({
    Action: "PutMetricAlarm",
    AlarmName: "api-1-status-check",
    Namespace: "AWS/EC2",
    MetricName: "StatusCheckFailed",
    "Dimensions.member.1.Name": "InstanceId",
    "Dimensions.member.1.Value": instanceId,
    Statistic: "Maximum",
    Period: "60",
    EvaluationPeriods: "2",
    Threshold: "1",
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
  });
}

/** The application's log group, with the errors an operator looks for. */
async function logs(endpoint, region) {
  const call = (op, body) => json(endpoint, region, "logs", `Logs_20140328.${op}`, body);
  await call("CreateLogGroup", { logGroupName: "/storefront/api" });
  await call("CreateLogStream", { logGroupName: "/storefront/api", logStreamName: "api-1" });
  const now = Date.now();
  const messages = [
    "GET /products 200 12ms",
    "ERROR upstream connect error: connection refused (payments:8443)",
    "GET /cart 200 9ms",
    "ERROR upstream connect error: connection refused (payments:8443)",
  ];
  await call("PutLogEvents", {
    logGroupName: "/storefront/api",
    logStreamName: "api-1",
    logEvents: messages.map((message, i) => ({
      timestamp: now - (messages.length - i) * 30_000,
      message,
    })),
  });
}

/** A runbook of the account's own, whose form Unyo builds from its parameters. */
async function runbook(endpoint, region) {
  const content = {
    schemaVersion: "0.3",
    description: "Restarts one service on an instance and reports its state.",
    parameters: {
      InstanceId: { type: "String", description: "(Required) The instance." },
      ServiceName: {
        type: "String",
        description: "The service to restart.",
        default: "nginx",
        allowedValues: ["nginx", "sshd", "storefront-api"],
      },
      DryRun: { type: "Boolean", description: "Only report what would restart.", default: true },
    },
    mainSteps: [
      {
        name: "restart",
        action: "aws:runCommand",
        inputs: {
          DocumentName: "AWS-RunShellScript",
          InstanceIds: ["{{ InstanceId }}"],
          Parameters: { commands: ["systemctl restart {{ ServiceName }}"] },
        },
      },
    ],
  };
  await json(endpoint, region, "ssm", "AmazonSSM.CreateDocument", {
    Name: "Storefront-RestartService",
    DocumentType: "Automation",
    DocumentFormat: "JSON",
    Content: JSON.stringify(content),
  });
}

/** Everything above in `region`; returns the instance's id. */
export async function incidentFixtures(endpoint, region) {
  const instanceId = await runInstance(endpoint, region, "api-1");
  await alarms(endpoint, region, instanceId);
  await logs(endpoint, region);
  await runbook(endpoint, region);
  return instanceId;
}
