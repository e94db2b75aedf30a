/**
 * A rejected expression or value. The message is AWS's exact text; the
 * DynamoDB service wraps it as a ValidationException (prefixing
 * "Invalid UpdateExpression: " and the like where AWS does).
 */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
}
