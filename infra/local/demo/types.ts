/** How the demo's own clients reach the local AWS (your credentials, from `LocalAws.env`). */
export interface DemoClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** What `seedEstate()` created. */
export interface SeededEstate {
  /** Every source bucket, sorted. */
  sources: string[];
  /** The destination in the sources' region, then the one in another region. */
  destinations: string[];
  /** The demo's customer managed key. */
  keyArn: string;
  /** The account everything lives in. */
  account: string;
}

/** One alert as it arrived on SNS (read from an SQS queue subscribed to the topic). */
export interface ArrivedAlert {
  eventType: string;
  bucket: string;
  summary: string;
}

/** One audit event, as the audit table holds it (the fields the history prints). */
export interface AuditLine {
  time: string;
  bucket: string;
  action: string;
  configId?: string;
  actor: string;
  message?: string;
}
