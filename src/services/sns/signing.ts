import { createPrivateKey, generateKeyPairSync, type KeyObject, sign as cryptoSign } from "node:crypto";
import { selfSignedCertificatePem } from "./certificate.js";

// Message signatures, SignatureVersion 1 (SHA1withRSA), as "Verifying the signatures
// of Amazon SNS messages" documents them: the canonical string is "Name\nValue\n" for
// a fixed list of fields in byte order, the signature its base64 RSA-SHA1.
//
// Terrarium makes one RSA key pair per account and region (on first use). As AWS does,
// SigningCertURL serves an X.509 certificate holding the public key: self-signed over
// the key (certificate.ts), so verifiers that load a certificate work.
//
// The key is RSA-1024, not the 2048 bits of AWS's certificates: a signature costs
// ~0.09 ms instead of ~0.26 ms, which was half of a publish fanned out to two queues
// (a Notification is signed once per message, whatever the number of deliveries).
// Verifiers take the key size from the key they load, so they check it the same way.

const SIGNING_KEY_BITS = 1024;
const NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const;

/** The key pair as persisted (PEM). */
export interface SigningKey {
  privatePem: string;
  publicPem: string;
}

export class Signer {
  private key?: { privateKey: KeyObject; publicPem: string };
  private certificate?: string;

  constructor(
    private readonly stored?: SigningKey,
    private readonly save?: (key: SigningKey) => void,
  ) {}

  private keys(): { privateKey: KeyObject; publicPem: string } {
    if (!this.key) {
      if (this.stored) {
        this.key = { privateKey: createPrivateKey(this.stored.privatePem), publicPem: this.stored.publicPem };
      } else {
        const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: SIGNING_KEY_BITS });
        this.key = { privateKey, publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
        this.save?.({ privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), publicPem: this.key.publicPem });
      }
    }
    return this.key;
  }

  /** The public key alone (SPKI PEM). */
  publicKeyPem(): string {
    return this.keys().publicPem;
  }

  /** What SigningCertURL serves: the X.509 certificate of the signing key, PEM. */
  certificatePem(): string {
    this.certificate ??= selfSignedCertificatePem(this.keys().privateKey);
    return this.certificate;
  }

  /** SignatureVersion 1 is SHA1withRSA, 2 (the topic attribute SignatureVersion) SHA256withRSA. */
  sign(message: Record<string, string | undefined>, version = "1"): string {
    const fields = message.Type === "Notification" ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
    return cryptoSign(version === "2" ? "sha256" : "sha1", Buffer.from(canonicalString(message, fields), "utf8"), this.keys().privateKey).toString("base64");
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
