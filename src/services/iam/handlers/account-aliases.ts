import type {
  CreateAccountAliasCommandInput,
  CreateAccountAliasCommandOutput,
  DeleteAccountAliasCommandInput,
  DeleteAccountAliasCommandOutput,
  ListAccountAliasesCommandInput,
  ListAccountAliasesCommandOutput,
} from "@aws-sdk/client-iam";
import type { IamHandler } from "../types.js";

// The account alias (at most one per account, IAM API Reference, ListAccountAliases).
// Creating one replaces the previous alias, as renaming the sign-in alias does.

const ACCOUNT = "account";

export const CreateAccountAlias: IamHandler<CreateAccountAliasCommandInput, CreateAccountAliasCommandOutput> = (input, ctx) => {
  ctx.store.settings.put(ACCOUNT, { ...ctx.store.settings.get(ACCOUNT), AccountAlias: input.AccountAlias! });
  return {};
};

export const DeleteAccountAlias: IamHandler<DeleteAccountAliasCommandInput, DeleteAccountAliasCommandOutput> = (input, ctx) => {
  const settings = ctx.store.settings.get(ACCOUNT);
  if (settings?.AccountAlias !== input.AccountAlias) {
    throw ctx.errors.NoSuchEntityException(`The account alias ${input.AccountAlias} cannot be found.`);
  }
  ctx.store.settings.put(ACCOUNT, { ...settings, AccountAlias: undefined });
  return {};
};

export const ListAccountAliases: IamHandler<ListAccountAliasesCommandInput, ListAccountAliasesCommandOutput> = (_input, ctx) => {
  const alias = ctx.store.settings.get(ACCOUNT)?.AccountAlias;
  return { AccountAliases: alias ? [alias] : [], IsTruncated: false };
};
