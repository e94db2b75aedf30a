import type {
  AddClientIDToOpenIDConnectProviderCommandInput,
  AddClientIDToOpenIDConnectProviderCommandOutput,
  CreateOpenIDConnectProviderCommandInput,
  CreateOpenIDConnectProviderCommandOutput,
  DeleteOpenIDConnectProviderCommandInput,
  DeleteOpenIDConnectProviderCommandOutput,
  GetOpenIDConnectProviderCommandInput,
  GetOpenIDConnectProviderCommandOutput,
  ListOpenIDConnectProviderTagsCommandInput,
  ListOpenIDConnectProviderTagsCommandOutput,
  ListOpenIDConnectProvidersCommandInput,
  ListOpenIDConnectProvidersCommandOutput,
  RemoveClientIDFromOpenIDConnectProviderCommandInput,
  RemoveClientIDFromOpenIDConnectProviderCommandOutput,
  TagOpenIDConnectProviderCommandInput,
  TagOpenIDConnectProviderCommandOutput,
  UntagOpenIDConnectProviderCommandInput,
  UntagOpenIDConnectProviderCommandOutput,
  UpdateOpenIDConnectProviderThumbprintCommandInput,
  UpdateOpenIDConnectProviderThumbprintCommandOutput,
} from "@aws-sdk/client-iam";
import { limit, validationError } from "../errors.js";
import type { OidcProviderRecord } from "../records.js";
import { ENTITY_TAGS, listResourceTags, requestTags, sortedTags, tagResource, untagResource, type TagTarget } from "../tags.js";
import { nowSeconds, type IamContext, type IamHandler } from "../types.js";

// OpenID Connect identity providers (arn:aws:iam::<account>:oidc-provider/<host/path>),
// the principals of web identity federation. Messages recorded against AWS:
// LocalStack test_iam_oidc.snapshot.json. Note AWS's two wordings for a missing
// provider: GetOpenIDConnectProvider's and DeleteOpenIDConnectProvider's.

const CLIENT_IDS = 100; // IAM quota ClientIdsPerOpenIdConnectProvider
const THUMBPRINTS = 5;

function requireProvider(ctx: IamContext, arn: string, forDelete = false): OidcProviderRecord {
  const provider = ctx.store.oidcProviders.get(arn);
  if (provider) return provider;
  throw ctx.errors.NoSuchEntityException(
    forDelete ? `OpenId connect Provider ${arn} cannot be found.` : `OpenIDConnect Provider not found for arn ${arn}`,
  );
}

function checkLists(ctx: IamContext, clientIds: string[], thumbprints: string[]): void {
  if (clientIds.length > CLIENT_IDS) throw limit.quota(ctx.errors, "ClientIdsPerOpenIdConnectProvider", CLIENT_IDS);
  if (thumbprints.length > THUMBPRINTS) throw ctx.errors.InvalidInputException("Thumbprint list must contain fewer than 5 entries.");
}

export const CreateOpenIDConnectProvider: IamHandler<CreateOpenIDConnectProviderCommandInput, CreateOpenIDConnectProviderCommandOutput> = (
  input,
  ctx,
) => {
  const url = input.Url!;
  if (!/^https:\/\/[^\s/]+/.test(url)) throw validationError("Invalid Open ID Connect Provider URL");
  const location = url.slice("https://".length).replace(/\/+$/, "");
  const arn = ctx.store.arn(`oidc-provider/${location}`);
  if (ctx.store.oidcProviders.has(arn)) throw ctx.errors.EntityAlreadyExistsException(`Provider with url ${url} already exists.`);
  const clientIds = [...new Set(input.ClientIDList ?? [])];
  const thumbprints = input.ThumbprintList ?? [];
  checkLists(ctx, clientIds, thumbprints);
  const tags = requestTags(ctx.errors, ENTITY_TAGS.oidcProvider, input.Tags);
  ctx.store.oidcProviders.put(arn, { Arn: arn, Url: location, ClientIDList: clientIds, ThumbprintList: thumbprints, CreateDate: nowSeconds(ctx), Tags: tags });
  return { OpenIDConnectProviderArn: arn, ...(tags.length > 0 ? { Tags: tags } : {}) };
};

