import { loadModel } from "../../models/load.js";
import { errorsOf } from "../../protocols/model-errors.js";
import type { ServiceError } from "../../protocols/service-error.js";

// EventBridge errors from the model's shapes, with AWS's messages.

export const eventsErrors = () => errorsOf(loadModel("events"));

export function validation(message: string): ServiceError {
  return eventsErrors().ValidationException(message);
}

export function ruleNotFound(rule: string, bus: string): ServiceError {
  return eventsErrors().ResourceNotFoundException(`Rule ${rule} does not exist on EventBus ${bus}.`);
}

export function busNotFound(bus: string): ServiceError {
  return eventsErrors().ResourceNotFoundException(`Event bus ${bus} does not exist.`);
}

export function invalidPattern(reason: string): ServiceError {
  return eventsErrors().InvalidEventPatternException(`Event pattern is not valid. Reason: ${reason}`);
}
