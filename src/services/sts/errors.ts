import { ServiceError } from "../../protocols/service-error.js";

// STS errors that are not error shapes of its model: AWS's request layer answers
// them (ValidationError, AccessDenied) or the operation does with a code the model
// does not list (InvalidParameterValue, recorded for session tags in LocalStack's
// test_sts.snapshot.json, TestSTSAssumeRoleTagging).

export function validationError(message: string): ServiceError {
  return new ServiceError("ValidationError", message, { status: 400 });
}

export function accessDenied(message: string): ServiceError {
  return new ServiceError("AccessDenied", message, { status: 403 });
}

export function invalidParameterValue(message: string): ServiceError {
  return new ServiceError("InvalidParameterValue", message, { status: 400 });
}
