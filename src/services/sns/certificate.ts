import { createHash, createPublicKey, sign as cryptoSign, type KeyObject } from "node:crypto";

// The X.509 certificate SigningCertURL serves: self-signed over Terrarium's signing
// key, so that consumers that verify SNS signatures the documented way ("Verifying
// the signatures of Amazon SNS messages": download the certificate, take its public
// key) work unchanged, whether they load it as a certificate (Python's cryptography,
// Go's crypto/x509, Java's CertificateFactory, PHP's openssl_x509_read) or hand the
// PEM to a verify call (Node's crypto). node:crypto reads certificates but cannot
// issue one, and Terrarium takes no dependency for it: this file writes the few DER
// structures an X.509 v3 certificate needs (RFC 5280, section 4.1).
//
// The certificate is a pure function of the key (fixed validity, serial from the
// key's hash, and RSA PKCS#1 v1.5 signatures are deterministic): the same bytes after
// a restart, so nothing more is persisted than the key.

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const COMMON_NAME = "2.5.4.3";
const ORGANIZATION = "2.5.4.10";
const KEY_USAGE = "2.5.29.15";
const BASIC_CONSTRAINTS = "2.5.29.19";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);
const nullValue = () => Buffer.from([0x05, 0x00]);
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
const bitString = (bytes: Buffer) => tlv(0x03, Buffer.from([0]), bytes);
const octetString = (bytes: Buffer) => tlv(0x04, bytes);
const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content);

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps it positive). */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const groups: number[] = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/** RFC 5280 wants UTCTime (YYMMDDHHMMSSZ) for dates before 2050, GeneralizedTime after. */
const utcTime = (text: string) => tlv(0x17, Buffer.from(text, "ascii"));
const generalizedTime = (text: string) => tlv(0x18, Buffer.from(text, "ascii"));

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(oid(ORGANIZATION), utf8("Terrarium"))),
    set(sequence(oid(COMMON_NAME), utf8(commonName))),
  );
}

/**
 * A self-signed certificate (PEM) for `privateKey`, named like AWS's signing
 * certificate (CN sns.amazonaws.com). Valid from 2000 to 2099: Terrarium's clock may
 * be moved forward, and verifiers check validity against the wall clock.
 */
export function selfSignedCertificatePem(privateKey: KeyObject, commonName = "sns.amazonaws.com"): string {
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const algorithm = sequence(oid(SHA256_WITH_RSA), nullValue());
  const subject = name(commonName);
  const extensions = explicit(3, sequence(
    // digitalSignature only, critical; and not a CA.
    sequence(oid(KEY_USAGE), Buffer.from([0x01, 0x01, 0xff]), octetString(tlv(0x03, Buffer.from([0x07, 0x80])))),
    sequence(oid(BASIC_CONSTRAINTS), octetString(sequence())),
  ));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(createHash("sha256").update(spki).digest().subarray(0, 16)),
    algorithm,
    subject,
    sequence(utcTime("000101000000Z"), generalizedTime("20991231235959Z")),
    subject,
    spki,
    extensions,
  );
  const signature = cryptoSign("sha256", tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const lines = der.toString("base64").match(/.{1,64}/g)!;
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
