import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH } from '../../core/desired/constants.js';
import { isRecord } from '../../core/json/isRecord.js';

/** S3's limits of one bucket's tag set (docs/aws-facts.md §16): a message that passes them is refused. */
export const BUCKET_TAG_LIMITS = {
  tags: 50,
  keyCharacters: MAX_TAG_KEY_LENGTH,
  valueCharacters: MAX_TAG_VALUE_LENGTH,
} as const;

/**
 * At most this many bytes of tags (as JSON) ride on one bucket message; a larger tag set is left off and the
 * worker asks for it. Ten such messages stay under SQS's 256 KiB per SendMessageBatch (docs/aws-facts.md §16),
 * and any set of 50 ASCII tags at S3's limits fits.
 */
export const MAX_MESSAGE_TAG_BYTES = 20 * 1024;

/** Unicode characters, as AWS counts tag lengths. */
function characters(value: string): number {
  return [...value].length;
}

/**
 * Reads the tags a bucket message carries: a mapping of at most 50 keys of 1 to 128 characters to string values
 * of at most 256 characters. Returns the tags, or why they are refused (naming the key at fault).
 * @example parseMessageTags({ team: 'sec' }) // { tags: { team: 'sec' } }
 */
export function parseMessageTags(value: unknown): { tags: Record<string, string> } | { problem: string } {
  if (!isRecord(value)) return { problem: 'tags must be an object of tag keys to string values' };
  const entries = Object.entries(value);
  if (entries.length > BUCKET_TAG_LIMITS.tags)
    return { problem: `${entries.length} tags: S3 allows at most ${BUCKET_TAG_LIMITS.tags} on a bucket` };
  const kept: [string, string][] = [];
  for (const [key, tagValue] of entries) {
    const keyLength = characters(key);
    if (keyLength === 0 || keyLength > BUCKET_TAG_LIMITS.keyCharacters) {
      return {
        problem: `tag key ${JSON.stringify(key.slice(0, 40))} has ${keyLength} characters: S3 allows 1 to ${BUCKET_TAG_LIMITS.keyCharacters}`,
      };
    }
    if (typeof tagValue !== 'string')
      return { problem: `tag ${JSON.stringify(key.slice(0, 40))} has a value that is not a string` };
    const valueLength = characters(tagValue);
    if (valueLength > BUCKET_TAG_LIMITS.valueCharacters) {
      return {
        problem: `tag ${JSON.stringify(key.slice(0, 40))} has a value of ${valueLength} characters: S3 allows at most ${BUCKET_TAG_LIMITS.valueCharacters}`,
      };
    }
    kept.push([key, tagValue]);
  }
  // fromEntries defines own properties: a `__proto__` key stays a key.
  return { tags: Object.fromEntries(kept) };
}

/** The tags a message may carry: within S3's limits and {@link MAX_MESSAGE_TAG_BYTES}; else undefined (looked up). */
export function tagsForMessage(tags: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const parsed = parseMessageTags(tags);
  if (!('tags' in parsed)) return undefined;
  const bytes = new TextEncoder().encode(JSON.stringify(parsed.tags)).length;
  return bytes <= MAX_MESSAGE_TAG_BYTES ? parsed.tags : undefined;
}
