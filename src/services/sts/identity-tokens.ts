import { createHash } from "node:crypto";

// What STS reads from the identity tokens federated callers present. Terrarium
// trusts every identity provider: it reads tokens without verifying signatures.

/** A JWT's claims, or undefined when the token is not a JWT. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface SamlAssertion {
  issuer: string;
  subject: string;
  /** NameID Format without urn:oasis:names:tc:SAML:2.0:nameid-format: (AssumeRoleWithSAML API reference, SubjectType). */
  subjectType?: string;
  /** SubjectConfirmationData Recipient, answered as Audience. */
  recipient?: string;
  /** The https://aws.amazon.com/SAML/Attributes/... attributes, by short name. */
  attributes: Record<string, string[]>;
}

const text = (xml: string, element: string) =>
  new RegExp(`<(?:\\w+:)?${element}\\b[^>]*>\\s*([^<]*?)\\s*</(?:\\w+:)?${element}>`).exec(xml)?.[1];

/** A base64 SAML response or assertion, or undefined when it is not one. */
export function samlAssertion(base64: string): SamlAssertion | undefined {
  const xml = Buffer.from(base64, "base64").toString("utf8");
  if (!/<(?:\w+:)?Assertion\b/.test(xml)) return undefined;
  // The assertion's own Issuer (the response may carry one too, before it).
  const assertion = xml.slice(xml.search(/<(?:\w+:)?Assertion\b/));
  const issuer = text(assertion, "Issuer");
  const subject = text(assertion, "NameID");
  if (!issuer || !subject) return undefined;
  const format = /<(?:\w+:)?NameID\b[^>]*\bFormat="([^"]*)"/.exec(assertion)?.[1];
  const attributes: Record<string, string[]> = {};
  const attribute = /<(?:\w+:)?Attribute\b[^>]*\bName="https:\/\/aws\.amazon\.com\/SAML\/Attributes\/([^"]+)"[^>]*>([\s\S]*?)<\/(?:\w+:)?Attribute>/g;
  for (const m of assertion.matchAll(attribute)) {
    attributes[m[1]] = [...m[2].matchAll(/<(?:\w+:)?AttributeValue\b[^>]*>\s*([^<]*?)\s*<\//g)].map((v) => v[1]);
  }
  return {
    issuer,
    subject,
    subjectType: format?.replace(/^urn:oasis:names:tc:SAML:2\.0:nameid-format:/, ""),
    recipient: /\bRecipient="([^"]*)"/.exec(assertion)?.[1],
    attributes,
  };
}

/** BASE64(SHA1(issuer + account + "/" + provider name)) (AssumeRoleWithSAML API reference, NameQualifier). */
export function nameQualifier(issuer: string, account: string, providerArn: string): string {
  const provider = providerArn.slice(providerArn.lastIndexOf("/") + 1);
  return createHash("sha1").update(`${issuer}${account}/${provider}`).digest("base64");
}
