// Lambda quotas (Lambda developer guide, "Lambda quotas").
export const LambdaLimits = {
  /** The default account limit per region (Config.lambdaConcurrentExecutions overrides it). */
  concurrentExecutions: 1000,
  /** Unreserved concurrency may not go below this, or below the whole account limit when
   *  that is smaller: accounts limited to 10 or 50 see "[10]" and "[50]" in the error. */
  minimumUnreserved: 100,
  syncPayloadBytes: 6 * 1024 * 1024,
  asyncPayloadBytes: 256 * 1024,
  zippedCodeBytes: 50 * 1024 * 1024,
  unzippedCodeBytes: 262_144_000,
  totalCodeBytes: 80_530_636_800,
  maxTimeout: 900,
  maxEnvironmentBytes: 4096,
  maxLayers: 5,
  /** Tail of the log returned with LogType=Tail. */
  logTailBytes: 4096,
  defaultMaxItems: 50,
  defaultMaximumRetryAttempts: 2,
  defaultMaximumEventAgeSeconds: 21_600,
} as const;
