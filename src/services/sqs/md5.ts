import * as crypto from "node:crypto";
import { createHash } from "node:crypto";
import type { AttributeValue } from "./types.js";

// The digests SQS returns and the SDKs verify (JS v3's md5 middleware, botocore's
// check_md5): MD5OfMessageBody over the UTF-8 body; MD5OfMessageAttributes over the
// attributes sorted by name, each as length-prefixed name, length-prefixed data
// type, a transport byte (1 string, 2 binary, 3 string list, 4 binary list) and the
// length-prefixed value(s). Lengths are 4-byte big-endian. See "Calculating the MD5
// message digest for message attributes" in the SQS developer guide.

// crypto.hash (Node 20.12+; @types/node does not declare it yet): a one-shot digest
// without a Hash object, a third of the cost for a small body (every SendMessage).
const cryptoHash = (crypto as unknown as { hash?: (algorithm: string, data: string | Buffer, encoding: "hex") => string }).hash;

export function md5Hex(data: string | Buffer): string {
  return cryptoHash ? cryptoHash("md5", data, "hex") : createHash("md5").update(data).digest("hex");
}

export function md5OfAttributes(attributes: Record<string, AttributeValue> | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lengthPrefixed = (bytes: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  };
  for (const name of names) {
    const value = attributes![name];
    lengthPrefixed(Buffer.from(name, "utf8"));
    lengthPrefixed(Buffer.from(value.DataType, "utf8"));
    if (value.StringValue !== undefined) {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(value.StringValue, "utf8"));
    } else if (value.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(value.BinaryValue));
    } else if (value.StringListValues) {
      parts.push(Buffer.from([3]));
      for (const s of value.StringListValues) lengthPrefixed(Buffer.from(s, "utf8"));
    } else if (value.BinaryListValues) {
      parts.push(Buffer.from([4]));
      for (const b of value.BinaryListValues) lengthPrefixed(Buffer.from(b));
    }
  }
  return md5Hex(Buffer.concat(parts));
}
