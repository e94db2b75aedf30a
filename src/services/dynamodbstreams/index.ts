import { defineService } from "../service.js";
import * as handlers from "./handlers.js";
import { StreamsStore } from "./store.js";

// DynamoDB Streams: the change records of tables with a StreamSpecification,
// written by the dynamodb service in the same SQLite transaction as the item
// (src/services/dynamodb/stream-log.ts) and read here. One shard per stream;
// records are kept 24 hours on Terrarium's clock; iterators live 15 minutes.
//
// Consuming a stream from inside Terrarium (the Lambda event source mapping):
// poll through this service's own handlers, as a client would, with ctx.invoke:
//
//   const { StreamDescription } = await ctx.invoke("dynamodbstreams", "DescribeStream", { StreamArn }, scope);
//   let it = (await ctx.invoke("dynamodbstreams", "GetShardIterator", {
//     StreamArn, ShardId: StreamDescription.Shards[0].ShardId, ShardIteratorType: "TRIM_HORIZON" | "LATEST",
//   }, scope)).ShardIterator;
//   // then on a timer (ctx.clock.after): GetRecords { ShardIterator: it, Limit: BatchSize }, hand the
//   // Records to the function, and continue from NextShardIterator (absent once a closed shard is drained;
//   // re-describe the table's LatestStreamArn then). Keep the last SequenceNumber processed to resume
//   // with AFTER_SEQUENCE_NUMBER after a restart or an ExpiredIteratorException.
//
// The table's stream ARN is DescribeTable's LatestStreamArn (dynamodb service).

export default defineService({
  name: "dynamodbstreams",
  scope: "region",
  createStore: (scope) => new StreamsStore(scope),
  handlers: { ...handlers },
});
