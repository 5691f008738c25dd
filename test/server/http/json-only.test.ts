import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../server/http/errors';
import { requireJson } from '../../../server/http/json-only';

const refusal = async (hook: ReturnType<typeof requireJson>, type: string | string[] | undefined): Promise<HttpError | null> => {
  try {
    await hook({ headers: type === undefined ? {} : { 'content-type': type } } as never);
    return null;
  } catch (error) {
    return error as HttpError;
  }
};

describe('requireJson: the one hook of the routes that take JSON only', () => {
  it('lets JSON through, with a charset or in capitals', async () => {
    expect(await refusal(requireJson(), 'application/json')).toBeNull();
    expect(await refusal(requireJson(), 'Application/JSON; charset=utf-8')).toBeNull();
  });

  it('refuses a form, text, no type or a repeated header with a 415 naming what to send', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', undefined, ['application/json', 'text/plain']]) {
      const error = await refusal(requireJson(), type);
      expect(error, String(type)).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ statusCode: 415, code: 'unsupported_media_type', message: 'send the request as application/json' });
    }
    expect(await refusal(requireJson('the login'), 'text/plain')).toMatchObject({ statusCode: 415, message: 'send the login as application/json' });
  });
});
