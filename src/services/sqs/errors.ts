import { loadModel } from "../../models/load.js";
import { errorsOf } from "../../protocols/model-errors.js";
import { ServiceError } from "../../protocols/service-error.js";

// SQS errors. Those with a shape in the model come from it (code, status, and the
// query code through the model patch); InvalidParameterValue and MissingParameter
// are AWS's common errors, which the model does not list.

export const sqsErrors = () => errorsOf(loadModel("sqs"));

export function invalidParameterValue(message: string): ServiceError {
  return new ServiceError("InvalidParameterValue", message, { status: 400 });
}

/** "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: ..." as SQS words it. */
export function invalidParameter(name: string, value: unknown, reason: string): ServiceError {
  return invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
}

export function missingParameter(name: string): ServiceError {
  return new ServiceError("MissingParameter", `The request must contain the parameter ${name}.`, { status: 400 });
}

/** The SQS API reference words it so for JSON and query alike. */
export function queueDoesNotExist(): ServiceError {
  return sqsErrors().QueueDoesNotExist("The specified queue does not exist.");
}

export function receiptHandleIsInvalid(handle: string): ServiceError {
  return sqsErrors().ReceiptHandleIsInvalid(`The input receipt handle "${handle}" is not a valid receipt handle.`);
}
