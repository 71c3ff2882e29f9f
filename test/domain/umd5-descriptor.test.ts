import { describe, expect, it } from 'vitest';
import {
  descriptorFacts,
  descriptorsForExport,
  packageNameOf,
  readUmd5Descriptor,
} from '../../src/domain/umd5-descriptor.js';

const names = { platforms: ['al9/x86_64', 'al9/aarch64'], aliases: { el9: 'al9' } };
const context = { platforms: names, distributions: ['UMD-5', 'CMD-OS-1'] };
const base = {
  name: 'wn',
  version: '5.1.0',
  releaseNotes: 'https://github.com/EGI-Federation/wn-metapackage/releases/tag/v5.1.0',
  contact: 'ops@example.org',
  technicalContact: 'ops@example.org',
  distributionType: 'UMD',
  distributionVersion: '5.0.0',
  target: [{ platform: 'al9', arch: 'x86_64', rpms: ['https://x.example/wn-5.1.0-1.el9.x86_64.rpm'] }],
};
const read = (descriptor: object, more: Partial<Parameters<typeof readUmd5Descriptor>[1]> = {}) =>
  readUmd5Descriptor(JSON.stringify(descriptor), { ...context, ...more });

describe('packageNameOf', () => {
  it('when given an rpm URL, then the name is its file name without .rpm, decoded, without query or fragment', () => {
    expect(packageNameOf('https://x.example/a/apel-lib-2.1.0-1.el9.noarch.rpm')).toBe(
      'apel-lib-2.1.0-1.el9.noarch',
    );
    expect(packageNameOf('https://x.example/a/b%2Bc-1.0.rpm?download=1#x')).toBe('b+c-1.0');
    expect(packageNameOf(' voms-clients ')).toBe('voms-clients');
  });
});

describe('readUmd5Descriptor', () => {
  it('when the file is clean, then it reads with no warnings, and el9 goes to al9', () => {
    const result = read({ ...base, target: [{ ...base.target[0], platform: 'el9' }] });
    expect(result).toMatchObject({
      ok: true,
      warnings: [],
      submission: {
        distribution: 'UMD-5',
        platforms: ['al9/x86_64'],
        packages: { 'al9/x86_64': ['wn-5.1.0-1.el9.x86_64'] },
      },
    });
  });

  it('when a version names the series of another (23.0 and 23.0.13, 2.1.0 and 2.1.0-1), then it is the same version', () => {
    const result = read(
      { ...base, version: '23.0.13', releaseNotes: 'https://htcondor.example/v23.0/notes' },
      { fileName: 'htcondor-ce-23.0-el9.json' },
    );
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('when the distribution is written in another case, then it is still found; without distributionVersion it is refused', () => {
    expect(read({ ...base, distributionType: 'cmd-os', distributionVersion: 1 })).toMatchObject({
      ok: true,
      submission: { distribution: 'CMD-OS-1' },
    });
    const missing = read({ ...base, distributionVersion: undefined });
    expect(missing.ok ? [] : missing.problems).toEqual([
      '"distributionVersion" must be the distribution\'s version, such as "5.0.0" (got null).',
    ]);
  });

  it('when two targets name one platform through an alias, then it is refused naming both', () => {
    const result = read({ ...base, target: [base.target[0], { ...base.target[0], platform: 'el9' }] });
    expect(result.ok ? [] : result.problems).toEqual([
      'target[0] and target[1] are both al9/x86_64; list each platform once.',
    ]);
  });
});

describe('descriptorsForExport', () => {
  const release = {
    name: 'wn',
    version: '5.1.0',
    releaseNotes: base.releaseNotes,
    distribution: 'UMD-5',
    platforms: ['al9/x86_64', 'al9/aarch64'],
    packagesByPlatform: { 'al9/x86_64': ['wn'], 'al9/aarch64': ['wn'] },
    releaseDate: '2027-03-03',
    card: { team: 'EGI', supportEmail: null, teamLeader: null, description: null, documentationLinks: [] },
  };

  it('when a descriptor came with two targets, then each file is the original narrowed to one target', () => {
    const two = {
      ...base,
      dummy: 'count 1',
      target: [
        base.target[0],
        { platform: 'al9', arch: 'aarch64', rpms: ['https://x.example/wn.aarch64.rpm'] },
      ],
    };
    const files = descriptorsForExport({ ...release, descriptor: two }, names);
    expect(files.map((f) => f.fileName)).toEqual(['wn-5.1.0-al9-x86_64.json', 'wn-5.1.0-al9-aarch64.json']);
    expect(files[1]?.descriptor).toEqual({ ...two, target: [two.target[1]] });
  });

  it('when typed by hand for UMD-5, then each platform gets its UMD 5 repository and key', () => {
    const [first] = descriptorsForExport({ ...release, descriptor: null }, names);
    expect(first?.descriptor).toMatchObject({
      technology_provider: 'EGI',
      contact: '',
      repositoryURL: 'sw/production/umd/5/al9/release/x86_64',
      distributionType: 'UMD',
      distributionVersion: '5.0.0',
      target: [
        {
          platform: 'al9',
          arch: 'x86_64',
          repositoryURL: 'sw/production/umd/5/al9/release/x86_64',
          gpgkey: 'https://repository.egi.eu/repository/umd/5/UMD-5-RPM-PGP-KEY',
          rpms: ['wn'],
        },
      ],
    });
  });
});

describe('descriptorFacts', () => {
  it('when fields have the wrong type, then they read as absent rather than throwing', () => {
    expect(
      descriptorFacts(
        {
          technology_provider: 7,
          capabilities: 'Compute',
          target: [null, { platform: 'el9', arch: 'x86_64' }],
        },
        names,
      ),
    ).toMatchObject({
      technologyProvider: null,
      capabilities: [],
      targets: [{ platform: 'al9/x86_64', repositoryURL: null, gpgkey: null }],
    });
  });
});
