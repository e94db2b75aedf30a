import { createHash } from "node:crypto";

// S3 names owners by a 64-hex-digit canonical user id; Terrarium derives a stable
// one from the account id.

export function ownerOf(account: string): { ID: string; DisplayName: string } {
  return { ID: createHash("sha256").update(`terrarium:${account}`).digest("hex"), DisplayName: "webfile" };
}
