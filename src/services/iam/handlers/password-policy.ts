import type {
  DeleteAccountPasswordPolicyCommandInput,
  DeleteAccountPasswordPolicyCommandOutput,
  GetAccountPasswordPolicyCommandInput,
  GetAccountPasswordPolicyCommandOutput,
  UpdateAccountPasswordPolicyCommandInput,
  UpdateAccountPasswordPolicyCommandOutput,
} from "@aws-sdk/client-iam";
import type { IamHandler } from "../types.js";

// The account's password policy. UpdateAccountPasswordPolicy sets every member,
// left-out ones to their defaults (minimum length 6, nothing required). Answers and
// messages recorded against AWS: LocalStack test_iam_account_password_policy.snapshot.json.

const ACCOUNT = "account";

export const UpdateAccountPasswordPolicy: IamHandler<UpdateAccountPasswordPolicyCommandInput, UpdateAccountPasswordPolicyCommandOutput> = (
  input,
  ctx,
) => {
  const policy = {
    MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
    RequireSymbols: input.RequireSymbols ?? false,
    RequireNumbers: input.RequireNumbers ?? false,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    ...(input.MaxPasswordAge ? { MaxPasswordAge: input.MaxPasswordAge } : {}),
    ...(input.PasswordReusePrevention ? { PasswordReusePrevention: input.PasswordReusePrevention } : {}),
    ...(input.HardExpiry !== undefined ? { HardExpiry: input.HardExpiry } : {}),
  };
  ctx.store.settings.put(ACCOUNT, { ...ctx.store.settings.get(ACCOUNT), PasswordPolicy: policy });
  return {};
};

export const GetAccountPasswordPolicy: IamHandler<GetAccountPasswordPolicyCommandInput, GetAccountPasswordPolicyCommandOutput> = (_input, ctx) => {
  const policy = ctx.store.settings.get(ACCOUNT)?.PasswordPolicy;
  if (!policy) throw ctx.errors.NoSuchEntityException(`The Password Policy with domain name ${ctx.account} cannot be found.`);
  return { PasswordPolicy: { ...policy, ExpirePasswords: (policy.MaxPasswordAge ?? 0) > 0 } };
};

export const DeleteAccountPasswordPolicy: IamHandler<DeleteAccountPasswordPolicyCommandInput, DeleteAccountPasswordPolicyCommandOutput> = (
  _input,
  ctx,
) => {
  const settings = ctx.store.settings.get(ACCOUNT);
  if (!settings?.PasswordPolicy) throw ctx.errors.NoSuchEntityException("The account policy with name PasswordPolicy cannot be found.");
  ctx.store.settings.put(ACCOUNT, { ...settings, PasswordPolicy: undefined });
  return {};
};
