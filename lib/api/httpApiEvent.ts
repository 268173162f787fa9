import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseQueryString } from './queryParams.js';
import type { ApiRequest, ApiResponse } from './types.js';

/**
 * The request inside an API Gateway HTTP API event (payload format 2.0). The query comes from
 * `rawQueryString`, since `queryStringParameters` joins a repeated name's values with commas; the path
 * loses the stage prefix a named stage adds (`/prod/events` → `/events`; `$default` adds none).
 */
export function requestFromHttpApiEvent(event: APIGatewayProxyEventV2): ApiRequest {
  const { stage, http } = event.requestContext;
  const prefix = `/${stage}`;
  const staged = stage !== '$default' && (event.rawPath === prefix || event.rawPath.startsWith(`${prefix}/`));
  const path = staged ? event.rawPath.slice(prefix.length) || '/' : event.rawPath;
  return { method: http.method, path, query: parseQueryString(event.rawQueryString) };
}

/** The response as an HTTP API integration returns it (payload format 2.0). */
export function httpApiResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: false,
  };
}
