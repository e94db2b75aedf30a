import { loadModel } from "../../models/load.js";
import { errorsOf } from "../../protocols/model-errors.js";
import type { ServiceError } from "../../protocols/service-error.js";

// EventBridge Scheduler errors from the model's shapes, with AWS's messages.

export const schedulerErrors = () => errorsOf(loadModel("scheduler"));

export function validation(message: string): ServiceError {
  return schedulerErrors().ValidationException(message);
}

export function scheduleNotFound(name: string): ServiceError {
  return schedulerErrors().ResourceNotFoundException(`Schedule ${name} does not exist.`);
}

export function groupNotFound(name: string): ServiceError {
  return schedulerErrors().ResourceNotFoundException(`Schedule group ${name} does not exist.`);
}
