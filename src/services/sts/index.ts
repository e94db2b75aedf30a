import { defineService } from "../service.js";
import * as assumeRole from "./handlers/assume-role.js";
import * as federation from "./handlers/federation.js";
import * as identity from "./handlers/identity.js";
import * as messages from "./handlers/messages.js";
import * as sessionTokens from "./handlers/session-tokens.js";
import type { StsStore } from "./types.js";

// STS: a global service. It keeps no state of its own: the credentials it issues
// live in the server's access key registry. GetDelegatedAccessToken is not
// implemented (it redeems trade-in tokens that Terrarium never issues).

export default defineService<StsStore>({
  name: "sts",
  scope: "account",
  createStore: () => ({}),
  handlers: { ...identity, ...assumeRole, ...federation, ...sessionTokens, ...messages },
});
