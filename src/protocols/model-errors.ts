import type { ServiceModel } from "../models/types.js";
import { ServiceError } from "./service-error.js";

// Service errors built from the model's error shapes, so the code, HTTP status and
// fault come from AWS's definition, never from a handler's memory:
//   const errors = errorsOf(model);
//   throw errors.NoSuchEntityException("The role with name x cannot be found.");

export type ErrorConstructor = (message: string, fields?: Record<string, unknown>) => ServiceError;
export type ErrorConstructors = Record<string, ErrorConstructor>;

/**
 * The error of the model's shape `shapeName`. Pure query services (IAM, STS, SNS,
 * CloudFormation) go by the shape's `error.code` ("NoSuchEntity" for
 * NoSuchEntityException); every other service by the shape name, and codecs
 * that answer in query for a query-compatible service derive the query code
 * from `shapeName`.
 */
export function modelError(
  model: ServiceModel,
  shapeName: string,
  message: string,
  fields?: Record<string, unknown>,
): ServiceError {
  const shape = model.shapes[shapeName];
  if (!shape?.exception) {
    // A typo here is a bug in a handler: fail loudly in its tests.
    throw new Error(`${model.metadata.serviceId ?? "model"} has no error shape ${shapeName}`);
  }
  const trait = shape.error ?? {};
  const queryOnly = model.metadata.protocol === "query" || model.metadata.protocol === "ec2";
  const code = queryOnly ? (trait.code ?? shapeName) : shapeName;
  const status = trait.httpStatusCode ?? (shape.fault ? 500 : 400);
  const senderFault = shape.fault ? false : (trait.senderFault ?? status < 500);
  return new ServiceError(code, message, { status, senderFault, fields, shapeName });
}

const cache = new WeakMap<ServiceModel, ErrorConstructors>();

/** One constructor per error shape of the model, keyed by shape name. */
export function errorsOf(model: ServiceModel): ErrorConstructors {
  let errors = cache.get(model);
  if (!errors) {
    errors = {};
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.exception) errors[name] = (message, fields) => modelError(model, name, message, fields);
    }
    errors = Object.freeze(errors);
    cache.set(model, errors);
  }
  return errors;
}
