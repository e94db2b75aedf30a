import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";

// Message signatures, SignatureVersion 1 (SHA1withRSA), as "Verifying the signatures
// of Amazon SNS messages" documents them: the canonical string is "Name\nValue\n" for
// a fixed list of fields in byte order, the signature its base64 RSA-SHA1.
//
// Terrarium makes one RSA key pair per account and region (on first use). AWS serves an
// X.509 certificate at SigningCertURL; node:crypto can read certificates but cannot
// make one, and Terrarium takes no dependency for it, so the URL serves the public key
// as PEM (a verifier that loads the key from the PEM works; one insisting on a
// certificate does not yet).

const NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const;

export class Signer {
  private key?: { privateKey: KeyObject; publicPem: string };

  private keys(): { privateKey: KeyObject; publicPem: string } {
    if (!this.key) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      this.key = { privateKey, publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
    }
    return this.key;
  }

  /** What SigningCertURL serves. */
  publicKeyPem(): string {
    return this.keys().publicPem;
  }

  sign(message: Record<string, string | undefined>): string {
    const fields = message.Type === "Notification" ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
    const signer = createSign("RSA-SHA1");
    signer.update(canonicalString(message, fields));
    return signer.sign(this.keys().privateKey, "base64");
  }
}

export function canonicalString(message: Record<string, string | undefined>, fields: readonly string[]): string {
  let text = "";
  for (const name of fields) {
    const value = message[name];
    if (value !== undefined) text += `${name}\n${value}\n`;
  }
  return text;
}

export { NOTIFICATION_FIELDS, CONFIRMATION_FIELDS };
