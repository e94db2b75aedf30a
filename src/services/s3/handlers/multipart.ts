import { createHash, randomBytes } from "node:crypto";
import { lockForNewVersion } from "../object-lock.js";
import type { Readable } from "node:stream";
import { receiveBody } from "../body.js";
import { ALGORITHMS, checksumSync, incrementalDigest, isAlgorithm, memberOf } from "../checksums.js";
import { checkCopySourceConditions, checkWriteConditions } from "../conditions.js";
import { rememberCompletion, repeatedCompletion } from "../completed-uploads.js";
import { combineCrcs, isCombinable } from "../crc-combine.js";
import { checkCopyable } from "../restore.js";
import { parseCopySource } from "../copy-source.js";
import { invalidArgument, invalidRequest, malformedXml, noSuchUpload, s3Error } from "../errors.js";
import { encoder, walk } from "../listing.js";
import { contentHeadersOf, keyOf, metadataOf, newVersionIdFor, resolveObject, storageClassOf, versionIdHeader } from "../objects.js";
import { ownerOf } from "../owner.js";
import type { ChecksumAlgorithm, ObjectRecord, UploadPart as PartRecord, UploadRecord } from "../records.js";
import { parseTaggingHeader } from "../tags.js";
import { notify } from "../notifications.js";
import { headersOf, originOf, signatureChainFor, type S3Context, type S3Handler, type S3Input } from "../types.js";

// Multipart uploads: Create, UploadPart, UploadPartCopy, Complete, Abort, ListParts,
// ListMultipartUploads. Parts other than the last must be at least 5 MiB, checked
// at Complete; the ETag is the MD5 of the parts' MD5s with "-<count>"
// (S3 User Guide, "Checking object integrity"). An upload created with a checksum
// algorithm takes parts of that algorithm only, and its Complete must name each
// part's checksum (COMPOSITE); CRCs may instead make one FULL_OBJECT checksum,
// combined from the parts' CRCs (crc-combine.ts).

const MIN_PART_SIZE = 5 * 1024 * 1024;

function requireUpload(ctx: S3Context, input: S3Input): UploadRecord {
  ctx.store.requireBucket(input.Bucket);
  const upload = ctx.store.upload(String(input.UploadId ?? ""));
  if (!upload || upload.bucket !== input.Bucket || upload.key !== input.Key) throw noSuchUpload(String(input.UploadId ?? ""));
  return upload;
}

function partNumberOf(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", String(value));
  }
  return n;
}

type ChecksumType = "FULL_OBJECT" | "COMPOSITE";

