import type { Clock } from "../../platform/clock.js";
import type { Collection } from "../../storage/documents.js";
import type { Invoke, StoreScope } from "../service.js";
import { type Pattern } from "../../engines/event-patterns/index.js";
import { checkArnParameter, snsErrors, subscriptionNotFound, topicNotFound } from "./errors.js";
import { FilterPolicyQuota } from "./filter-policy-quota.js";
import { SnsLimits } from "./limits.js";
import type { OutboxRecord, SubscriptionRecord, TopicRecord } from "./records.js";
import { Signer, type SigningKey } from "./signing.js";
import { compileFilterPolicy } from "./filter-policy.js";
import { DeliveryThrottle } from "./delivery-throttle.js";

// One account and region's topics and subscriptions (documents, cached in memory),
// with the indexes Publish needs: subscriptions by topic and their compiled filter
// policies. Also the outbox of email/SMS/push messages and the FIFO dedup window.

export class SnsStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  readonly invoke: Invoke;
  readonly signer: Signer;
  /** The pace of HTTP/S deliveries per subscription (in memory). */
  readonly throttle = new DeliveryThrottle();
  /** Email, SMS and push messages "sent", kept as documents so a restart keeps them. */
  private readonly outboxDocs: Collection<OutboxRecord>;
  private outboxSeq = 0;
  private readonly topics: Collection<TopicRecord>;
  private readonly subscriptions: Collection<SubscriptionRecord>;
  private readonly byTopic = new Map<string, Set<string>>();
  private readonly filters = new Map<string, Pattern | undefined>();
  private readonly filterQuota = new FilterPolicyQuota(SnsLimits.filterPoliciesPerTopic, SnsLimits.filterPoliciesPerAccount);
  /** Subscriptions pending confirmation in the order they expire (SNS deletes them 48
   *  hours after Subscribe): expired ones leave from the head when subscriptions are read. */
  private unconfirmed: { arn: string; expires: number }[] = [];
  private unconfirmedHead = 0;
  /** Unsubscribed http/https subscriptions by their token, which an UnsubscribeConfirmation
   *  carries to restore them (in memory: a restart forgets them). */
  private readonly unsubscribed = new Map<string, SubscriptionRecord>();
  /** FIFO topics: deduplication id -> [message id, sequence number, expiry]. */
  private readonly dedup = new Map<string, { messageId: string; sequenceNumber: string; expires: number }>();
  /** The same keys in the order they were set, which is the order they expire (the
   *  window is fixed): expired ones leave from its head, with no scan of the Map. */
  private dedupOrder: string[] = [];
  private dedupHead = 0;
  private sequence = 0n;
  /** One transaction wrapper, made once (better-sqlite3 builds a function per call of db.transaction). */
  private readonly transaction: (fn: () => unknown) => unknown;
  private readonly db: StoreScope["db"];

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.invoke = scope.invoke;
    this.db = scope.db;
    this.transaction = scope.db.transaction((fn: () => unknown) => fn());
    this.topics = scope.documents.collection<TopicRecord>(scope.service, scope.account, scope.region, "topics");
    this.subscriptions = scope.documents.collection<SubscriptionRecord>(scope.service, scope.account, scope.region, "subscriptions");
    for (const sub of this.subscriptions.values()) this.index(sub);
    const pending = this.subscriptions.values().filter((s) => s.pendingConfirmation && s.pendingSince !== undefined);
    for (const sub of pending.sort((a, b) => a.pendingSince! - b.pendingSince!)) this.expireUnconfirmedAfter(sub);
    this.outboxDocs = scope.documents.collection<OutboxRecord>(scope.service, scope.account, scope.region, "outbox");
    for (const [id] of this.outboxDocs.entries()) this.outboxSeq = Math.max(this.outboxSeq, Number(id));
    // The signing key too: messages already in queues stay verifiable after a restart.
    const keys = scope.documents.collection<SigningKey>(scope.service, scope.account, scope.region, "signingKey");
    this.signer = new Signer(keys.get("key"), (key) => keys.put("key", key));
  }

  /** Runs `fn`'s writes (its own, and those of the services it invokes synchronously)
   *  as one SQLite transaction: a publish fanned out to queues commits once. */
  atomically<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.transaction(fn) as T;
  }

  /** Email, SMS and push messages "sent", oldest first. */
  get outbox(): OutboxRecord[] {
    return this.outboxDocs.values();
  }

  /** Records a message SNS would have sent to an email address, a phone or a device. */
  send(record: OutboxRecord): void {
    // Zero-padded ids: the documents load in id order, which is send order.
    this.outboxDocs.put(String(++this.outboxSeq).padStart(12, "0"), record);
  }

  topicArn(name: string): string {
    return `arn:aws:sns:${this.region}:${this.account}:${name}`;
  }

  topic(name: string): TopicRecord | undefined {
    return this.topics.get(name);
  }

  /** The topic an ARN names in this account and region. */
  topicByArn(arn: string | undefined): TopicRecord | undefined {
    if (!arn) return undefined;
    const parts = arn.split(":");
    if (parts.length !== 6 || parts[2] !== "sns" || parts[3] !== this.region || parts[4] !== this.account) return undefined;
    return this.topics.get(parts[5]);
  }

  /** `member`: the parameter that named it, for the error of a malformed ARN. */
  requireTopic(arn: string | undefined, member = "TopicArn"): TopicRecord {
    checkArnParameter(member, arn);
    const topic = this.topicByArn(arn);
    if (!topic) throw topicNotFound();
    return topic;
  }

  allTopics(): TopicRecord[] {
    return [...this.topics.values()];
  }

  saveTopic(topic: TopicRecord): void {
    this.topics.put(topic.name, topic);
  }

  deleteTopic(topic: TopicRecord): void {
    for (const sub of this.subscriptionsOf(topic.arn)) this.deleteSubscription(sub);
    this.topics.delete(topic.name);
  }

  subscription(arn: string | undefined): SubscriptionRecord | undefined {
    this.deleteExpiredUnconfirmed();
    return arn ? this.subscriptions.get(arn) : undefined;
  }

  requireSubscription(arn: string | undefined): SubscriptionRecord {
    checkArnParameter("SubscriptionArn", arn);
    const sub = this.subscription(arn);
    if (!sub) throw subscriptionNotFound();
    return sub;
  }

  allSubscriptions(): SubscriptionRecord[] {
    this.deleteExpiredUnconfirmed();
    return [...this.subscriptions.values()];
  }

  subscriptionsOf(topicArn: string): SubscriptionRecord[] {
    this.deleteExpiredUnconfirmed();
    const arns = this.byTopic.get(topicArn);
    if (!arns) return [];
    const out: SubscriptionRecord[] = [];
    for (const arn of arns) {
      const sub = this.subscriptions.get(arn);
      if (sub) out.push(sub);
    }
    return out;
  }

  saveSubscription(sub: SubscriptionRecord): void {
    this.subscriptions.put(sub.arn, sub);
    this.index(sub);
  }

  deleteSubscription(sub: SubscriptionRecord): void {
    this.subscriptions.delete(sub.arn);
    this.byTopic.get(sub.topicArn)?.delete(sub.arn);
    this.filters.delete(sub.arn);
    this.filterQuota.remove(sub.topicArn, sub.arn);
    const topic = this.topicByArn(sub.topicArn);
    if (topic) {
      topic.subscriptionsDeleted++;
      this.saveTopic(topic);
    }
  }

  /** Schedules the deletion of a subscription still pending confirmation 48 hours
   *  after it was made (SNS, since May 2023); `pendingSince` must not precede the
   *  last one scheduled, which holds since the clock never goes back. */
  expireUnconfirmedAfter(sub: SubscriptionRecord): void {
    this.unconfirmed.push({ arn: sub.arn, expires: sub.pendingSince! + SnsLimits.unconfirmedSubscriptionMs });
  }

  private deleteExpiredUnconfirmed(): void {
    const queue = this.unconfirmed;
    if (this.unconfirmedHead >= queue.length || queue[this.unconfirmedHead].expires > this.clock.now()) return;
    const now = this.clock.now();
    while (this.unconfirmedHead < queue.length && queue[this.unconfirmedHead].expires <= now) {
      const sub = this.subscriptions.get(queue[this.unconfirmedHead++].arn);
      if (sub?.pendingConfirmation) this.deleteSubscription(sub);
    }
    if (this.unconfirmedHead * 2 > queue.length) {
      this.unconfirmed = queue.slice(this.unconfirmedHead);
      this.unconfirmedHead = 0;
    }
  }

  /**
   * Throws FilterPolicyLimitExceeded when one more filter policy does not fit the
   * topic's or the account's quota; `subscriptionArn` names a subscription whose
   * policy is being replaced, which always fits.
   */
  checkFilterPolicyQuota(topicArn: string, subscriptionArn?: string): void {
    const exceeded = this.filterQuota.exceededBy(topicArn, subscriptionArn);
    if (exceeded === undefined) return;
    const [limit, scope] = exceeded === "topic" ? [this.filterQuota.perTopic, "topic"] : [this.filterQuota.perAccount, "account"];
    throw snsErrors().FilterPolicyLimitExceededException(`Filter policy limit exceeded: the ${scope} already has ${limit} filter policies`);
  }

  rememberUnsubscribed(sub: SubscriptionRecord): void {
    if (this.unsubscribed.size >= 1024) this.unsubscribed.delete(this.unsubscribed.keys().next().value!);
    this.unsubscribed.set(sub.token!, sub);
  }

  /** Brings back the subscription an UnsubscribeConfirmation's token names, if any. */
  restoreUnsubscribed(topicArn: string, token: string | undefined): SubscriptionRecord | undefined {
    const sub = token === undefined ? undefined : this.unsubscribed.get(token);
    if (!sub || sub.topicArn !== topicArn || !this.topicByArn(topicArn)) return undefined;
    this.unsubscribed.delete(token!);
    this.saveSubscription(sub);
    return sub;
  }

  /** The subscription's compiled filter policy (undefined: no policy, everything passes). */
  filterOf(sub: SubscriptionRecord): Pattern | undefined {
    return this.filters.get(sub.arn);
  }

  private index(sub: SubscriptionRecord): void {
    let set = this.byTopic.get(sub.topicArn);
    if (!set) this.byTopic.set(sub.topicArn, (set = new Set()));
    set.add(sub.arn);
    const policy = sub.attributes.FilterPolicy;
    this.filterQuota.set(sub.topicArn, sub.arn, !!policy);
    this.filters.set(sub.arn, policy ? compileFilterPolicy(policy, sub.attributes.FilterPolicyScope, "stored") : undefined);
  }

  /** FIFO: the earlier publish of this deduplication id within the window, if any. */
  duplicateOf(topicArn: string, dedupId: string): { messageId: string; sequenceNumber: string } | undefined {
    const key = `${topicArn}\n${dedupId}`;
    const hit = this.dedup.get(key);
    if (hit && hit.expires > this.clock.now()) return hit;
    if (hit) this.dedup.delete(key);
    return undefined;
  }

  remember(topicArn: string, dedupId: string, messageId: string, sequenceNumber: string, windowMs: number): void {
    const now = this.clock.now();
    const order = this.dedupOrder;
    while (this.dedupHead < order.length) {
      const entry = this.dedup.get(order[this.dedupHead]);
      // A key set again since is live: stop there (what follows goes when it does).
      if (entry && entry.expires > now) break;
      if (entry) this.dedup.delete(order[this.dedupHead]);
      this.dedupHead++;
    }
    if (this.dedupHead > 1024 && this.dedupHead * 2 > order.length) {
      this.dedupOrder = order.slice(this.dedupHead);
      this.dedupHead = 0;
    }
    const key = `${topicArn}\n${dedupId}`;
    this.dedup.set(key, { messageId, sequenceNumber, expires: now + windowMs });
    this.dedupOrder.push(key);
  }

  /** FIFO SequenceNumber: 20 digits, increasing, as AWS's ("10000000000000003000"). */
  nextSequenceNumber(): string {
    const floor = 10n ** 19n + BigInt(this.clock.now()) * 1_000_000n;
    this.sequence = this.sequence < floor ? floor : this.sequence + 1n;
    return this.sequence.toString();
  }
}
