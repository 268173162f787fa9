import type { SNSClient } from '@aws-sdk/client-sns';
import { formatAlert } from '../../core/alerts/formatAlert.js';
import type { Alert, AlertPublisher, AlertSender, FormattedAlert } from '../../core/alerts/types.js';
import { loadSdk } from './loadSdk.js';
import { callAws } from './toAdapterError.js';

export interface SnsAlertPublisherOptions {
  client: Pick<SNSClient, 'send'>;
  topicArn: string;
}

/**
 * Publishes alerts to the alert topic (Contract): String attributes `eventType`, `bucket` and `severity`
 * for subscription filter policies, a printable-ASCII Subject, a JSON body that never exceeds SNS's
 * limit (lib/core/alerts/formatAlert). `send` publishes an alert formatted earlier (one kept in the outbox).
 * The SNS package is loaded with the first alert: most invocations send none.
 */
export class SnsAlertPublisher implements AlertPublisher, AlertSender {
  private readonly options: SnsAlertPublisherOptions;

  constructor(options: SnsAlertPublisherOptions) {
    this.options = options;
  }

  publish(alert: Alert): Promise<void> {
    return this.send(formatAlert(alert));
  }

  async send(alert: FormattedAlert): Promise<void> {
    const { eventType, bucket, severity } = alert.attributes;
    const { PublishCommand } = await loadSdk('sns');
    await callAws(`Publish ${eventType} ${bucket}`, () =>
      this.options.client.send(
        new PublishCommand({
          TopicArn: this.options.topicArn,
          Subject: alert.subject,
          Message: alert.message,
          MessageAttributes: {
            eventType: { DataType: 'String', StringValue: eventType },
            bucket: { DataType: 'String', StringValue: bucket },
            severity: { DataType: 'String', StringValue: severity },
          },
        }),
      ),
    );
  }
}
