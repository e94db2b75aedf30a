import type { DocumentStore, Collection } from "./documents.js";

// Which account and principal an access key belongs to. STS registers the
// temporary keys it issues and IAM the users' keys, so a request signed with
// either is attributed to the right account. Unknown keys: a 12-digit key id is
// the account itself (LocalStack's convention), anything else the default account.

export interface Principal {
  account: string;
  arn: string;
  /** UserId as GetCallerIdentity reports it. */
  userId: string;
}

export interface AccessKeyRecord extends Principal {
  accessKeyId: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Epoch ms; temporary credentials expire. */
  expiration?: number;
  /** The service that issued the key (set by issuedBy), so resetting it revokes its keys. */
  issuer?: string;
}

export class AccessKeyRegistry {
  private keys: Collection<AccessKeyRecord> | undefined;

  constructor(
    private readonly documents: DocumentStore,
    private readonly defaultAccount: string,
  ) {}

  private collection(): Collection<AccessKeyRecord> {
    return (this.keys ??= this.documents.collection<AccessKeyRecord>("_core", "global", "global", "access-keys"));
  }

  register(record: AccessKeyRecord): void {
    this.collection().put(record.accessKeyId, record);
  }

  /** The registry as one service sees it: keys it registers are marked as its own. */
  issuedBy(service: string): AccessKeyRegistry {
    const registry = Object.create(this) as AccessKeyRegistry;
    registry.register = (record) => this.register({ ...record, issuer: service });
    return registry;
  }

  /** Forgets every key a service issued (that service was reset). */
  revokeIssuedBy(service: string): void {
    const keys = this.collection();
    for (const [id, record] of keys.entries()) if (record.issuer === service) keys.delete(id);
  }

  revoke(accessKeyId: string): void {
    this.collection().delete(accessKeyId);
  }

  lookup(accessKeyId: string): AccessKeyRecord | undefined {
    return this.collection().get(accessKeyId);
  }

  accountOf(accessKeyId: string | undefined): string {
    if (!accessKeyId) return this.defaultAccount;
    const known = this.collection().get(accessKeyId);
    if (known) return known.account;
    return /^\d{12}$/.test(accessKeyId) ? accessKeyId : this.defaultAccount;
  }

  principalOf(accessKeyId: string | undefined): Principal {
    const known = accessKeyId ? this.collection().get(accessKeyId) : undefined;
    if (known) return { account: known.account, arn: known.arn, userId: known.userId };
    const account = this.accountOf(accessKeyId);
    return { account, arn: `arn:aws:iam::${account}:root`, userId: account };
  }

  /** Forget every key (reset of everything). */
  clear(): void {
    this.keys = undefined;
  }
}
