import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/app.js';
import { ConfigError } from '../../src/config/env.js';

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret-0123456789' };
/** The configuration read from `env` alone (a .env file that does not exist is not read). */
const load = (env: Record<string, string>) => loadAppConfig({ ...SLACK, ...env }, 'no-such.env');

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('METRICS', () => {
  it('when it is unset or empty, then /metrics is served', () => {
    expect(load({}).METRICS).toBe(true);
    expect(load({ METRICS: '' }).METRICS).toBe(true);
  });

  it('when it is false, then /metrics is switched off', () => {
    expect(load({ METRICS: 'false' }).METRICS).toBe(false);
    expect(load({ METRICS: 'true' }).METRICS).toBe(true);
  });

  it('when it is neither true nor false, then start-up is refused with the key and how to fix it', () => {
    expect(problemsOf({ METRICS: 'off' })).toEqual(['METRICS: must be true or false.']);
  });
});