export const GetOpenIDConnectProvider: IamHandler<GetOpenIDConnectProviderCommandInput, GetOpenIDConnectProviderCommandOutput> = (input, ctx) => {
  const p = requireProvider(ctx, input.OpenIDConnectProviderArn!);
  return { Url: p.Url, ClientIDList: p.ClientIDList, ThumbprintList: p.ThumbprintList, CreateDate: new Date(p.CreateDate), Tags: sortedTags(p.Tags) };
};

export const DeleteOpenIDConnectProvider: IamHandler<DeleteOpenIDConnectProviderCommandInput, DeleteOpenIDConnectProviderCommandOutput> = (
  input,
  ctx,
) => {
  ctx.store.oidcProviders.delete(requireProvider(ctx, input.OpenIDConnectProviderArn!, true).Arn);
  return {};
};

export const ListOpenIDConnectProviders: IamHandler<ListOpenIDConnectProvidersCommandInput, ListOpenIDConnectProvidersCommandOutput> = (
  _input,
  ctx,
) => ({ OpenIDConnectProviderList: ctx.store.oidcProviders.values().map((p) => ({ Arn: p.Arn })).sort((a, b) => (a.Arn < b.Arn ? -1 : 1)) });

function update(ctx: IamContext, arn: string, change: (p: OidcProviderRecord) => void): Record<string, never> {
  // A copy: the cached document changes only once the change is known to be valid.
  const provider = structuredClone(requireProvider(ctx, arn));
  change(provider);
  checkLists(ctx, provider.ClientIDList, provider.ThumbprintList);
  ctx.store.oidcProviders.put(provider.Arn, provider);
  return {};
}

export const AddClientIDToOpenIDConnectProvider: IamHandler<
  AddClientIDToOpenIDConnectProviderCommandInput,
  AddClientIDToOpenIDConnectProviderCommandOutput
> = (input, ctx) =>
  update(ctx, input.OpenIDConnectProviderArn!, (p) => {
    if (!p.ClientIDList.includes(input.ClientID!)) p.ClientIDList.push(input.ClientID!);
  });

export const RemoveClientIDFromOpenIDConnectProvider: IamHandler<
  RemoveClientIDFromOpenIDConnectProviderCommandInput,
  RemoveClientIDFromOpenIDConnectProviderCommandOutput
> = (input, ctx) => update(ctx, input.OpenIDConnectProviderArn!, (p) => (p.ClientIDList = p.ClientIDList.filter((c) => c !== input.ClientID)));

export const UpdateOpenIDConnectProviderThumbprint: IamHandler<
  UpdateOpenIDConnectProviderThumbprintCommandInput,
  UpdateOpenIDConnectProviderThumbprintCommandOutput
> = (input, ctx) => update(ctx, input.OpenIDConnectProviderArn!, (p) => (p.ThumbprintList = input.ThumbprintList ?? []));

const PROVIDER: TagTarget<OidcProviderRecord> = {
  rules: ENTITY_TAGS.oidcProvider,
  require: (ctx, arn) => requireProvider(ctx, arn),
  save: (ctx, provider) => ctx.store.oidcProviders.put(provider.Arn, provider),
};

export const TagOpenIDConnectProvider: IamHandler<TagOpenIDConnectProviderCommandInput, TagOpenIDConnectProviderCommandOutput> = (i, ctx) =>
  tagResource(ctx, PROVIDER, i.OpenIDConnectProviderArn!, i.Tags);

export const UntagOpenIDConnectProvider: IamHandler<UntagOpenIDConnectProviderCommandInput, UntagOpenIDConnectProviderCommandOutput> = (i, ctx) =>
  untagResource(ctx, PROVIDER, i.OpenIDConnectProviderArn!, i.TagKeys);

export const ListOpenIDConnectProviderTags: IamHandler<ListOpenIDConnectProviderTagsCommandInput, ListOpenIDConnectProviderTagsCommandOutput> = (
  i,
  ctx,
) => listResourceTags(ctx, PROVIDER, i.OpenIDConnectProviderArn!, i);
