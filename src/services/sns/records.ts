// What SNS keeps, as persisted documents (store.ts).

export interface TopicRecord {
  name: string;
  arn: string;
  fifo: boolean;
  /** Settable attributes as strings (topic-attributes.ts); computed ones are added on read. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  dataProtectionPolicy?: string;
  subscriptionsDeleted: number;
}

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
  pendingConfirmation: boolean;
  /** Terrarium's time (ms) when a subscription that must be confirmed was made. */
  pendingSince?: number;
  /** The confirmation token sent to http/https/email endpoints. */
  token?: string;
}

/** An email, SMS or mobile-push message SNS "sent": recorded where tests can read it. */
export interface OutboxRecord {
  protocol: string;
  endpoint: string;
  subscriptionArn?: string;
  topicArn?: string;
  messageId: string;
  subject?: string;
  message: string;
  timestamp: string;
}
