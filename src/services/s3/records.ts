// What S3 keeps: buckets (with their stored configurations), object versions
// (a delete marker is a version without bytes) and multipart uploads. Bytes live
// in the BlobStore under `s3/<id>`; these records are JSON rows in SQLite.

import type { Grant } from "./acl.js";

export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256";

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64, with "-N" for a multipart upload's composite checksum. */
  value: string;
  type: "FULL_OBJECT" | "COMPOSITE";
}

export interface BucketRecord {
  name: string;
  account: string;
  region: string;
  /** Set when created with the legacy "EU" constraint (an eu-west-1 bucket that GetBucketLocation answers as "EU"). */
  legacyEu?: boolean;
  created: number;
  /** Absent until PutBucketVersioning: then "Enabled" or "Suspended". */
  versioning?: "Enabled" | "Suspended";
  mfaDelete?: string;
  /** Stored configurations by operation noun (Tagging, Policy, Cors...), as the handlers got them. */
  configs: Record<string, unknown>;
}

export interface ContentHeaders {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: string;
  WebsiteRedirectLocation?: string;
}

export interface PartInfo {
  size: number;
  etag: string;
  /** The part's checksum, of a COMPOSITE object's algorithm. */
  checksum?: string;
}

/** A version's Object Lock state (object-lock.ts). */
export interface ObjectLock {
  mode?: "GOVERNANCE" | "COMPLIANCE";
  /** Epoch ms. */
  retainUntil?: number;
  legalHold?: "ON" | "OFF";
}

export interface ObjectRecord {
  key: string;
  /** "null" for the null version. */
  versionId: string;
  deleteMarker?: boolean;
  lastModified: number;
  owner: string;
  blob?: string;
  size: number;
  etag: string;
  headers: ContentHeaders;
  metadata: Record<string, string>;
  storageClass: string;
  tags: [string, string][];
  checksum?: StoredChecksum;
  /** The parts of a multipart object, for GetObject partNumber and PartsCount. */
  parts?: PartInfo[];
  /** A multipart object's bytes: its parts' blobs in order (sizes in `parts`),
   *  instead of `blob`, so completing an upload copies nothing. */
  segments?: string[];
  /** The segments' sizes when the object is not a multipart one (a copy of one): `parts` has them otherwise. */
  segmentSizes?: number[];
  sse?: string;
  sseKmsKeyId?: string;
  /** Grants set by a canned ACL or PutObjectAcl; absent: the owner's FULL_CONTROL. */
  acl?: Grant[];
  lock?: ObjectLock;
  /** An archived object's restored copy (restore.ts): ready from, gone at (epoch ms). */
  restore?: { readyAt: number; expiresAt: number };
}

export interface UploadPart {
  partNumber: number;
  blob: string;
  size: number;
  etag: string;
  lastModified: number;
  checksum?: string;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number;
  owner: string;
  headers: ContentHeaders;
  metadata: Record<string, string>;
  storageClass: string;
  tags: [string, string][];
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: "FULL_OBJECT" | "COMPOSITE";
  parts: Record<string, UploadPart>;
  /** The lock the completed object gets, fixed when the upload was created. */
  lock?: ObjectLock;
}
