import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeXml, newRequestIds, sendS3Error } from './awsErrors.js';
import { type MotoTarget, motoRequest } from './motoRequest.js';
import type { RequestInfo } from './requestInfo.js';

/** ListBuckets' `max-buckets` takes 1 to 10,000 (S3 API reference). */
const MAX_BUCKETS = 10_000;

/** HeadBucket calls in flight at once while the regions of a listing are learned. */
const REGION_LOOKUPS = 16;

/** One bucket as moto lists it. */
interface ListedBucket {
  name: string;
  creationDate: string;
}

/**
 * Bucket regions the gateway learned from moto, by name and creation date: a bucket never moves, and one
 * deleted and made again (another creation date) is asked again.
 */
export class BucketRegions {
  private readonly regions = new Map<string, string>();

  get(bucket: ListedBucket): string | undefined {
    return this.regions.get(`${bucket.name} ${bucket.creationDate}`);
  }

  set(bucket: ListedBucket, region: string): void {
    this.regions.set(`${bucket.name} ${bucket.creationDate}`, region);
  }
}

/** What `handleListBuckets` needs: moto, and the regions learned so far. */
export interface ListBucketsDeps {
  moto: MotoTarget;
  regions: BucketRegions;
  /** Region of the gateway's own calls to moto. */
  defaultRegion: string;
}

/**
 * S3 ListBuckets as AWS answers it (docs/aws-facts.md §16), where moto 5.2.1 does not: every bucket with its
 * `BucketRegion`, sorted by name, paginated by `max-buckets` (1–10,000) with an opaque `ContinuationToken`
 * while more remain, filtered by `prefix` and `bucket-region`, the request's `Prefix` echoed. moto lists the
 * caller's account (its access key, or `x-moto-account-id`) with no region and cuts the list at `max-buckets`
 * with no token; the gateway asks moto for the whole list, and each bucket's region with HeadBucket once.
 */
export async function handleListBuckets(
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  deps: ListBucketsDeps,
): Promise<void> {
  req.resume();
  const query = info.query;
  const maxText = query.get('max-buckets');
  const max = maxText === null ? undefined : Number(maxText);
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > MAX_BUCKETS)) {
    return sendS3Error(res, info.method, {
      status: 400,
      code: 'InvalidArgument',
      message: `max-buckets must be an integer from 1 to ${MAX_BUCKETS}`,
    });
  }
  const token = query.get('continuation-token');
  const after = token === null ? undefined : decodeToken(token);
  if (after === null) {
    return sendS3Error(res, info.method, {
      status: 400,
      code: 'InvalidArgument',
      message: 'The continuation token provided is incorrect',
    });
  }
  const prefix = query.get('prefix') ?? '';
  const caller = callerOf(req, info);
  const listed = await motoRequest(deps.moto, {
    method: 'GET',
    path: prefix ? `/?prefix=${encodeURIComponent(prefix)}` : '/',
    service: 's3',
    region: deps.defaultRegion,
    ...caller,
  });
  if (listed.status !== 200) {
    res.writeHead(listed.status, { 'content-type': 'application/xml', ...s3Ids() });
    res.end(listed.body);
    return;
  }
  const buckets = parseBuckets(listed.body).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const located = await regionsOf(buckets, deps, caller);
  const wantedRegion = query.get('bucket-region');
  const remaining = located.filter(
    ({ bucket, region }) =>
      (after === undefined || bucket.name > after) && (wantedRegion === null || region === wantedRegion),
  );
  const page = max === undefined ? remaining : remaining.slice(0, max);
  const next = page.length < remaining.length ? encodeToken(page.at(-1)!.bucket.name) : undefined;
  const owner = /<Owner>[\s\S]*?<\/Owner>/.exec(listed.body)?.[0] ?? '';
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    owner +
    '<Buckets>' +
    page
      .map(
        ({ bucket, region }) =>
          `<Bucket><Name>${escapeXml(bucket.name)}</Name><CreationDate>${escapeXml(bucket.creationDate)}</CreationDate>` +
          (region === undefined ? '' : `<BucketRegion>${escapeXml(region)}</BucketRegion>`) +
          '</Bucket>',
      )
      .join('') +
    '</Buckets>' +
    (next === undefined ? '' : `<ContinuationToken>${next}</ContinuationToken>`) +
    (query.has('prefix') ? `<Prefix>${escapeXml(prefix)}</Prefix>` : '') +
    '</ListAllMyBucketsResult>';
  res.writeHead(200, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    ...s3Ids(),
  });
  res.end(body);
}

function s3Ids(): Record<string, string> {
  const { requestId, hostId } = newRequestIds();
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId };
}

/** Whose listing it is, as moto tells accounts apart: the caller's access key, or `x-moto-account-id`. */
function callerOf(
  req: IncomingMessage,
  info: RequestInfo,
): { accessKeyId?: string; headers: Record<string, string> } {
  const account = req.headers['x-moto-account-id'];
  return {
    ...(info.accessKeyId !== undefined && { accessKeyId: info.accessKeyId }),
    headers: typeof account === 'string' ? { 'x-moto-account-id': account } : {},
  };
}

/** The buckets of moto's ListAllMyBucketsResult (names are `[a-z0-9.-]`: nothing to unescape). */
function parseBuckets(xml: string): ListedBucket[] {
  return [...xml.matchAll(/<Bucket>([\s\S]*?)<\/Bucket>/g)].map(([, inner]) => ({
    name: /<Name>([^<]*)<\/Name>/.exec(inner!)?.[1] ?? '',
    creationDate: /<CreationDate>([^<]*)<\/CreationDate>/.exec(inner!)?.[1] ?? '',
  }));
}

/** Each bucket's region: learned before, else moto's HeadBucket `x-amz-bucket-region` (a few at a time). */
async function regionsOf(
  buckets: readonly ListedBucket[],
  deps: ListBucketsDeps,
  caller: ReturnType<typeof callerOf>,
): Promise<{ bucket: ListedBucket; region: string | undefined }[]> {
  const unknown = buckets.filter((bucket) => deps.regions.get(bucket) === undefined);
  for (let start = 0; start < unknown.length; start += REGION_LOOKUPS) {
    await Promise.all(
      unknown.slice(start, start + REGION_LOOKUPS).map(async (bucket) => {
        const head = await motoRequest(deps.moto, {
          method: 'HEAD',
          path: `/${encodeURIComponent(bucket.name)}`,
          service: 's3',
          region: deps.defaultRegion,
          ...caller,
        });
        const region = head.headers['x-amz-bucket-region'];
        if (head.status === 200 && typeof region === 'string' && region !== '')
          deps.regions.set(bucket, region);
      }),
    );
  }
  // A bucket whose region moto did not say (deleted since it was listed) is listed without one.
  return buckets.map((bucket) => ({ bucket, region: deps.regions.get(bucket) }));
}

/** The opaque continuation token: the last name of the page, base64url. */
function encodeToken(name: string): string {
  return Buffer.from(`s3ir-local:${name}`).toString('base64url');
}

/** The name a token continues after; null when it is not one of ours. */
function decodeToken(token: string): string | null {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return text.startsWith('s3ir-local:') ? text.slice('s3ir-local:'.length) : null;
}
