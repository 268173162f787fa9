import type { NewestReport } from '../../core/delivery/classifyDelivery.js';
import { folderName, folderTime } from '../../core/delivery/reportLayout.js';
import type { ExpectedReport } from '../../core/delivery/verifyManifest.js';
import { verifyManifest } from '../../core/delivery/verifyManifest.js';
import type { ReportLocation, ReportReader } from './ports.js';

/** How many incomplete (still being written) folders to pass over before giving up on older ones. */
const MAX_INCOMPLETE = 2;

export interface FindReportOptions {
  location: ReportLocation;
  /** `{prefix}/{source}/{id}/`. */
  base: string;
  expected: ExpectedReport;
  now: Date;
  /** Look only at folders newer than this first (one cheap list); the whole history only if none. */
  recentSince: Date;
}

/**
 * The newest complete report of one configuration, verified (docs/aws-facts.md §4): the newest dated folder not
 * after `now` that holds `manifest.checksum` (S3 writes it last), its manifest checked against the checksum
 * and the configuration, and every listed file present with its size. Costs one ListObjectsV2 and two
 * GetObjects, plus a HeadObject per data file of that one report; a second, full listing only when no
 * recent folder exists.
 */
export async function findNewestReport(
  reader: ReportReader,
  options: FindReportOptions,
): Promise<NewestReport | undefined> {
  const { location, base, now } = options;
  let folders = datedFolders(
    await reader.listFolders(location, base, `${base}${folderName(options.recentSince)}`),
    now,
  );
  if (folders.length === 0) folders = datedFolders(await reader.listFolders(location, base), now);
  let incomplete = 0;
  for (const folder of folders) {
    const checksum = await reader.readText(location, `${base}${folder.name}/manifest.checksum`);
    if (checksum === undefined) {
      if (++incomplete > MAX_INCOMPLETE) return undefined;
      continue;
    }
    const manifest = await reader.readText(location, `${base}${folder.name}/manifest.json`);
    if (manifest === undefined) {
      return {
        time: folder.time,
        folder: folder.name,
        problems: ['manifest.checksum without manifest.json'],
      };
    }
    const check = verifyManifest(manifest, checksum, options.expected);
    const problems = [...check.problems];
    if (problems.length === 0) problems.push(...(await missingFiles(reader, location, check.files)));
    return { time: folder.time, folder: folder.name, problems };
  }
  return undefined;
}

/** Dated folders not after `now`, newest first. */
function datedFolders(names: string[], now: Date): { name: string; time: Date }[] {
  return names
    .flatMap((name) => {
      const time = folderTime(name);
      return time !== undefined && time <= now ? [{ name, time }] : [];
    })
    .sort((a, b) => b.time.getTime() - a.time.getTime());
}

async function missingFiles(
  reader: ReportReader,
  location: ReportLocation,
  files: { key: string; size: number }[],
): Promise<string[]> {
  const sizes = await Promise.all(files.map((file) => reader.objectSize(location, file.key)));
  return files.flatMap((file, i) => {
    const size = sizes[i];
    if (size === undefined) return [`listed file ${file.key} is missing`];
    if (size !== file.size)
      return [`listed file ${file.key} is ${size} bytes, the manifest says ${file.size}`];
    return [];
  });
}
