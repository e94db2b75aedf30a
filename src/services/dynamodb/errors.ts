import { loadModel } from "../../models/load.js";
import { errorsOf } from "../../protocols/model-errors.js";
import { ServiceError } from "../../protocols/service-error.js";
import { ExpressionError } from "../../engines/dynamodb/index.js";

// DynamoDB's errors. ValidationException is Coral's generic error (not in the
// model); the rest come from the model's shapes. Messages as AWS words them
// (recorded in dynalite's validations/ and db/index.js, and the API reference).

const errors = () => errorsOf(loadModel("dynamodb"));

export const INVALID = "One or more parameter values were invalid: ";

export function validation(message: string): ServiceError {
  return new ServiceError("ValidationException", message, { status: 400 });
}

/** Runs `f`, turning the expression engine's errors into ValidationExceptions. */
export function expressions<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ExpressionError) throw validation(e.message);
    throw e;
  }
}

/** Data-plane operations on a table that does not exist. */
export function resourceNotFound(): ServiceError {
  return errors().ResourceNotFoundException("Requested resource not found");
}

/** DescribeTable, DeleteTable, UpdateTable, DescribeTimeToLive name the table. */
export function tableNotFound(name: string): ServiceError {
  return errors().ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`);
}

/** The tagging operations name the ARN, with AWS's own typo. */
export function arnNotFound(arn: string): ServiceError {
  return errors().ResourceNotFoundException(`Requested resource not found: ResourcArn: ${arn} not found`);
}

export function resourceInUse(message: string): ServiceError {
  return errors().ResourceInUseException(message);
}

export function limitExceeded(message: string): ServiceError {
  return errors().LimitExceededException(message);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): ServiceError {
  return errors().ConditionalCheckFailedException("The conditional request failed", item ? { Item: item } : undefined);
}

export function transactionCanceled(reasons: { Code: string; Message?: string; Item?: unknown }[]): ServiceError {
  return errors().TransactionCanceledException(
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
    { CancellationReasons: reasons },
  );
}

export function idempotentParameterMismatch(): ServiceError {
  return errors().IdempotentParameterMismatchException(
    "Request with same client token was made with different parameters. Please use a different client token.",
  );
}
