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

// The connection and API destination messages are those AWS answers (as LocalStack's
// snapshot tests against AWS record them).
export function connectionNotFound(name: string): ServiceError {
  return eventsErrors().ResourceNotFoundException(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
}

export function apiDestinationNotFound(name: string): ServiceError {
  return eventsErrors().ResourceNotFoundException(`Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
}
