import { loadModel } from "../../models/load.js";
import type { HttpRequest, HttpResponse } from "../../protocols/http.js";
import { codecFor } from "../../protocols/index.js";
import { isServiceError } from "../../protocols/service-error.js";
import { grantsOf } from "./acl.js";
import { receiveBody } from "./body.js";
import { ALGORITHMS, headerOf } from "./checksums.js";
import { invalidArgument, noSuchBucket, s3Error } from "./errors.js";
import { boundaryOf, parseFormData } from "./form-data.js";
import { lockForNewVersion } from "./object-lock.js";
import { keyOf, storageClassOf, versionIdHeader } from "./objects.js";
import { notify } from "./notifications.js";
import { accessKeyOf, checkPolicy, checkPolicySignature, type Fields } from "./post-policy.js";
import type { ObjectRecord } from "./records.js";
import type { S3Store } from "./store.js";
import { validateTagSet } from "./tags.js";

// POST Object: the browser form upload (S3 API reference, "POST Object" and
// "Browser-based uploads using POST"). It is not an operation of the REST API's
// model, so the gateway routes multipart/form-data POSTs to a bucket here. The
// form is read whole (the gateway caps such bodies at 64 MiB; AWS at 5 GB).
// Fields after `file` are ignored, as S3 ignores them. Errors are S3's XML errors.

const CONTENT_FIELDS: [string, string][] = [
  ["cache-control", "CacheControl"], ["content-disposition", "ContentDisposition"], ["content-encoding", "ContentEncoding"],
  ["content-language", "ContentLanguage"], ["expires", "Expires"], ["x-amz-website-redirect-location", "WebsiteRedirectLocation"],
];

export async function postObject(req: HttpRequest, store: S3Store, bucketName: string, requestId: string): Promise<HttpResponse> {
  try {
    return await upload(req, store, bucketName, requestId);
  } catch (error) {
    if (!isServiceError(error)) throw error;
    return codecFor("rest-xml").serializeError(error, loadModel("s3"), undefined, { requestId });
  }
}

async function upload(req: HttpRequest, store: S3Store, bucketName: string, requestId: string): Promise<HttpResponse> {
  const bucket = store.findBucket(bucketName);
  if (!bucket) throw noSuchBucket(bucketName);
  const boundary = boundaryOf(req.headers["content-type"]);
  if (!boundary) throw s3Error("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.");
  const fields: Fields = new Map();
  const metadata: Record<string, string> = {};
  let file: { bytes: Buffer; filename: string } | undefined;
  for (const field of parseFormData(req.body, boundary)) {
    const name = field.name.toLowerCase();
    if (name === "file") {
      file = { bytes: field.value, filename: field.filename ?? "" };
      break;
    }
    const value = field.value.toString("utf8");
    fields.set(name, value);
    if (name.startsWith("x-amz-meta-")) metadata[name.slice("x-amz-meta-".length)] = value;
  }
  if (!file) throw invalidArgument("POST requires exactly one file upload per request.", "file", "0");
  const rawKey = fields.get("key");
  if (rawKey === undefined) throw invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", "key", "");
  const key = keyOf({ Key: rawKey.replace(/\$\{filename\}/g, file.filename) });
  fields.set("key", key);

  const now = store.clock.now();
  const policy = fields.get("policy");
  const secretOf = (id: string) => store.accessKeys.lookup(id)?.secretAccessKey;
  if (policy !== undefined) {
    checkPolicySignature(policy, fields, secretOf);
    const limits = checkPolicy(policy, fields, bucket.name, now);
    if (limits.maxSize !== undefined && file.bytes.length > limits.maxSize) {
      throw s3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", { ProposedSize: file.bytes.length, MaxSizeAllowed: limits.maxSize });
    }
    if (limits.minSize !== undefined && file.bytes.length < limits.minSize) {
      throw s3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", { ProposedSize: file.bytes.length, MinSizeAllowed: limits.minSize });
    }
  }
  const accessKeyId = accessKeyOf(fields);
  const account = accessKeyId === undefined ? bucket.account : store.accessKeys.accountOf(accessKeyId);

  const input: Record<string, unknown> = {
    ObjectLockMode: fields.get("x-amz-object-lock-mode"),
    ObjectLockRetainUntilDate: fields.get("x-amz-object-lock-retain-until-date"),
    ObjectLockLegalHoldStatus: fields.get("x-amz-object-lock-legal-hold"),
    ACL: fields.get("acl"),
  };
  const lock = lockForNewVersion(bucket, input, now);
  const acl = input.ACL === undefined ? undefined : grantsOf(input, bucket, account, true);
  const tags = fields.has("tagging") ? tagsOf(fields.get("tagging")!) : [];
  // The checksum fields are checked like the headers of a PutObject.
  const checks: Record<string, string> = {};
  for (const a of ALGORITHMS) {
    const value = fields.get(headerOf(a));
    if (value !== undefined) checks[headerOf(a)] = value;
  }
  if (fields.has("content-md5")) checks["content-md5"] = fields.get("content-md5")!;
  const body = await receiveBody(store.blobs, store.newBlobKey(), file.bytes, checks);

  const headers: ObjectRecord["headers"] = { ContentType: fields.get("content-type") || "binary/octet-stream" };
  for (const [field, member] of CONTENT_FIELDS) {
    const value = fields.get(field);
    if (value !== undefined) (headers as Record<string, string>)[member] = value;
  }
  const record: ObjectRecord = {
    key,
    versionId: bucket.versioning === "Enabled" ? store.newVersionId() : "null",
    lastModified: now,
    owner: account,
    blob: body.blob,
    size: body.size,
    etag: `"${body.md5}"`,
    headers,
    metadata,
    storageClass: storageClassOf(fields.get("x-amz-storage-class")),
    tags,
    checksum: body.checksum && { ...body.checksum, type: "FULL_OBJECT" },
    sse: fields.get("x-amz-server-side-encryption"),
  };
  if (acl) record.acl = acl;
  if (lock) record.lock = lock;
  store.putVersion(bucket, record);
  notify(store, bucket, "ObjectCreated:Post", record, { requestId, principalId: accessKeyId === undefined ? "Anonymous" : `AWS:${account}` });
  return respond(req, fields, bucket.name, record, versionIdHeader(bucket, record), requestId);
}

