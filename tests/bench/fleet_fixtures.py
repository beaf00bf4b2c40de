"""The fleet benchmark's account on the moto server: COUNT instances spread evenly over REGIONS.

Usage: python fleet_fixtures.py --endpoint http://127.0.0.1:PORT --count 5000 REGION...
Instances are started with RunInstances in batches; each batch has its own Name tag (and an
Env tag), which gives the listing realistic tags without a CreateTags call per instance.
Runs in the emulator's virtualenv (moto depends on boto3).
"""

import argparse

import boto3

BATCH = 250


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("regions", nargs="+")
    args = parser.parse_args()
    for index, region in enumerate(args.regions):
        # The first regions take the remainder, so the total is exactly --count.
        share = args.count // len(args.regions) + (index < args.count % len(args.regions))
        ec2 = boto3.client(
            "ec2",
            region_name=region,
            endpoint_url=args.endpoint,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        image = ec2.describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"]
        started, batch = 0, 0
        while started < share:
            size = min(BATCH, share - started)
            ec2.run_instances(
                ImageId=image,
                InstanceType="t3.micro",
                MinCount=size,
                MaxCount=size,
                TagSpecifications=[
                    {
                        "ResourceType": "instance",
                        "Tags": [
                            {"Key": "Name", "Value": f"bench-{region}-{batch:03}"},
                            {"Key": "Env", "Value": "bench"},
                        ],
                    }
                ],
            )
            started += size
            batch += 1
        print(f"{region}: {started} instances", flush=True)


if __name__ == "__main__":
    main()
