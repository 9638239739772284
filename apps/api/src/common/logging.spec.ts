import 'reflect-metadata';
import { validateEnvironment } from '../config/environment';
import { loggerOptions } from './logging';

const options = (env: Record<string, string>, isTerminal: boolean) =>
  loggerOptions(validateEnvironment(env), isTerminal).pinoHttp;

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says which', () => {
    // A [options, stream] pair is a formatting stream; plain options write JSON to stdout.
    expect(Array.isArray(options({}, true))).toBe(true);
    expect(Array.isArray(options({}, false))).toBe(false);
    expect(Array.isArray(options({ LOG_FORMAT: 'json' }, true))).toBe(false);
    expect(Array.isArray(options({ LOG_FORMAT: 'pretty' }, false))).toBe(true);
  });

  it('refuses any other LOG_FORMAT', () => {
    expect(() => validateEnvironment({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be one of/);
  });
});
