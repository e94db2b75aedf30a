import { loadModel } from "../../models/load.js";
import { modelError } from "../../protocols/model-errors.js";
import type { ServiceError } from "../../protocols/service-error.js";

// CloudWatch Logs errors, from the model's shapes, with the messages AWS uses.

export function logsError(shape: string, message: string): ServiceError {
  return modelError(loadModel("logs"), shape, message);
}

export const invalidParameter = (message: string) => logsError("InvalidParameterException", message);
export const groupNotFound = () => logsError("ResourceNotFoundException", "The specified log group does not exist.");
export const streamNotFound = () => logsError("ResourceNotFoundException", "The specified log stream does not exist.");
export const groupExists = () => logsError("ResourceAlreadyExistsException", "The specified log group already exists");
export const streamExists = () => logsError("ResourceAlreadyExistsException", "The specified log stream already exists");