/** The `tagging` field: a <Tagging><TagSet><Tag><Key/><Value/></Tag>... document. */
function tagsOf(xml: string): [string, string][] {
  const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  const tags = [...xml.matchAll(/<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g)].map((m) => ({ Key: unescape(m[1]), Value: unescape(m[2]) }));
  if (tags.length === 0 && /<Tag>/.test(xml)) throw s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  return validateTagSet(tags);
}

/** success_action_redirect (303 to it), else success_action_status: 200, 201 (a PostResponse document) or 204. */
function respond(req: HttpRequest, fields: Fields, bucket: string, record: ObjectRecord, versionId: string | undefined, requestId: string): HttpResponse {
  const host = req.headers["host"] ?? "s3.amazonaws.com";
  const encodedKey = record.key.split("/").map(encodeURIComponent).join("/");
  const location = host.startsWith(`${bucket}.`) ? `http://${host}/${encodedKey}` : `http://${host}/${bucket}/${encodedKey}`;
  const headers: Record<string, string> = { "x-amz-request-id": requestId, etag: record.etag, location };
  if (versionId) headers["x-amz-version-id"] = versionId;
  const redirect = fields.get("success_action_redirect") ?? fields.get("redirect");
  if (redirect && /^https?:\/\//i.test(redirect)) {
    const url = new URL(redirect);
    url.searchParams.append("bucket", bucket);
    url.searchParams.append("key", record.key);
    url.searchParams.append("etag", record.etag);
    return { status: 303, headers: { ...headers, location: url.toString() }, body: "" };
  }
  const status = fields.get("success_action_status");
  if (status === "201") {
    // PostResponse is not a shape of the REST API's model: S3 documents it with POST Object.
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucket)}</Bucket>` +
      `<Key>${escapeXml(record.key)}</Key><ETag>${escapeXml(record.etag)}</ETag></PostResponse>`;
    return { status: 201, headers: { ...headers, "content-type": "application/xml" }, body: xml };
  }
  return { status: status === "200" ? 200 : 204, headers, body: "" };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
