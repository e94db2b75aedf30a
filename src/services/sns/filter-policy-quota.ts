// Which subscriptions hold a filter policy, per topic and in all, for SNS's quota
// ("Filter policy constraints in Amazon SNS": by default up to 200 filter policies per
// topic and 10,000 per account; the limit does not stop a subscription from being
// created, but attaching one more policy fails). Counted per account and region, as
// SNS's quotas are.

export class FilterPolicyQuota {
  private readonly byTopic = new Map<string, Set<string>>();
  private readonly all = new Set<string>();

  constructor(
    readonly perTopic: number,
    readonly perAccount: number,
  ) {}

  /** Records whether a subscription holds a policy now. */
  set(topicArn: string, subscriptionArn: string, hasPolicy: boolean): void {
    if (!hasPolicy) return this.remove(topicArn, subscriptionArn);
    let holders = this.byTopic.get(topicArn);
    if (!holders) this.byTopic.set(topicArn, (holders = new Set()));
    holders.add(subscriptionArn);
    this.all.add(subscriptionArn);
  }

  remove(topicArn: string, subscriptionArn: string): void {
    const holders = this.byTopic.get(topicArn);
    if (holders?.delete(subscriptionArn) && holders.size === 0) this.byTopic.delete(topicArn);
    this.all.delete(subscriptionArn);
  }

  /**
   * Which limit one more policy would cross ("topic" or "account"), or undefined when
   * it fits. A subscription that already holds a policy only replaces it.
   */
  exceededBy(topicArn: string, subscriptionArn: string | undefined): "topic" | "account" | undefined {
    if (subscriptionArn !== undefined && this.all.has(subscriptionArn)) return undefined;
    if ((this.byTopic.get(topicArn)?.size ?? 0) >= this.perTopic) return "topic";
    if (this.all.size >= this.perAccount) return "account";
    return undefined;
  }
}
