import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { formatAlert } from '../alerts/formatAlert.js';
import type { Alert, AlertPublisher } from '../alerts/types.js';
import { callAws } from './toAdapterError.js';

export interface SnsAlertPublisherOptions {
  client: Pick<SNSClient, 'send'>;
  topicArn: string;
}

/**
 * Publishes alerts to the alert topic (Contract): attributes `eventType` and `bucket` (String) for
 * subscription filter policies, a printable-ASCII Subject, a JSON body that never exceeds SNS's limit.
 */
export class SnsAlertPublisher implements AlertPublisher {
  private readonly options: SnsAlertPublisherOptions;

  constructor(options: SnsAlertPublisherOptions) {
    this.options = options;
  }

  async publish(alert: Alert): Promise<void> {
    const formatted = formatAlert(alert);
    await callAws(`Publish ${alert.type} ${alert.bucket}`, () =>
      this.options.client.send(
        new PublishCommand({
          TopicArn: this.options.topicArn,
          Subject: formatted.subject,
          Message: formatted.message,
          MessageAttributes: {
            eventType: { DataType: 'String', StringValue: formatted.attributes.eventType },
            bucket: { DataType: 'String', StringValue: formatted.attributes.bucket },
          },
        }),
      ),
    );
  }
}
