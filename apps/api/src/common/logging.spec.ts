import 'reflect-metadata';
import pino from 'pino';
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

describe('log redaction', () => {
  it('drops request headers and any stream key an entry carries', () => {
    const lines: string[] = [];
    const { redact } = options({ LOG_FORMAT: 'json' }, false) as { redact: pino.LoggerOptions['redact'] };
    const logger = pino({ redact }, { write: (line: string) => void lines.push(line) });
    logger.info({ streamKey: 'key-1', destination: { name: 'YouTube', streamKey: 'key-2' } }, 'restream');
    logger.info({ req: { headers: { authorization: 'Bearer token-3' }, method: 'GET' } }, 'request');
    expect(lines.join('')).not.toMatch(/key-1|key-2|token-3/);
    expect(lines.join('')).toContain('YouTube');
  });
});
