import { describeValue } from './messages.js';

/** The AWS partitions a destination bucket or KMS key may live in. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** The six parts of `arn:partition:service:region:account:resource`. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Splits an ARN into its parts, or `undefined` when the value is not shaped like an ARN at all. */
export function splitArn(value: string): ArnParts | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/** Whether a string is one of {@link PARTITIONS}. */
export function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

/** The reason for an unknown partition. */
export function partitionMessage(partition: string): string {
  return `expected partition ${PARTITIONS.join(' | ')} in the ARN, got ${describeValue(partition)}`;
}
