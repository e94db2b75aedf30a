import { isIP } from "node:net";
import type { CidrRange } from "./types.js";

// IPv4 and IPv6 addresses and CIDR blocks as big integers, for the "cidr" operator.

export function ipToBigInt(address: string): { version: 4 | 6; value: bigint } | undefined {
  const version = isIP(address);
  if (version === 4) {
    let value = 0n;
    for (const part of address.split(".")) value = (value << 8n) | BigInt(Number(part));
    return { version: 4, value };
  }
  if (version === 6) {
    let text = address;
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
      const n = ipToBigInt(v4[1])!.value;
      text = text.slice(0, v4.index) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.split("::");
    const headParts = head ? head.split(":") : [];
    const tailParts = tail === undefined ? [] : tail ? tail.split(":") : [];
    const missing = 8 - headParts.length - tailParts.length;
    const parts = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailParts];
    let value = 0n;
    for (const part of parts) value = (value << 16n) | BigInt(parseInt(part, 16));
    return { version: 6, value };
  }
  return undefined;
}

export function parseCidr(text: string): CidrRange | undefined {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const ip = ipToBigInt(address);
  if (!ip) return undefined;
  const width = ip.version === 4 ? 32 : 128;
  let bits = width;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(suffix)) return undefined;
    bits = Number(suffix);
    if (bits > width) return undefined;
  }
  const shift = BigInt(width - bits);
  return { version: ip.version, network: (ip.value >> shift) << shift, bits };
}

export function cidrContains(range: CidrRange, address: string): boolean {
  const ip = ipToBigInt(address);
  if (!ip || ip.version !== range.version) return false;
  const shift = BigInt((range.version === 4 ? 32 : 128) - range.bits);
  return (ip.value >> shift) << shift === range.network;
}
