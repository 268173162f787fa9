import { describe, expect, it } from 'vitest';
import { httpApiResult, requestFromHttpApiEvent } from '../../../lib/api/httpApiEvent.js';
import { httpApiEvent } from '../../helpers/httpApiEvents.js';

describe('requestFromHttpApiEvent()', () => {
  it('reads method, path and every value of a repeated parameter from rawQueryString', () => {
    const event = httpApiEvent('/verify?bucket=photos&bucket=logs');
    // API Gateway's own map joins the values: the adapter must not read it.
    expect(event.queryStringParameters).toEqual({ bucket: 'photos,logs' });
    expect(requestFromHttpApiEvent(event)).toEqual({
      method: 'GET',
      path: '/verify',
      query: { bucket: ['photos', 'logs'] },
    });
  });

  it('decodes percent-encoding, keeps an encoded plus and a comma inside a value', () => {
    const event = httpApiEvent('/events?since=2026-01-31T12%3A00%3A00%2B01%3A00&run=a%2Cb&bucket=');
    expect(requestFromHttpApiEvent(event).query).toEqual({
      since: ['2026-01-31T12:00:00+01:00'],
      run: ['a,b'],
      bucket: [''],
    });
  });

  it('reads the root with no query as GET / with no parameters', () => {
    expect(requestFromHttpApiEvent(httpApiEvent('/'))).toEqual({ method: 'GET', path: '/', query: {} });
  });

  it('drops the prefix a named stage puts in rawPath, and only that', () => {
    expect(requestFromHttpApiEvent(httpApiEvent('/prod/events', { stage: 'prod' })).path).toBe('/events');
    expect(requestFromHttpApiEvent(httpApiEvent('/prod', { stage: 'prod' })).path).toBe('/');
    expect(requestFromHttpApiEvent(httpApiEvent('/production/x', { stage: 'prod' })).path).toBe(
      '/production/x',
    );
    expect(requestFromHttpApiEvent(httpApiEvent('/prod/events')).path).toBe('/prod/events');
  });

  it('keeps the method for the router to refuse', () => {
    expect(requestFromHttpApiEvent(httpApiEvent('/events', { method: 'DELETE' })).method).toBe('DELETE');
  });
});

describe('httpApiResult()', () => {
  it('returns status, headers and body as a payload 2.0 result, not base64', () => {
    const response = {
      statusCode: 404,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"x"}',
    };
    expect(httpApiResult(response)).toEqual({ ...response, isBase64Encoded: false });
  });
});