/** The upload's algorithm and checksum type; SHA digests cannot be combined, CRC64NVME only is (CreateMultipartUpload API reference). */
function checksumChoice(input: S3Input): { algorithm?: ChecksumAlgorithm; type?: ChecksumType } {
  const given = input.ChecksumAlgorithm as string | undefined;
  const type = input.ChecksumType as string | undefined;
  if (given === undefined || given === "") {
    if (type !== undefined) throw invalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
    return {};
  }
  const algorithm = given.toUpperCase();
  if (!isAlgorithm(algorithm)) {
    throw invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  if (type !== undefined && type !== "FULL_OBJECT" && type !== "COMPOSITE") throw invalidRequest("Value for x-amz-checksum-type header is invalid.");
  const chosen: ChecksumType = type ?? (algorithm === "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE");
  if ((chosen === "FULL_OBJECT" && !isCombinable(algorithm)) || (chosen === "COMPOSITE" && algorithm === "CRC64NVME")) {
    throw invalidRequest(`The ${chosen} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  }
  return { algorithm, type: chosen };
}

export const CreateMultipartUpload: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const checksum = checksumChoice(input);
  const upload: UploadRecord = {
    uploadId: randomBytes(48).toString("base64url"),
    bucket: bucket.name,
    key: keyOf(input),
    initiated: ctx.clock.now(),
    owner: ctx.account,
    headers: contentHeadersOf(input),
    metadata: metadataOf(input),
    storageClass: storageClassOf(input.StorageClass),
    tags: parseTaggingHeader(input.Tagging),
    checksumAlgorithm: checksum.algorithm,
    checksumType: checksum.type,
    parts: {},
    // The request's own lock now; the bucket's default retention counts from completion.
    lock: lockForNewVersion(bucket, input, ctx.clock.now(), false),
  };
  ctx.store.saveUpload(upload);
  return {
    Bucket: bucket.name,
    Key: upload.key,
    UploadId: upload.uploadId,
    ServerSideEncryption: "AES256",
    ChecksumAlgorithm: upload.checksumAlgorithm,
    ChecksumType: upload.checksumType,
  };
};

function savePart(ctx: S3Context, upload: UploadRecord, partNumber: number, body: { blob?: string; size: number; md5: string }, checksum?: string): PartRecord {
  // An empty part still gets a blob, so a part always names one.
  const blob = body.blob ?? ctx.store.putBytes(Buffer.alloc(0));
  const part: PartRecord = { partNumber, blob, size: body.size, etag: `"${body.md5}"`, lastModified: ctx.clock.now(), checksum };
  // The upload may have been completed or aborted while the part streamed in.
  const current = ctx.store.upload(upload.uploadId);
  if (!current) {
    ctx.store.blobs.delete(blob);
    throw noSuchUpload(upload.uploadId);
  }
  const old = current.parts[partNumber];
  current.parts[partNumber] = part;
  ctx.store.saveUpload(current);
  if (old) ctx.store.blobs.delete(old.blob);
  return part;
}

/** The upload's algorithm, digested on the way when the part does not carry it
 *  (CRC64NVME runs in JavaScript: only when the client sends it). */
function uploadAlgorithm(upload: UploadRecord): ChecksumAlgorithm[] {
  return upload.checksumAlgorithm && upload.checksumAlgorithm !== "CRC64NVME" ? [upload.checksumAlgorithm] : [];
}

export const UploadPart: S3Handler = async (input, ctx) => {
  const upload = requireUpload(ctx, input);
  const partNumber = partNumberOf(input.PartNumber);
  const body = await receiveBody(
    ctx.store.blobs, ctx.store.newBlobKey(), input.Body as Readable | Buffer | undefined, headersOf(ctx),
    { contentEncoding: input.ContentEncoding, also: uploadAlgorithm(upload), chain: signatureChainFor(ctx) },
  );
  // A part of another algorithm than the upload's, or of none when the parts'
  // checksums make the object's (COMPOSITE), is refused (UploadPart API reference).
  const expected = upload.checksumAlgorithm;
  const sent = body.checksum?.algorithm;
  if (expected && (sent ? sent !== expected : upload.checksumType === "COMPOSITE")) {
    if (body.blob) ctx.store.blobs.delete(body.blob);
    throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${expected.toLowerCase()}, actual checksum Type: ${sent?.toLowerCase() ?? "null"}`);
  }
  const checksum = body.checksum?.value ?? (expected ? body.computed[expected] : undefined);
  const part = savePart(ctx, upload, partNumber, body, checksum);
  return {
    ETag: part.etag,
    ServerSideEncryption: "AES256",
    ...(body.checksum ? { [`Checksum${body.checksum.algorithm}`]: body.checksum.value } : {}),
  };
};

export const UploadPartCopy: S3Handler = async (input, ctx) => {
  const upload = requireUpload(ctx, input);
  const partNumber = partNumberOf(input.PartNumber);
  const source = parseCopySource(input.CopySource);
  const from = resolveObject(ctx, ctx.store.requireBucket(source.bucket), source.key, source.versionId, "GET");
  checkCopyable(from, ctx.clock.now());
  checkCopySourceConditions(
    { IfMatch: input.CopySourceIfMatch, IfNoneMatch: input.CopySourceIfNoneMatch, IfModifiedSince: input.CopySourceIfModifiedSince, IfUnmodifiedSince: input.CopySourceIfUnmodifiedSince },
    from,
  );
  let start = 0;
  let end = from.size - 1;
  if (input.CopySourceRange !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(String(input.CopySourceRange));
    if (!m || Number(m[2]) < Number(m[1])) {
      throw invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", input.CopySourceRange);
    }
    if (Number(m[2]) >= from.size) {
      throw invalidArgument(`Range specified is not valid for source object of size: ${from.size}`, "x-amz-copy-source-range", input.CopySourceRange);
    }
    start = Number(m[1]);
    end = Number(m[2]);
  }
  const body = await receiveBody(ctx.store.blobs, ctx.store.newBlobKey(), ctx.store.readBytes(from, start, end), {}, { also: uploadAlgorithm(upload) });
  const checksum = upload.checksumAlgorithm ? body.computed[upload.checksumAlgorithm] : undefined;
  const part = savePart(ctx, upload, partNumber, body, checksum);
  return {
    // The part's checksum of the upload's algorithm: a COMPOSITE Complete must name it.
    CopyPartResult: {
      ETag: part.etag,
      LastModified: new Date(part.lastModified),
      ...(checksum && upload.checksumAlgorithm ? { [memberOf(upload.checksumAlgorithm)]: checksum } : {}),
    },
    CopySourceVersionId: ctx.store.findBucket(source.bucket)?.versioning ? from.versionId : undefined,
    ServerSideEncryption: "AES256",
  };
};

const INVALID_PART =
  "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";

/** The parts the request names, checked against the upload's (ETag, order, checksum). */
function requestedParts(upload: UploadRecord, input: S3Input): PartRecord[] {
  const requested = (input.MultipartUpload?.Parts ?? []) as Record<string, string | number | undefined>[];
  if (requested.length === 0) throw malformedXml();
  const algorithm = upload.checksumAlgorithm;
  const parts: PartRecord[] = [];
  let previous = 0;
  for (const r of requested) {
    const n = Number(r.PartNumber);
    if (n <= previous) throw s3Error("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", { UploadId: upload.uploadId });
    previous = n;
    const part = upload.parts[n];
    const given = r.ETag === undefined ? undefined : String(r.ETag);
    const etag = given?.startsWith('"') ? given : `"${given}"`;
    const invalidPart = () => s3Error("InvalidPart", INVALID_PART, { UploadId: upload.uploadId, PartNumber: n, ETag: given });
    if (!part || part.etag !== etag) throw invalidPart();
    // The parts' checksums as the request lists them: the upload's algorithm's,
    // required for a COMPOSITE upload; none at all for an upload without one.
    const named = ALGORITHMS.filter((a) => r[memberOf(a)] !== undefined);
    if (!algorithm) {
      if (named.length > 0) throw invalidPart();
    } else if (named.length === 0) {
      if (upload.checksumType === "COMPOSITE") {
        throw invalidRequest(
          `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${n} in the request.`,
        );
      }
    } else if (named.length > 1 || named[0] !== algorithm || (part.checksum !== undefined && r[memberOf(algorithm)] !== part.checksum)) {
      throw invalidPart();
    }
    parts.push(part);
  }
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.size < MIN_PART_SIZE) {
      throw s3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", {
        ProposedSize: part.size,
        MinSizeAllowed: MIN_PART_SIZE,
        PartNumber: part.partNumber,
        ETag: part.etag.replace(/"/g, ""),
      });
    }
  });
  return parts;
}

