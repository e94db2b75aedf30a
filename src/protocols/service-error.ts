// A service error as handlers throw it; codecs render it in the request's protocol.
// Handlers never build wire error bodies: they throw ServiceError (usually through the
// model-derived constructors in errors.ts) and the codec does the rest.

export class ServiceError extends Error {
  /** The error code as the wire shows it (`__type`, `<Code>`), e.g. "ResourceNotFoundException". */
  readonly code: string;
  readonly status: number;
  /** Sender (client) or Receiver (server) fault, for query's `<Type>` and the query-compatible header. */
  readonly senderFault: boolean;
  /** Extra members of the error shape (e.g. CancellationReasons), serialized beside the message. */
  readonly fields: Record<string, unknown>;
  /** The model's shape name of this error, when it has one (codecs use it to find member traits). */
  readonly shapeName?: string;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    message: string,
    options: {
      status?: number;
      senderFault?: boolean;
      fields?: Record<string, unknown>;
      shapeName?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = "ServiceError";
    this.code = code;
    this.status = options.status ?? 400;
    this.senderFault = options.senderFault ?? this.status < 500;
    this.fields = options.fields ?? {};
    this.shapeName = options.shapeName;
    this.headers = options.headers ?? {};
  }
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
