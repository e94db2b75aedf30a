import type { ServiceDefinition } from "./service.js";

// The services Terrarium implements, loaded on first use so that start-up does
// not grow with their number. A modelled service missing here still routes: its
// operations answer NotImplemented.

export const serviceLoaders: Record<string, () => Promise<ServiceDefinition<any>>> = {
  sts: async () => (await import("./sts/index.js")).default,
  iam: async () => (await import("./iam/index.js")).default,
  sqs: async () => (await import("./sqs/index.js")).default,
  sns: async () => (await import("./sns/index.js")).default,
  dynamodb: async () => (await import("./dynamodb/index.js")).default,
  dynamodbstreams: async () => (await import("./dynamodbstreams/index.js")).default,
  s3: async () => (await import("./s3/index.js")).default,
  logs: async () => (await import("./logs/index.js")).default,
  lambda: async () => (await import("./lambda/index.js")).createLambdaService(),
  events: async () => (await import("./events/index.js")).default,
  scheduler: async () => (await import("./scheduler/index.js")).default,
};
