import { ServiceError } from "../../protocols/service-error.js";

// S3's errors as its API reference lists them ("Error responses", List of error
// codes): code, HTTP status and AWS's exact message. botocore models only a few of
// them, without statuses, so S3 keeps its own table. Extra fields (<BucketName>,
// <Key>, <Condition>...) are written beside the message by the REST-XML codec.

const STATUS: Record<string, number> = {
  AccessDenied: 403,
  AccessForbidden: 403,
  AccessControlListNotSupported: 400,
  BadDigest: 400,
  BadRequest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooSmall: 400,
  EntityTooLarge: 400,
  IllegalLocationConstraintException: 400,
  IncompleteBody: 400,
  InvalidArgument: 400,
  InvalidBucketState: 409,
  InvalidBucketAclWithObjectOwnership: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidLocationConstraint: 400,
  InvalidObjectState: 403,
  InvalidPart: 400,
  InvalidPolicyDocument: 400,
  InvalidPartOrder: 400,
  InvalidPartNumber: 416,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidStorageClass: 400,
  InvalidTag: 400,
  InvalidTargetBucketForLogging: 400,
  KeyTooLongError: 400,
  MalformedPOSTRequest: 400,
  MalformedPolicy: 400,
  MalformedXML: 400,
  MetadataTooLarge: 400,
  MethodNotAllowed: 405,
  NotImplemented: 501,
  ObjectNotInActiveTierError: 403,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchConfiguration: 404,
  NoSuchKey: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchObjectLockConfiguration: 404,
  ObjectLockConfigurationNotFoundError: 404,
  NoSuchPublicAccessBlockConfiguration: 404,
  NoSuchTagSet: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NoSuchWebsiteConfiguration: 404,
  NotModified: 304,
  OwnershipControlsNotFoundError: 404,
  PreconditionFailed: 412,
  ReplicationConfigurationNotFoundError: 404,
  RestoreAlreadyInProgress: 409,
  ServerSideEncryptionConfigurationNotFoundError: 404,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
};

export function s3Error(
  code: keyof typeof STATUS,
  message: string,
  fields?: Record<string, unknown>,
  headers?: Record<string, string>,
): ServiceError {
  return new ServiceError(code, message, { status: STATUS[code], fields, headers });
}

export const noSuchBucket = (bucket: string) =>
  s3Error("NoSuchBucket", "The specified bucket does not exist", { BucketName: bucket });

export const noSuchKey = (key: string, headers?: Record<string, string>) =>
  s3Error("NoSuchKey", "The specified key does not exist.", { Key: key }, headers);

export const noSuchVersion = (key: string, versionId: string) =>
  s3Error("NoSuchVersion", "The specified version does not exist.", { Key: key, VersionId: versionId });

export const noSuchUpload = (uploadId: string) =>
  s3Error(
    "NoSuchUpload",
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    { UploadId: uploadId },
  );

export const preconditionFailed = (condition: string) =>
  s3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", { Condition: condition });

export const notModified = (headers?: Record<string, string>) => s3Error("NotModified", "Not Modified", undefined, headers);

export const malformedXml = () =>
  s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

export const invalidArgument = (message: string, name?: string, value?: string) =>
  s3Error("InvalidArgument", message, name === undefined ? undefined : { ArgumentName: name, ArgumentValue: value });

export const malformedPost = () =>
  s3Error("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.");

export const invalidRequest = (message: string) => s3Error("InvalidRequest", message);
