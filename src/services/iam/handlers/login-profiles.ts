import type {
  CreateLoginProfileCommandInput,
  CreateLoginProfileCommandOutput,
  DeleteLoginProfileCommandInput,
  DeleteLoginProfileCommandOutput,
  GetLoginProfileCommandInput,
  GetLoginProfileCommandOutput,
  UpdateLoginProfileCommandInput,
  UpdateLoginProfileCommandOutput,
} from "@aws-sdk/client-iam";
import { exists, noSuch } from "../errors.js";
import { userForKeys } from "../lookups.js";
import type { UserRecord } from "../records.js";
import { keyOf } from "../store.js";
import { nowSeconds, type IamContext, type IamHandler } from "../types.js";

// Console passwords. Terrarium has no console: it keeps that a user has one (which
// blocks DeleteUser, as on AWS) and whether it must be reset, never the password.
// Messages recorded against AWS: test_iam_users.snapshot.json, TestUserLoginProfile.

function requireProfile(ctx: IamContext, user: UserRecord) {
  if (!user.LoginProfile) throw noSuch.loginProfile(ctx.errors, user.UserName);
  return user.LoginProfile;
}

function view(user: UserRecord) {
  const profile = user.LoginProfile!;
  return { UserName: user.UserName, CreateDate: new Date(profile.CreateDate), PasswordResetRequired: profile.PasswordResetRequired };
}

export const CreateLoginProfile: IamHandler<CreateLoginProfileCommandInput, CreateLoginProfileCommandOutput> = (input, ctx) => {
  const user = userForKeys(ctx, input.UserName);
  if (user.LoginProfile) throw exists.loginProfile(ctx.errors, user.UserName);
  user.LoginProfile = { CreateDate: nowSeconds(ctx), PasswordResetRequired: input.PasswordResetRequired ?? false };
  ctx.store.users.put(keyOf(user.UserName), user);
  return { LoginProfile: view(user) };
};

export const GetLoginProfile: IamHandler<GetLoginProfileCommandInput, GetLoginProfileCommandOutput> = (input, ctx) => {
  const user = userForKeys(ctx, input.UserName);
  requireProfile(ctx, user);
  return { LoginProfile: view(user) };
};

export const UpdateLoginProfile: IamHandler<UpdateLoginProfileCommandInput, UpdateLoginProfileCommandOutput> = (input, ctx) => {
  const user = userForKeys(ctx, input.UserName);
  const profile = requireProfile(ctx, user);
  if (input.PasswordResetRequired !== undefined) profile.PasswordResetRequired = input.PasswordResetRequired;
  ctx.store.users.put(keyOf(user.UserName), user);
  return {};
};

export const DeleteLoginProfile: IamHandler<DeleteLoginProfileCommandInput, DeleteLoginProfileCommandOutput> = (input, ctx) => {
  const user = userForKeys(ctx, input.UserName);
  requireProfile(ctx, user);
  delete user.LoginProfile;
  ctx.store.users.put(keyOf(user.UserName), user);
  return {};
};
