import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import { ACCOUNT, queryAnswer } from "./canned.js";
import type { RawRequest, Workload, WorkloadContext } from "./types.js";

// STS GetCallerIdentity: the smallest AWS call there is (query protocol, no
// state), so it measures the cost of the edge itself: HTTP, routing, codec.

const raw: RawRequest = {
  method: "POST",
  path: "/",
  headers: {
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    ...sigV4Headers("sts"),
  },
  body: "Action=GetCallerIdentity&Version=2011-06-15",
};

function calls(ctx: WorkloadContext) {
  const client = new STSClient(sdkConfig(ctx));
  return { call: () => client.send(new GetCallerIdentityCommand({})), close: () => client.destroy() };
}

export const sts: Workload = {
  name: "sts",
  title: "STS GetCallerIdentity",
  service: "sts",
  rawExpect: /<GetCallerIdentityResult>[\s\S]*<Arn>arn:aws:/,
  cpuVsBareTarget: 2,
  async prepare(ctx) {
    return { ...calls(ctx), raw };
  },
  ceilingRequest: () => raw,
  ceilingSdk: {
    answers: [
      queryAnswer(
        "GetCallerIdentity",
        "https://sts.amazonaws.com/doc/2011-06-15/",
        `<UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account><Arn>arn:aws:iam::${ACCOUNT}:root</Arn>`,
      ),
    ],
    prepare: calls,
  },
};
