import { KMSServiceException } from '@aws-sdk/client-kms';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { STSServiceException } from '@aws-sdk/client-sts';

/** An S3 error as SDK v3 raises it: `name` is the wire code (docs/aws-facts.md §1). */
export function s3Error(code: string, status: number, message = `${code} message`): S3ServiceException {
  return new S3ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'REQ123' },
    message,
  });
}

/** A KMS error (JSON protocol: every client error is HTTP 400). */
export function kmsError(code: string, status = 400, message = `${code} message`): KMSServiceException {
  return new KMSServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

export function stsError(code: string, status = 403): STSServiceException {
  return new STSServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: `${code} message`,
  });
}

/** What a bodiless HEAD error looks like: the SDK cannot read a code, only the status and headers. */
export function headError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error('UnknownError'), {
    name: status === 404 ? 'NotFound' : 'Unknown',
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    $response: { statusCode: status, headers },
  });
}
