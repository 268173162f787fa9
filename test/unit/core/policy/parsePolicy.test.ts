import { describe, expect, it } from 'vitest';
import { MalformedPolicyError, PolicyError } from '../../../../lib/core/policy/errors.js';
import { parsePolicy, serializePolicy } from '../../../../lib/core/policy/parsePolicy.js';

describe('parsePolicy()', () => {
  it('parses a policy whose Statement is an array', () => {
    const text =
      '{"Version":"2012-10-17","Id":"p1","Statement":[{"Effect":"Allow","Action":"s3:*"}],"Extra":1}';
    expect(parsePolicy(text)).toEqual({
      Version: '2012-10-17',
      Id: 'p1',
      Statement: [{ Effect: 'Allow', Action: 's3:*' }],
      Extra: 1,
    });
  });

  it('parses a policy whose Statement is a single object', () => {
    expect(parsePolicy('{"Statement":{"Effect":"Deny"}}')).toEqual({ Statement: { Effect: 'Deny' } });
  });

  it.each([
    ['not JSON', '{"Statement":', /^not valid JSON/],
    ['an array', '[]', /^the policy is not a JSON object$/],
    ['null', 'null', /^the policy is not a JSON object$/],
    ['a string', '"policy"', /^the policy is not a JSON object$/],
    ['no Statement', '{"Version":"2012-10-17"}', /^the policy has no Statement$/],
    [
      'a string Statement',
      '{"Statement":"allow all"}',
      /^Statement is neither an object nor an array of objects$/,
    ],
    ['a null Statement', '{"Statement":null}', /^Statement is neither an object nor an array of objects$/],
    [
      'a statement that is not an object',
      '{"Statement":[{"Effect":"Allow"},[]]}',
      /^Statement\[1\] is not an object$/,
    ],
  ])('refuses %s', (_name, text, reason) => {
    let caught: unknown;
    try {
      parsePolicy(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MalformedPolicyError);
    expect(caught).toBeInstanceOf(PolicyError);
    const error = caught as MalformedPolicyError;
    expect(error.reason).toMatch(reason);
    expect(error.name).toBe('MalformedPolicyError');
    expect(error.message).toBe(`Malformed policy: ${error.reason}`);
  });

  it('keeps the JSON error as the cause', () => {
    expect(() => parsePolicy('nope')).toThrow(expect.objectContaining({ cause: expect.any(SyntaxError) }));
  });
});

describe('serializePolicy()', () => {
  it('writes compact JSON that parses back to the same document', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'] }] };
    const text = serializePolicy(document);
    expect(text).toBe('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"]}]}');
    expect(parsePolicy(text)).toEqual(document);
  });
});
