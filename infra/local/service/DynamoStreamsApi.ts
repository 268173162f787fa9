import { createHash, createHmac } from 'node:crypto';

export interface DynamoStreamsApiOptions {
  /** The local AWS (`AWS_ENDPOINT_URL`). */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The DynamoDB Streams API answered with an error (`__type` and message as the service gave them). */
export class DynamoStreamsApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'DynamoStreamsApiError';
    this.code = code;
  }
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * The few DynamoDB Streams calls the local stream emulation needs (DescribeStream, GetShardIterator,
 * GetRecords), as JSON 1.0 requests signed with SigV4. The project has no Streams SDK client, and the
 * scope must say `dynamodb`: Streams' signing name in AWS, and what the gateway routes to DynamoDB
 * Local (which serves the Streams API on its own port).
 */
export class DynamoStreamsApi {
  private readonly options: DynamoStreamsApiOptions;

  constructor(options: DynamoStreamsApiOptions) {
    this.options = options;
  }

  async call<T>(operation: string, input: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify(input);
    const headers = this.sign(operation, body);
    const response = await fetch(this.options.endpoint, { method: 'POST', headers, body });
    const text = await response.text();
    const output = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    if (!response.ok) {
      const code = String(output.__type ?? response.status)
        .split('#')
        .pop()!;
      throw new DynamoStreamsApiError(code, String(output.message ?? output.Message ?? text));
    }
    return output as T;
  }

  /** SigV4 (service `dynamodb`) for a POST to `/` carrying `body`. */
  private sign(operation: string, body: string): Record<string, string> {
    const { region, credentials } = this.options;
    const longDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const shortDate = longDate.slice(0, 8);
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.0',
      host: new URL(this.options.endpoint).host,
      'x-amz-date': longDate,
      'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
      ...(credentials.sessionToken && { 'x-amz-security-token': credentials.sessionToken }),
    };
    const names = Object.keys(headers).sort();
    const canonical = [
      'POST',
      '/',
      '',
      ...names.map((name) => `${name}:${headers[name]}`),
      '',
      names.join(';'),
      sha256(body),
    ].join('\n');
    const scope = `${shortDate}/${region}/dynamodb/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', longDate, scope, sha256(canonical)].join('\n');
    let key = hmac(`AWS4${credentials.secretAccessKey}`, shortDate);
    for (const part of [region, 'dynamodb', 'aws4_request']) key = hmac(key, part);
    const signature = createHmac('sha256', key).update(toSign).digest('hex');
    headers.authorization =
      `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${names.join(';')}, Signature=${signature}`;
    // fetch sets Host itself.
    delete headers.host;
    return headers;
  }
}
