import type { InventoryConfiguration } from '../../core/inventory/types.js';
import { createStyle } from './style.js';

/** A bucket named on the command line that no item or template declares, with what it actually has. */
export interface NotManagedBucket {
  bucket: string;
  configurations: InventoryConfiguration[];
}

/** `weekly: Weekly CSV to arn:aws:s3:::reports/inv, enabled`. */
function describe(configuration: InventoryConfiguration): string {
  const destination = configuration.Destination?.S3BucketDestination;
  const where = destination
    ? `${destination.Format} to ${destination.Bucket}${destination.Prefix ? `/${destination.Prefix}` : ''}`
    : 'no destination';
  const frequency = configuration.Schedule?.Frequency ?? 'unscheduled';
  return `${configuration.Id}: ${frequency} ${where}, ${configuration.IsEnabled ? 'enabled' : 'disabled'}`;
}

/**
 * What `s3ir plan` says of buckets it was asked about but does not manage: that nothing declares them, so
 * nothing was compared, the configurations they actually have, and how to adopt them.
 */
export function renderNotManaged(
  buckets: readonly NotManagedBucket[],
  options: { color?: boolean } = {},
): string {
  const style = createStyle(options.color ?? false);
  const blocks = buckets.map(({ bucket, configurations }) => {
    const lines = [
      style.bold(`bucket "${bucket}": not managed`),
      style.dim(
        '  # no desired-state item or template declares it: nothing was compared, nothing would change',
      ),
      configurations.length === 0
        ? '  it has no inventory configurations'
        : `  it has ${configurations.length} inventory configuration${configurations.length === 1 ? '' : 's'}:`,
      ...configurations.map((configuration) => `    ${describe(configuration)}`),
      style.dim(
        `  # to manage it: s3ir import --bucket ${bucket} -o ${bucket}.yaml && s3ir apply -f ${bucket}.yaml`,
      ),
    ];
    return `${lines.join('\n')}\n`;
  });
  return blocks.join('\n');
}

/** The summary's last words when some buckets were not compared: never "every bucket matches". */
export function notManagedSummary(managed: number, notManaged: number): string {
  const buckets = (count: number) => `${count} bucket${count === 1 ? '' : 's'}`;
  return `${buckets(notManaged)} not managed (not compared); ${buckets(managed)} planned.`;
}
