import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** One file of a ZIP archive, uncompressed. */
export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Unix mode from the external attributes (0 when the archive was not made on Unix). */
  mode: number;
}

/**
 * Reads every entry of a ZIP archive through its central directory (APPNOTE 4.3), as an unzipper does:
 * stored and deflated entries, no ZIP64, no encryption. Independent of the writer (scripts/zipFiles.mjs),
 * so the deployment tests read what Lambda would unpack.
 */
export async function readZip(file: string): Promise<ZipEntry[]> {
  const zip = await readFile(file);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error(`${file}: no end of central directory record`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`${file}: bad central header at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const madeOnUnix = zip.readUInt8(at + 5) === 3;
    const mode = madeOnUnix ? zip.readUInt32LE(at + 38) >>> 16 : 0;
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (zip.readUInt32LE(localOffset) !== LOCAL_HEADER)
      throw new Error(`${file}: bad local header of ${name}`);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : method === 0 ? Buffer.from(raw) : undefined;
    if (!data) throw new Error(`${file}: ${name} uses compression method ${method}`);
    if (data.length !== size) throw new Error(`${file}: ${name} is ${data.length} bytes, expected ${size}`);
    entries.push({ name, data, mode });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
