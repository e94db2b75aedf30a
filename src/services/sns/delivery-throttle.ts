// The pace of deliveries to HTTP/S endpoints: a delivery policy's throttlePolicy
// (a topic's http.defaultThrottlePolicy) sets "the maximum number of deliveries per
// second, per subscription" ("Creating an HTTP/S delivery policy"). Each delivery takes
// the next free slot of its subscription, 1/maxReceivesPerSecond apart; the backlog
// waits on Terrarium's clock.

const PRUNE_AT = 4096;

export class DeliveryThrottle {
  /** Subscription ARN -> the first moment (clock ms) its next delivery may go. */
  private readonly nextFree = new Map<string, number>();

  /** Takes a slot for one delivery and answers how long (ms) it must wait for it. */
  delayFor(subscriptionArn: string, maxReceivesPerSecond: number, now: number): number {
    if (this.nextFree.size >= PRUNE_AT) this.prune(now);
    const slot = Math.max(now, this.nextFree.get(subscriptionArn) ?? now);
    this.nextFree.set(subscriptionArn, slot + 1000 / maxReceivesPerSecond);
    return slot - now;
  }

  /** Forgets subscriptions whose pace is back to idle (their next slot has passed). */
  private prune(now: number): void {
    for (const [arn, free] of this.nextFree) if (free <= now) this.nextFree.delete(arn);
  }
}
