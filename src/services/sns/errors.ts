import { loadModel } from "../../models/load.js";
import { errorsOf } from "../../protocols/model-errors.js";
import type { ServiceError } from "../../protocols/service-error.js";

// SNS errors from the model's shapes (query codes: InvalidParameter, NotFound,
// ParameterValueInvalid...). The messages are AWS's, as its answers show them
// (recorded in moto's and LocalStack's AWS-validated tests).

export const snsErrors = () => errorsOf(loadModel("sns"));

/** "Invalid parameter: <detail>": AWS's InvalidParameter wording. */
export function invalidParameter(detail: string): ServiceError {
  return snsErrors().InvalidParameterException(`Invalid parameter: ${detail}`);
}

/** ParameterValueInvalid: message attribute errors. */
export function invalidParameterValue(message: string): ServiceError {
  return snsErrors().InvalidParameterValueException(message);
}

export function topicNotFound(): ServiceError {
  return snsErrors().NotFoundException("Topic does not exist");
}

export function subscriptionNotFound(): ServiceError {
  return snsErrors().NotFoundException("Subscription does not exist");
}

export function resourceNotFound(): ServiceError {
  return snsErrors().ResourceNotFoundException("Resource does not exist");
}

/**
 * A malformed ARN parameter, as AWS words it ("Invalid parameter: TopicArn Reason: An
 * ARN must have at least 6 elements, not 1"), before any lookup.
 */
export function checkArnParameter(member: string, arn: string | undefined): void {
  const count = (arn ?? "").split(":").length;
  if (count < 6) throw invalidParameter(`${member} Reason: An ARN must have at least 6 elements, not ${count}`);
}