/** The object's checksum: the parts' CRCs combined (FULL_OBJECT) or the checksum of their checksums (COMPOSITE). */
async function objectChecksum(ctx: S3Context, upload: UploadRecord, parts: PartRecord[]): Promise<ObjectRecord["checksum"]> {
  const algorithm = upload.checksumAlgorithm;
  if (!algorithm) return undefined;
  if (upload.checksumType === "FULL_OBJECT") {
    if (!isCombinable(algorithm)) return undefined;
    if (parts.every((p) => p.checksum)) {
      return { algorithm, value: combineCrcs(algorithm, parts.map((p) => ({ checksum: p.checksum!, size: p.size }))), type: "FULL_OBJECT" };
    }
    // A part without its CRC (CRC64NVME is only digested when the client sends
    // it): stream the parts' files through the digest in order, never the whole
    // object in memory (CRC64NVME in JavaScript: about 2.5 ms per MiB).
    const digest = incrementalDigest(algorithm);
    for (const part of parts) {
      const bytes = ctx.store.readBytes({ blob: part.blob, size: part.size } as ObjectRecord, 0, part.size - 1);
      if (Buffer.isBuffer(bytes)) digest.update(bytes);
      else for await (const chunk of bytes) digest.update(chunk as Buffer);
    }
    return { algorithm, value: await digest.digest(), type: "FULL_OBJECT" };
  }
  if (algorithm === "CRC64NVME" || !parts.every((p) => p.checksum)) return undefined;
  const joined = Buffer.concat(parts.map((p) => Buffer.from(p.checksum!, "base64")));
  return { algorithm, value: `${checksumSync(algorithm, joined)}-${parts.length}`, type: "COMPOSITE" };
}

