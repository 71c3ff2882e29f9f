import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCoreConfig, platformNamesFrom } from '../../src/config/core.js';
import { ConfigError } from '../../src/config/env.js';
import { resolvePlatform } from '../../src/domain/platforms.js';
import { DEFAULT_QC_CRITERIA } from '../../src/domain/quality-criteria.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadCoreConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('core configuration', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadCoreConfig({});
    expect(config.CMD_TIMEZONE).toBe('Europe/Amsterdam');
    expect(config.HOLIDAY_COUNTRY).toBe('NL');
    expect(config.EXTRA_HOLIDAYS).toEqual([]);
    expect(config.INJECTION_WORKING_DAYS).toBe(5);
    expect(config.UNVERIFIED_LIMIT.toISO()).toBe('P1M');
    expect(config.VERIFICATION_LIMIT.toISO()).toBe('P7D');
    expect(config.STAGED_ROLLOUT_LIMIT.toISO()).toBe('P1M');
    expect(config.PLATFORMS).toEqual(['al9/x86_64']);
    expect(config.DISTRIBUTIONS).toEqual(['UMD-5', 'CMD-OS-1', 'CMD-ONE-1']);
  });

  it('when a key is set but empty, then it counts as unset', () => {
    const config = loadCoreConfig({ CMD_TIMEZONE: '', PLATFORMS: ' ', INJECTION_WORKING_DAYS: '' });
    expect(config.CMD_TIMEZONE).toBe('Europe/Amsterdam');
    expect(config.PLATFORMS).toEqual(['al9/x86_64']);
    expect(config.INJECTION_WORKING_DAYS).toBe(5);
  });

  it('when keys are set, then lists are split on commas and trimmed', () => {
    const config = loadCoreConfig({
      CMD_TIMEZONE: 'UTC',
      HOLIDAY_COUNTRY: 'de',
      EXTRA_HOLIDAYS: '2027-12-24, 2027-12-31',
      INJECTION_WORKING_DAYS: '3',
      VERIFICATION_LIMIT: 'P10D',
      PLATFORMS: 'el9/x86_64, el9/aarch64',
      DISTRIBUTIONS: 'CMD-OS-1',
    });
    expect(config.EXTRA_HOLIDAYS).toEqual(['2027-12-24', '2027-12-31']);
    expect(config.INJECTION_WORKING_DAYS).toBe(3);
    expect(config.VERIFICATION_LIMIT.toISO()).toBe('P10D');
    expect(config.PLATFORMS).toEqual(['el9/x86_64', 'el9/aarch64']);
  });

  it('when several keys are wrong, then every problem is listed with its key and how to fix it', () => {
    expect(
      problemsOf({
        CMD_TIMEZONE: 'Mars/Olympus',
        HOLIDAY_COUNTRY: 'XX',
        EXTRA_HOLIDAYS: '2027-13-01',
        INJECTION_WORKING_DAYS: 'five',
        UNVERIFIED_LIMIT: '1 month',
        PLATFORMS: 'el9',
      }),
    ).toEqual([
      'CMD_TIMEZONE: is not an IANA time zone; use a name such as Europe/Amsterdam or UTC.',
      'HOLIDAY_COUNTRY: is not a country code known to date-holidays; use e.g. NL, DE or IT.',
      'EXTRA_HOLIDAYS.0: must be a list of dates written YYYY-MM-DD, separated by commas.',
      'INJECTION_WORKING_DAYS: must be a whole number of working days, such as 5.',
      'UNVERIFIED_LIMIT: "1 month" is not an ISO-8601 duration longer than zero; write it like P1M, P7D or PT36H (default P1M).',
      'PLATFORMS.0: must be a list of platform/architecture pairs such as al9/x86_64.',
    ]);
  });

  it('when a platform or distribution is longer than a Slack form sends back (75 characters), then it is refused', () => {
    const long = `el9/${'x'.repeat(72)}`;
    expect(long).toHaveLength(76);
    expect(problemsOf({ PLATFORMS: `el9/x86_64,${long}`, DISTRIBUTIONS: `UMD-5,${'D'.repeat(76)}` })).toEqual(
      [
        'PLATFORMS.1: must be at most 75 characters each, the longest choice a Slack form sends back.',
        'DISTRIBUTIONS.1: must be at most 75 characters each, the longest choice a Slack form sends back.',
      ],
    );
    expect(loadCoreConfig({ PLATFORMS: `el9/${'x'.repeat(71)}` }).PLATFORMS[0]).toHaveLength(75);
  });

  it('when more platforms or distributions are listed than a Slack form offers (100), then they are refused', () => {
    const list = (n: number, name: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => name(i)).join(',');
    expect(
      problemsOf({ PLATFORMS: list(101, (i) => `os${i}/x86_64`), DISTRIBUTIONS: list(101, (i) => `D-${i}`) }),
    ).toEqual([
      'PLATFORMS: must list at most 100 platforms, the most a Slack form offers.',
      'DISTRIBUTIONS: must list at most 100 distributions, the most a Slack form offers.',
    ]);
    expect(loadCoreConfig({ PLATFORMS: list(100, (i) => `os${i}/x86_64`) }).PLATFORMS).toHaveLength(100);
  });

  it('when the working days are zero, then the minimum is given', () => {
    expect(problemsOf({ INJECTION_WORKING_DAYS: '0' })).toEqual([
      'INJECTION_WORKING_DAYS: must be at least 1 working day.',
    ]);
  });

  describe('PLATFORM_ALIASES', () => {
    it('when unset, then el9, alma9, rocky9 and their kin name al9, as UMD 5 does', () => {
      const names = platformNamesFrom(loadCoreConfig({}));
      for (const written of ['el9/x86_64', 'EL9/x86_64', 'alma9/x86_64', 'rocky9/x86_64', 'al9/x86_64']) {
        expect(resolvePlatform(written, names), written).toBe('al9/x86_64');
      }
      expect(resolvePlatform('el8/x86_64', names)).toBeNull();
      expect(resolvePlatform('el9/aarch64', names)).toBeNull(); // an alias keeps the arch: not configured
    });

    it('when unset and PLATFORMS keeps the old names, then the defaults that name nothing configured are left out', () => {
      const names = platformNamesFrom(loadCoreConfig({ PLATFORMS: 'el9/x86_64,el8/x86_64' }));
      expect(names.aliases).toEqual({});
      expect(resolvePlatform('el9/x86_64', names)).toBe('el9/x86_64');
      expect(resolvePlatform('al9/x86_64', names)).toBeNull();
    });

    it('when set, then whole pairs and platform names both work, and the configured name always wins', () => {
      const names = platformNamesFrom(
        loadCoreConfig({
          PLATFORMS: 'al9/x86_64,al9/aarch64,ubuntu24/amd64',
          PLATFORM_ALIASES: 'el9=al9, noble/x86_64=ubuntu24/amd64',
        }),
      );
      expect(resolvePlatform('el9/aarch64', names)).toBe('al9/aarch64');
      expect(resolvePlatform('noble/x86_64', names)).toBe('ubuntu24/amd64');
      expect(resolvePlatform('noble/amd64', names)).toBeNull();
      expect(resolvePlatform('AL9/AARCH64', names)).toBe('al9/aarch64');
    });

    it('when an alias is malformed or names no configured platform, then start-up is refused naming it', () => {
      expect(
        problemsOf({
          PLATFORMS: 'al9/x86_64',
          PLATFORM_ALIASES: 'el9=al9,el8=el8,rocky9,el9/x86_64=al9,el9=al10',
        }),
      ).toEqual([
        'PLATFORM_ALIASES: "el8=el8": el8 is not among PLATFORMS (al9/x86_64).',
        'PLATFORM_ALIASES: "rocky9" is not written alias=platform, such as el9=al9 or el9/x86_64=al9/x86_64.',
        'PLATFORM_ALIASES: "el9/x86_64=al9": give both sides as platforms (el9=al9) or both as platform/arch pairs.',
        'PLATFORM_ALIASES: "el9=al10": al10 is not among PLATFORMS (al9/x86_64).',
      ]);
    });
  });

  describe('QC_CRITERIA_FILE', () => {
    const withFile = (content: string, check: (file: string) => void) => {
      const dir = mkdtempSync(join(tmpdir(), 'cmd-bot-qc-'));
      const file = join(dir, 'qc.json');
      writeFileSync(file, content);
      try {
        check(file);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    it('when it is unset, then the built-in criteria apply', () => {
      expect(loadCoreConfig({}).QC_CRITERIA_FILE).toEqual({ file: null, criteria: DEFAULT_QC_CRITERIA });
    });

    it('when it names a good file, then its criteria replace the built-in ones', () => {
      withFile('[{ "id": "QC_ONLY_1", "name": "Only one", "critical": true }]', (file) => {
        expect(loadCoreConfig({ QC_CRITERIA_FILE: file }).QC_CRITERIA_FILE).toEqual({
          file,
          criteria: [{ id: 'QC_ONLY_1', name: 'Only one', critical: true }],
        });
      });
    });

    it('when the file is wrong, missing or not JSON, then one line names the file, the entry and the field', () => {
      withFile('[{ "id": "QC_DOC_1", "name": "Release Notes", "critical": "yes" }]', (file) => {
        expect(problemsOf({ QC_CRITERIA_FILE: file })).toEqual([
          `QC_CRITERIA_FILE: ${file}: entry 1 (QC_DOC_1): "critical" must be true or false.`,
        ]);
      });
      withFile('[{ "id": "QC_DOC_1", ', (file) => {
        expect(problemsOf({ QC_CRITERIA_FILE: file })[0]).toMatch(
          new RegExp(`^QC_CRITERIA_FILE: ${file}: is not JSON: `),
        );
      });
      expect(problemsOf({ QC_CRITERIA_FILE: '/nonexistent/qc.json' })[0]).toMatch(
        /^QC_CRITERIA_FILE: \/nonexistent\/qc\.json: cannot be read: ENOENT/,
      );
    });
  });
});
