import { defineService } from "../service.js";
import * as accessKeys from "./handlers/access-keys.js";
import * as account from "./handlers/account.js";
import * as accountAliases from "./handlers/account-aliases.js";
import * as attachments from "./handlers/attachments.js";
import * as groups from "./handlers/groups.js";
import * as inlinePolicies from "./handlers/inline-policies.js";
import * as instanceProfiles from "./handlers/instance-profiles.js";
import * as loginProfiles from "./handlers/login-profiles.js";
import * as managedPolicies from "./handlers/managed-policies.js";
import * as oidcProviders from "./handlers/oidc-providers.js";
import * as passwordPolicy from "./handlers/password-policy.js";
import * as permissionsBoundaries from "./handlers/permissions-boundaries.js";
import * as policyVersions from "./handlers/policy-versions.js";
import * as roles from "./handlers/roles.js";
import * as serviceLinkedRoles from "./handlers/service-linked-roles.js";
import * as tags from "./handlers/tags.js";
import * as users from "./handlers/users.js";
import { createIamStore } from "./store.js";

// IAM: one state per account (a global service). Handler modules export only
// operations, under their AWS names.

export default defineService({
  name: "iam",
  scope: "account",
  createStore: createIamStore,
  handlers: {
    ...users,
    ...groups,
    ...roles,
    ...serviceLinkedRoles,
    ...managedPolicies,
    ...policyVersions,
    ...attachments,
    ...inlinePolicies,
    ...instanceProfiles,
    ...accessKeys,
    ...loginProfiles,
    ...permissionsBoundaries,
    ...tags,
    ...account,
    ...accountAliases,
    ...passwordPolicy,
    ...oidcProviders,
  },
});
