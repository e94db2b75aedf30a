// Whether an event bus's resource policy lets another account send it events
// ("Sending and receiving events between AWS accounts"): an Allow statement for
// events:PutEvents (or events:*, or *) on the bus, whose Principal is "*", the sending
// account (its id or root ARN), or the target's role, and no Deny statement that
// matches. A statement with a Condition is not taken as allowing: its keys
// (aws:PrincipalOrgID...) name things Terrarium cannot evaluate yet.

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(value);
}

function principalMatches(principal: unknown, account: string, roleArn: string | undefined): boolean {
  if (principal === "*") return true;
  const aws = list((principal as { AWS?: unknown } | undefined)?.AWS);
  return aws.some((p) => p === "*" || p === account || p === `arn:aws:iam::${account}:root` || (roleArn !== undefined && p === roleArn));
}

export function policyAllowsPutEvents(policy: string | undefined, busArn: string, sourceAccount: string, roleArn: string | undefined): boolean {
  if (!policy) return false;
  let statements: Statement[];
  try {
    const parsed = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  } catch {
    return false;
  }
  const applies = (s: Statement) =>
    principalMatches(s.Principal, sourceAccount, roleArn) &&
    list(s.Action).some((a) => wildcard(a, "events:PutEvents")) &&
    (s.Resource === undefined || list(s.Resource).some((r) => wildcard(r, busArn)));
  if (statements.some((s) => s.Effect === "Deny" && applies(s))) return false;
  return statements.some((s) => s.Effect === "Allow" && s.Condition === undefined && applies(s));
}
