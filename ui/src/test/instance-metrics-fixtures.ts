/** What `instance_metrics` answers for the firing alarm's instance in the Incident tests. */
import type { InstanceMetric, MetricId } from "../lib/ipc";

const ec2 = (metricName: string): MetricId => ({
  namespace: "AWS/EC2",
  metricName,
  dimensions: [{ name: "InstanceId", value: "i-0000000000000001" }],
});
const at = (minute: number) => `2026-11-28T10:0${minute}:00Z`;

/**
 * The alarm's instance: hot CPU, status checks passing (zeros, which must still chart), an
 * empty series, traffic in bytes, memory that could not be read and one disk.
 */
export const INSTANCE_METRICS: InstanceMetric[] = [
  {
    metric: ec2("CPUUtilization"),
    series: {
      metric: ec2("CPUUtilization"),
      statistic: "Average",
      unit: "Percent",
      points: [
        { timestamp: at(1), value: 12.5 },
        { timestamp: at(2), value: 96.4 },
        { timestamp: at(3), value: 97.1 },
      ],
    },
    error: null,
  },
  {
    metric: ec2("StatusCheckFailed"),
    series: {
      metric: ec2("StatusCheckFailed"),
      statistic: "Maximum",
      unit: "Count",
      points: [
        { timestamp: at(2), value: 0 },
        { timestamp: at(3), value: 0 },
      ],
    },
    error: null,
  },
  {
    metric: ec2("StatusCheckFailed_System"),
    series: {
      metric: ec2("StatusCheckFailed_System"),
      statistic: "Maximum",
      unit: "Count",
      points: [],
    },
    error: null,
  },
  {
    metric: ec2("NetworkIn"),
    series: {
      metric: ec2("NetworkIn"),
      statistic: "Sum",
      unit: "Bytes",
      points: [{ timestamp: at(3), value: 123456789 }],
    },
    error: null,
  },
  {
    metric: {
      namespace: "CWAgent",
      metricName: "mem_used_percent",
      dimensions: [{ name: "InstanceId", value: "i-0000000000000001" }],
    },
    series: null,
    error: {
      code: "AccessDenied",
      message: "not authorized to perform: cloudwatch:GetMetricData",
    },
  },
  {
    metric: {
      namespace: "CWAgent",
      metricName: "disk_used_percent",
      dimensions: [
        { name: "InstanceId", value: "i-0000000000000001" },
        { name: "path", value: "/" },
      ],
    },
    series: {
      metric: {
        namespace: "CWAgent",
        metricName: "disk_used_percent",
        dimensions: [
          { name: "InstanceId", value: "i-0000000000000001" },
          { name: "path", value: "/" },
        ],
      },
      statistic: "Average",
      unit: "Percent",
      points: [{ timestamp: at(3), value: 41 }],
    },
    error: null,
  },
];
