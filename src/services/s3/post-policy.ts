import { createHmac, timingSafeEqual } from "node:crypto";
import { s3Error } from "./errors.js";

// The policy of a browser form upload (S3 API reference, "Creating a POST policy"
// and "Browser-based uploads using POST"): a base64 JSON document with an
// expiration and conditions that every form field must satisfy; its signature is
// the form's x-amz-signature (SigV4) or signature (SigV2). As with chunk
// signatures (chunk-signatures.ts), the signature is checked when Terrarium issued
// the access key and so knows its secret, and not otherwise.

/** Form fields by lower-cased name (x-amz-meta-* keep their case after the prefix). */
export type Fields = Map<string, string>;

/** Fields no condition needs to name (POST policy reference, "Conditions"). */
const EXEMPT = new Set(["policy", "x-amz-signature", "signature", "awsaccesskeyid", "file"]);

const denied = (why: string) => s3Error("AccessDenied", `Invalid according to Policy: ${why}`);
const invalidPolicy = (why: string) => s3Error("InvalidPolicyDocument", `Invalid Policy: ${why}`);

export interface PolicyLimits {
  minSize?: number;
  maxSize?: number;
}

/** Checks the policy against the form (and the bucket); answers its content-length-range. */
export function checkPolicy(policyBase64: string, fields: Fields, bucket: string, now: number): PolicyLimits {
  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyBase64, "base64").toString("utf8"));
  } catch {
    throw invalidPolicy("Invalid JSON.");
  }
  if (typeof policy !== "object" || policy === null) throw invalidPolicy("Invalid JSON.");
  if (typeof policy.expiration !== "string") throw invalidPolicy("Policy missing expiration.");
  const expiration = Date.parse(policy.expiration);
  if (Number.isNaN(expiration)) throw invalidPolicy(`Invalid 'expiration' value: '${policy.expiration}'`);
  if (expiration < now) throw denied("Policy expired.");
  if (!Array.isArray(policy.conditions)) throw invalidPolicy("Policy missing conditions.");
  const value = (name: string) => (name === "bucket" ? bucket : fields.get(name));
  const covered = new Set<string>();
  const limits: PolicyLimits = {};
  for (const condition of policy.conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [op, ...args] = condition as unknown[];
      const operator = String(op).toLowerCase();
      if (operator === "content-length-range") {
        limits.minSize = Number(args[0]);
        limits.maxSize = Number(args[1]);
        continue;
      }
      const name = String(args[0] ?? "").replace(/^\$/, "").toLowerCase();
      const expected = String(args[1] ?? "");
      covered.add(name);
      const actual = value(name) ?? "";
      const holds = operator === "eq" ? actual === expected : operator === "starts-with" ? actual.startsWith(expected) : false;
      if (!holds) throw denied(`Policy Condition failed: ${JSON.stringify(condition).replace(/","/g, '", "')}`);
    } else if (condition && typeof condition === "object") {
      for (const [rawName, expected] of Object.entries(condition as Record<string, unknown>)) {
        const name = rawName.toLowerCase();
        covered.add(name);
        if (value(name) !== String(expected)) throw denied(`Policy Condition failed: ["eq", "$${name}", ${JSON.stringify(String(expected))}]`);
      }
    } else {
      throw invalidPolicy("Invalid Simple-Condition: value must be a string.");
    }
  }
  const extra = [...fields.keys()].filter((name) => !EXEMPT.has(name) && !name.startsWith("x-ignore-") && !covered.has(name));
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(", ")}`);
  return limits;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The access key id the form was signed with (SigV4 credential or SigV2 AWSAccessKeyId). */
export function accessKeyOf(fields: Fields): string | undefined {
  return fields.get("x-amz-credential")?.split("/")[0] ?? fields.get("awsaccesskeyid");
}

/** Verifies the policy's signature when the key's secret is known. */
export function checkPolicySignature(policyBase64: string, fields: Fields, secretOf: (accessKeyId: string) => string | undefined): void {
  const credential = fields.get("x-amz-credential");
  const signatureDoesNotMatch = (accessKeyId: string) =>
    s3Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", {
      AWSAccessKeyId: accessKeyId,
      StringToSign: policyBase64,
    });
  if (credential !== undefined) {
    const [accessKeyId, date, region, service] = credential.split("/");
    const secret = secretOf(accessKeyId);
    if (secret === undefined) return;
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date ?? ""), region ?? ""), service ?? ""), "aws4_request");
    if (!same(hmac(key, policyBase64).toString("hex"), fields.get("x-amz-signature") ?? "")) throw signatureDoesNotMatch(accessKeyId);
    return;
  }
  const accessKeyId = fields.get("awsaccesskeyid");
  const secret = accessKeyId === undefined ? undefined : secretOf(accessKeyId);
  if (secret === undefined) return;
  const expected = createHmac("sha1", secret).update(policyBase64).digest("base64");
  if (!same(expected, fields.get("signature") ?? "")) throw signatureDoesNotMatch(accessKeyId!);
}
