import type { ProtocolName } from "../models/types.js";
import { awsJsonCodec } from "./aws-json.js";
import { awsQueryCodec } from "./aws-query.js";
import type { ProtocolCodec } from "./codec.js";
import { restJsonCodec } from "./rest-json.js";
import { restXmlCodec } from "./rest-xml.js";
import { rpcV2CborCodec } from "./rpc-v2-cbor.js";

const codecs: Record<ProtocolName, ProtocolCodec | undefined> = {
  json: awsJsonCodec,
  query: awsQueryCodec,
  "rest-json": restJsonCodec,
  "rest-xml": restXmlCodec,
  "smithy-rpc-v2-cbor": rpcV2CborCodec,
  ec2: undefined,
};

export function codecFor(protocol: ProtocolName): ProtocolCodec {
  const codec = codecs[protocol];
  if (!codec) throw new Error(`no codec for protocol ${protocol}`);
  return codec;
}
