import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDesiredStore } from '../../../lib/adapters/aws/DynamoDesiredStore.js';
import { formatFileError } from '../../../lib/core/desired/formatFileError.js';
import { loadDesiredFile } from '../../../lib/core/desired/loadDesiredFile.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import { DEMO } from './constants.js';
import type { DemoClientConfig } from './types.js';

/** The demo's desired-state file, in the format of examples/inventory.yaml. */
export const DEMO_DESIRED_FILE = fileURLToPath(new URL('./demo-inventory.yaml', import.meta.url));

/** The demo file does not load: a bug in the demo, named with every error found. */
export class DemoFileError extends Error {
  constructor(errors: string[]) {
    super(`the demo desired-state file is invalid:\n${errors.join('\n')}`);
    this.name = 'DemoFileError';
  }
}

export interface ApplyDemoDesiredOptions {
  config: DemoClientConfig;
  tableName: string;
  /** The ARN of the key `seedEstate()` created, put in place of `DEMO_KEY_ARN`. */
  keyArn: string;
  /** More placeholders of the file and what replaces them (the organization's OU ids). */
  replacements?: Record<string, string>;
  /** Default: the demo file. */
  file?: string;
}

/**
 * Applies the demo's desired state as `s3ir apply -f` does: loads and checks the file, turns it into table
 * items (`fileToItems`) and writes them through the desired store. Resolves with the number of items.
 */
export async function applyDemoDesired(options: ApplyDemoDesiredOptions): Promise<number> {
  const file = options.file ?? DEMO_DESIRED_FILE;
  const fileName = relative(process.cwd(), file) || file;
  let text = (await readFile(file, 'utf8')).replaceAll(DEMO.keyPlaceholder, options.keyArn);
  for (const [placeholder, value] of Object.entries(options.replacements ?? {}))
    text = text.replaceAll(placeholder, value);
  const loaded = loadDesiredFile(text, fileName);
  if (!loaded.ok) throw new DemoFileError(loaded.errors.map(formatFileError));
  const items = fileToItems(loaded.file, {
    fileName,
    appliedBy: DEMO.actor,
    appliedAt: new Date().toISOString(),
  });
  const dynamodb = new DynamoDBClient(options.config);
  try {
    const store = new DynamoDesiredStore({
      client: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
      tableName: options.tableName,
    });
    await store.putItems(items as unknown as Record<string, unknown>[]);
    return items.length;
  } finally {
    dynamodb.destroy();
  }
}
