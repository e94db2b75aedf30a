import { defineService } from "../service.js";
import { AssumeRole, AssumeRoleWithWebIdentity } from "./handlers/assume-role.js";
import { GetAccessKeyInfo, GetCallerIdentity } from "./handlers/identity.js";
import { GetFederationToken, GetSessionToken } from "./handlers/session-tokens.js";

// STS keeps no state of its own: issued keys live in the shared access-key registry.
export default defineService({
  name: "sts",
  scope: "account",
  createStore: () => undefined,
  handlers: { GetCallerIdentity, GetAccessKeyInfo, AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken, GetFederationToken },
});