/** What the request says of the whole object: its checksum type, size and FULL_OBJECT checksum must agree. */
function checkWholeObject(input: S3Input, upload: UploadRecord, size: number, checksum: ObjectRecord["checksum"]): void {
  const type = input.ChecksumType as string | undefined;
  if (type !== undefined && upload.checksumType !== undefined && type !== upload.checksumType) {
    throw invalidRequest(`The upload was created using the ${upload.checksumType} checksum mode. The complete request must use the same checksum mode.`);
  }
  if (input.MpuObjectSize !== undefined && Number(input.MpuObjectSize) !== size) {
    throw invalidRequest("The provided 'x-amz-mp-object-size' header does not match what was computed");
  }
  if (checksum?.type === "FULL_OBJECT") {
    const sent = input[memberOf(checksum.algorithm)] as string | undefined;
    if (sent !== undefined && sent !== checksum.value) throw s3Error("BadDigest", `The ${checksum.algorithm} you specified did not match the calculated checksum.`);
  }
}

export const CompleteMultipartUpload: S3Handler = async (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  // A retried Complete of an upload that completed already: the same answer (completed-uploads.ts).
  if (!ctx.store.upload(String(input.UploadId ?? ""))) {
    const again = repeatedCompletion(ctx.store, input);
    if (again) return again;
  }
  const upload = requireUpload(ctx, input);
  // A conditional write: the upload stays for another try (CompleteMultipartUpload API reference).
  checkWriteConditions(input, ctx.store.current(bucket.name, upload.key), upload.key);
  const parts = requestedParts(upload, input);
  const size = parts.reduce((sum, p) => sum + p.size, 0);
  const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ""), "hex")));
  const etag = `"${createHash("md5").update(md5s).digest("hex")}-${parts.length}"`;
  const checksum = await objectChecksum(ctx, upload, parts);
  checkWholeObject(input, upload, size, checksum);
  const record: ObjectRecord = {
    key: upload.key,
    versionId: newVersionIdFor(ctx, bucket),
    // S3 dates a multipart object from its upload's initiation, not its completion.
    lastModified: upload.initiated,
    owner: ctx.account,
    // The parts' blobs become the object's: completing copies nothing.
    segments: parts.map((p) => p.blob),
    size,
    etag,
    headers: upload.headers,
    metadata: upload.metadata,
    storageClass: upload.storageClass,
    tags: upload.tags,
    checksum,
    // A COMPOSITE object keeps its parts' checksums (GetObjectAttributes lists them).
    parts: parts.map((p) => (checksum?.type === "COMPOSITE" ? { size: p.size, etag: p.etag, checksum: p.checksum } : { size: p.size, etag: p.etag })),
    lock: upload.lock ?? lockForNewVersion(bucket, {}, ctx.clock.now()),
  };
  ctx.store.putVersion(bucket, record);
  ctx.store.deleteUpload(upload, record.segments);
  notify(ctx.store, bucket, "ObjectCreated:CompleteMultipartUpload", record, originOf(ctx));
  const host = ctx.http?.host ?? "s3.amazonaws.com";
  const output = {
    Location: `http://${host}/${bucket.name}/${encodeURIComponent(upload.key).replace(/%2F/g, "/")}`,
    Bucket: bucket.name,
    Key: upload.key,
    ETag: etag,
    VersionId: versionIdHeader(bucket, record),
    ServerSideEncryption: "AES256",
    ...(checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: checksum.type } : {}),
  };
  rememberCompletion(ctx.store, upload.uploadId, input, output);
  return output;
};

