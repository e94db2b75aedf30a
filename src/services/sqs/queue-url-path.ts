import { loadModel } from "../../models/load.js";

// SQS's query API addresses a queue by the request itself: a client may POST
// Action=SendMessage to the queue's URL (https://sqs.<region>.amazonaws.com/<account>/<name>)
// without a QueueUrl parameter, as AWS's query API examples do. The queue URL is
// then the request's own, made from its Host and path.

const takesQueueUrl = new Map<string, boolean>();

export function queueUrlFromPath(operation: string, input: Record<string, unknown>, http: { host?: string; path?: string }): void {
  if (input.QueueUrl !== undefined || !http.path || http.path === "/" || !hasQueueUrl(operation)) return;
  const path = http.path.endsWith("/") ? http.path.slice(0, -1) : http.path;
  input.QueueUrl = `http://${http.host ?? "localhost"}${path}`;
}

function hasQueueUrl(operation: string): boolean {
  let takes = takesQueueUrl.get(operation);
  if (takes === undefined) {
    const model = loadModel("sqs");
    const shape = model.operations[operation]?.input?.shape;
    takes = shape !== undefined && model.shapes[shape]?.members?.QueueUrl !== undefined;
    takesQueueUrl.set(operation, takes);
  }
  return takes;
}
