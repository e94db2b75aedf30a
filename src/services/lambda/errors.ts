import { loadModel } from "../../models/load.js";
import { modelError } from "../../protocols/model-errors.js";
import type { ServiceError } from "../../protocols/service-error.js";

// Lambda's errors, from the model's shapes. AWS adds "Type": "User" to the body of
// every client error (the shapes have a Type member), so we do too.

export function lambdaError(shape: string, message: string, fields: Record<string, unknown> = {}): ServiceError {
  return modelError(loadModel("lambda"), shape, message, { Type: "User", ...fields });
}

export const invalidParameter = (message: string) => lambdaError("InvalidParameterValueException", message);
export const resourceNotFound = (message: string) => lambdaError("ResourceNotFoundException", message);
export const resourceConflict = (message: string) => lambdaError("ResourceConflictException", message);

/** "Function not found: arn:aws:lambda:us-east-1:000000000000:function:name[:qualifier]". */
export const functionNotFound = (arn: string) => resourceNotFound(`Function not found: ${arn}`);