export const AbortMultipartUpload: S3Handler = (input, ctx) => {
  const upload = requireUpload(ctx, input);
  ctx.store.deleteUpload(upload);
  return {};
};

export const ListParts: S3Handler = (input, ctx) => {
  const upload = requireUpload(ctx, input);
  const max = input.MaxParts === undefined ? 1000 : Math.min(Number(input.MaxParts), 1000);
  const marker = Number(input.PartNumberMarker ?? 0);
  const all = Object.values(upload.parts).filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  return {
    Bucket: upload.bucket,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: input.PartNumberMarker !== undefined ? marker : 0,
    NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : undefined,
    MaxParts: max,
    IsTruncated: truncated,
    Parts: page.length
      ? page.map((p) => ({
          PartNumber: p.partNumber,
          LastModified: new Date(p.lastModified),
          ETag: p.etag,
          Size: p.size,
          ...(p.checksum && upload.checksumAlgorithm ? { [`Checksum${upload.checksumAlgorithm}`]: p.checksum } : {}),
        }))
      : undefined,
    Initiator: { ID: ownerOf(upload.owner).ID, DisplayName: ownerOf(upload.owner).DisplayName },
    Owner: ownerOf(upload.owner),
    StorageClass: upload.storageClass,
    ChecksumAlgorithm: upload.checksumAlgorithm,
    ChecksumType: upload.checksumType,
  };
};

export const ListMultipartUploads: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const encode = encoder(input.EncodingType);
  const max = input.MaxUploads === undefined ? 1000 : Math.min(Number(input.MaxUploads), 1000);
  const keyMarker: string | undefined = input.KeyMarker || undefined;
  const uploadIdMarker: string | undefined = input.UploadIdMarker || undefined;
  const uploads = ctx.store
    .uploadsOf(bucket.name)
    .filter((u) => keyMarker === undefined || u.key > keyMarker || (u.key === keyMarker && uploadIdMarker !== undefined && u.uploadId > uploadIdMarker))
    .map((u) => ({ key: `${u.key}`, item: u }));
  // Several uploads of one key are several entries: walk by key, not by unique key.
  const page = walk(uploads, { prefix: input.Prefix ?? "", delimiter: input.Delimiter || undefined, max });
  const items = page.entries.flatMap((e) => (e.kind === "item" ? [e.item] : []));
  const lastItem = items[items.length - 1];
  return {
    Bucket: bucket.name,
    KeyMarker: encode(input.KeyMarker ?? ""),
    UploadIdMarker: input.UploadIdMarker ?? "",
    NextKeyMarker: page.truncated ? encode(page.last) : undefined,
    NextUploadIdMarker: page.truncated && lastItem ? lastItem.uploadId : undefined,
    Prefix: encode(input.Prefix ?? ""),
    Delimiter: encode(input.Delimiter),
    MaxUploads: max,
    IsTruncated: page.truncated,
    EncodingType: input.EncodingType,
    Uploads: items.length
      ? items.map((u) => ({
          UploadId: u.uploadId,
          Key: encode(u.key),
          Initiated: new Date(u.initiated),
          StorageClass: u.storageClass,
          Owner: ownerOf(u.owner),
          Initiator: ownerOf(u.owner),
          ChecksumAlgorithm: u.checksumAlgorithm,
          ChecksumType: u.checksumType,
        }))
      : undefined,
    CommonPrefixes: page.entries.some((e) => e.kind === "prefix")
      ? page.entries.flatMap((e) => (e.kind === "prefix" ? [{ Prefix: encode(e.prefix) }] : []))
      : undefined,
  };
};
