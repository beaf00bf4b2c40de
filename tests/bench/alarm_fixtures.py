"""The alarms benchmark's account on the moto server: PER_REGION metric alarms in each REGION.

Usage: python alarm_fixtures.py --endpoint http://127.0.0.1:PORT --per-region 250 REGION...
Each alarm watches AWS/EC2 CPUUtilization of one (made-up) instance, with a name, threshold
and evaluation period that vary as a real account's do; every tenth is set to ALARM with
SetAlarmState, so the listing has firing alarms to sort first. Runs in the emulator's
virtualenv (moto depends on boto3).
"""

import argparse

import boto3

SERVICES = ["web", "api", "batch", "db", "cache", "queue", "auth", "search"]
TIERS = ["prod", "staging", "dev"]
THRESHOLDS = [50.0, 70.0, 80.0, 90.0, 95.0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--per-region", type=int, default=250)
    parser.add_argument("regions", nargs="+")
    args = parser.parse_args()
    for region_index, region in enumerate(args.regions):
        cloudwatch = boto3.client(
            "cloudwatch",
            region_name=region,
            endpoint_url=args.endpoint,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        firing = 0
        for i in range(args.per_region):
            service = SERVICES[i % len(SERVICES)]
            tier = TIERS[(i // len(SERVICES)) % len(TIERS)]
            name = f"{tier}-{service}-cpu-high-{i:03}"
            instance = f"i-{region_index:02x}{i:015x}"
            cloudwatch.put_metric_alarm(
                AlarmName=name,
                AlarmDescription=f"CPU of {service} ({tier}) in {region}",
                Namespace="AWS/EC2",
                MetricName="CPUUtilization",
                Dimensions=[{"Name": "InstanceId", "Value": instance}],
                Statistic="Average",
                Period=60 if tier == "prod" else 300,
                EvaluationPeriods=1 + i % 5,
                Threshold=THRESHOLDS[i % len(THRESHOLDS)],
                ComparisonOperator="GreaterThanThreshold",
                TreatMissingData="missing",
            )
            if i % 10 == 0:
                cloudwatch.set_alarm_state(
                    AlarmName=name,
                    StateValue="ALARM",
                    StateReason=f"Threshold crossed: 1 datapoint above {THRESHOLDS[i % len(THRESHOLDS)]}",
                )
                firing += 1
        print(f"{region}: {args.per_region} alarms, {firing} in ALARM", flush=True)


if __name__ == "__main__":
    main()
