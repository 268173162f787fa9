/** CRC-32 (IEEE 802.3), as ZIP stores it for each entry. */
export function crc32(data: Uint8Array): number;
/** The ZIP archive of `files` (`name` uses `/` separators, relative to the archive root). */
export function zipFiles(files: ReadonlyArray<{ name: string; data: Uint8Array }>): Buffer;
