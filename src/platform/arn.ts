// ARNs: arn:partition:service:region:account-id:resource

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function formatArn(arn: Omit<Arn, "partition"> & { partition?: string }): string {
  return `arn:${arn.partition ?? "aws"}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource: parts.slice(5).join(":"),
  };
}

/** An SQS queue's URL and scope from its ARN, for deliveries through ctx.invoke. The
 *  host names the region (sqs.<region>.localhost), so SQS finds the queue in its own
 *  account and region whatever the caller's. */
export function sqsQueueOfArn(arn: string): { url: string; account: string; region: string; name: string } | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== "sqs" || !parsed.region || !/^\d{12}$/.test(parsed.account) || !parsed.resource) return undefined;
  const { account, region, resource: name } = parsed;
  return { url: `http://sqs.${region}.localhost/${account}/${name}`, account, region, name };
}
