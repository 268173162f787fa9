import type { IncomingHttpHeaders } from 'node:http';

/** Bucket subresources and the noun of their operations (`?policy` + PUT → `PutBucketPolicy`). */
const bucketSubresources: Record<string, string> = {
  accelerate: 'BucketAccelerateConfiguration',
  acl: 'BucketAcl',
  analytics: 'BucketAnalyticsConfiguration',
  cors: 'BucketCors',
  encryption: 'BucketEncryption',
  'intelligent-tiering': 'BucketIntelligentTieringConfiguration',
  inventory: 'BucketInventoryConfiguration',
  lifecycle: 'BucketLifecycleConfiguration',
  location: 'BucketLocation',
  logging: 'BucketLogging',
  metadataTable: 'BucketMetadataTableConfiguration',
  metrics: 'BucketMetricsConfiguration',
  notification: 'BucketNotificationConfiguration',
  'object-lock': 'ObjectLockConfiguration',
  ownershipControls: 'BucketOwnershipControls',
  policy: 'BucketPolicy',
  policyStatus: 'BucketPolicyStatus',
  publicAccessBlock: 'PublicAccessBlock',
  replication: 'BucketReplication',
  requestPayment: 'BucketRequestPayment',
  tagging: 'BucketTagging',
  versioning: 'BucketVersioning',
  website: 'BucketWebsite',
};

/** Subresources whose GET without `id` lists (`ListBucketInventoryConfigurations`). */
const listedById = new Set(['analytics', 'intelligent-tiering', 'inventory', 'metrics']);

/** Object subresources and their nouns (`?tagging` + GET on a key → `GetObjectTagging`). */
const objectSubresources: Record<string, string> = {
  acl: 'ObjectAcl',
  attributes: 'ObjectAttributes',
  'legal-hold': 'ObjectLegalHold',
  retention: 'ObjectRetention',
  tagging: 'ObjectTagging',
  torrent: 'ObjectTorrent',
};

const verbs: Record<string, string> = {
  GET: 'Get',
  PUT: 'Put',
  DELETE: 'Delete',
  HEAD: 'Head',
  POST: 'Post',
};

function bucketOperation(method: string, query: URLSearchParams): string {
  const subresource = Object.keys(bucketSubresources).find((name) => query.has(name));
  if (subresource) {
    const noun = bucketSubresources[subresource]!;
    if (method === 'GET' && listedById.has(subresource) && !query.has('id')) return `List${noun}s`;
    if (method === 'DELETE' && subresource === 'lifecycle') return 'DeleteBucketLifecycle';
    return `${verbs[method] ?? method}${noun}`;
  }
  if (method === 'GET' && query.has('uploads')) return 'ListMultipartUploads';
  if (method === 'GET' && query.has('versions')) return 'ListObjectVersions';
  if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
  if (method === 'POST') return 'PostObject';
  const plain: Record<string, string> = { PUT: 'CreateBucket', DELETE: 'DeleteBucket', HEAD: 'HeadBucket' };
  return plain[method] ?? `Unknown${method}`;
}

function objectOperation(method: string, query: URLSearchParams, headers: IncomingHttpHeaders): string {
  const copy = headers['x-amz-copy-source'] !== undefined;
  if (query.has('uploadId')) {
    if (method === 'PUT') return copy ? 'UploadPartCopy' : 'UploadPart';
    const multipart: Record<string, string> = {
      GET: 'ListParts',
      POST: 'CompleteMultipartUpload',
      DELETE: 'AbortMultipartUpload',
    };
    return multipart[method] ?? `Unknown${method}`;
  }
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('restore')) return 'RestoreObject';
  if (method === 'POST' && query.has('select')) return 'SelectObjectContent';
  const subresource = Object.keys(objectSubresources).find((name) => query.has(name));
  if (subresource) return `${verbs[method] ?? method}${objectSubresources[subresource]}`;
  if (method === 'PUT') return copy ? 'CopyObject' : 'PutObject';
  const plain: Record<string, string> = { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' };
  return plain[method] ?? `Unknown${method}`;
}

/**
 * The S3 API operation a REST request calls, from its method, whether it names a bucket and a key,
 * and its subresource query (`x-id`, which SDK v3 adds, is not needed and not trusted).
 */
export function s3Operation(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): string {
  if (!bucket) return method === 'GET' ? 'ListBuckets' : `Unknown${method}`;
  return key === undefined ? bucketOperation(method, query) : objectOperation(method, query, headers);
}
