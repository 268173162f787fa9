import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';

/** The signed caller API Gateway names after IAM authorization (AWS docs, payload format 2.0). */
export const CALLER_ARN = 'arn:aws:iam::111122223333:user/auditor';

/**
 * The event an HTTP API route with `authorizer: type: aws_iam` hands its Lambda integration (payload format
 * 2.0), for `target` as the client sent it (`/events?bucket=a&bucket=b`): `rawQueryString` as sent, and
 * `queryStringParameters` with a repeated name's values joined by commas, as API Gateway does.
 */
export function httpApiEvent(
  target: string,
  options: { method?: string; stage?: string } = {},
): APIGatewayProxyEventV2WithIAMAuthorizer {
  const method = options.method ?? 'GET';
  const stage = options.stage ?? '$default';
  const [rawPath = '/', rawQueryString = ''] = target.split(/\?(.*)/s);
  const route = stage === '$default' ? rawPath : rawPath.slice(stage.length + 1) || '/';
  const joined: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString))
    joined[name] = joined[name] === undefined ? value : `${joined[name]},${value}`;
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath,
    rawQueryString,
    headers: {
      accept: 'application/json',
      host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'aws-sigv4-client',
      'x-amz-date': '20260131T120000Z',
      'x-amz-security-token': 'token',
      'x-forwarded-proto': 'https',
    },
    ...(rawQueryString !== '' && { queryStringParameters: joined }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLE',
          accountId: '111122223333',
          callerId: 'AIDAEXAMPLE',
          cognitoIdentity: null,
          principalOrgId: 'o-example',
          userArn: CALLER_ARN,
          userId: 'AIDAEXAMPLE',
        },
      },
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.10',
        userAgent: 'aws-sigv4-client',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: `${method} ${route}`,
      stage,
      time: '31/Jan/2026:12:00:00 +0000',
      timeEpoch: 1769860800000,
    },
    isBase64Encoded: false,
  };
}
