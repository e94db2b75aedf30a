import type { UserRecord } from "./records.js";
import type { IamContext } from "./types.js";

// Users' long-term access keys in the server's access key registry, so requests
// signed with them run as the user, in this account (GetCallerIdentity answers the
// user's ARN and UserId).

/** (Re-)registers the user's keys under its current ARN, e.g. after UpdateUser renamed it. */
export function registerUserKeys(ctx: IamContext, user: UserRecord): void {
  for (const key of user.AccessKeys) {
    ctx.accessKeys.register({
      accessKeyId: key.AccessKeyId,
      secretAccessKey: key.SecretAccessKey,
      account: ctx.account,
      arn: user.Arn,
      userId: user.UserId,
    });
  }
}
