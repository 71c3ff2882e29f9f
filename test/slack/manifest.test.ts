import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type KeywordDefinition } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMANDS } from '../../src/slack/command-list.js';

interface ManifestCommand {
  command: string;
  description?: string;
  usage_hint?: string;
  url?: string;
  should_escape?: boolean;
}

interface Manifest {
  _metadata?: { major_version?: number };
  display_information: { name: string; background_color?: string };
  features: {
    app_home?: { home_tab_enabled?: boolean };
    bot_user?: { display_name?: string };
    slash_commands?: ManifestCommand[];
  };
  oauth_config: { scopes: { bot?: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

const manifestPath = fileURLToPath(new URL('../../manifest.yml', import.meta.url));
const manifest = parse(readFileSync(manifestPath, 'utf8')) as Manifest;
const commands = manifest.features.slash_commands ?? [];

// Slack's manifest schema (slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json), kept in the repository
// so that a plain clone checks the manifest against it.
const schemaPath = fileURLToPath(new URL('../fixtures/slack/manifest.schema.1.0.0.json', import.meta.url));

/**
 * Slack's schema writes one constraint as `regex` (background_color) where JSON Schema says `pattern`; this
 * keyword enforces it as Slack means it instead of dropping it.
 */
const regexKeyword: KeywordDefinition = {
  keyword: 'regex',
  type: 'string',
  schemaType: 'string',
  validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
};

const srcDir = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * The bot scopes each Web API method cmd-bot calls needs (https://api.slack.com/methods). History is read in the
 * channels cmd-bot posts to (public, private) and in DMs, so all three kinds of history.
 */
const SCOPES_OF_METHOD: Record<string, readonly string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'conversations.open': ['im:write'],
  // @slack/web-api's helper: files.getUploadURLExternal, the upload, files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
  'files.info': ['files:read'],
  'usergroups.users.list': ['usergroups:read'],
  'views.open': [],
  'views.publish': [],
};

/** The scopes a subscribed event needs to be delivered. */
const SCOPES_OF_EVENT: Record<string, readonly string[]> = {
  app_home_opened: [],
  subteam_members_changed: ['usergroups:read'],
  'message.im': ['im:history'],
};

/** Every `client.a.b(…)` call in src/, as the method name `a.b`. */
function webApiMethodsCalledIn(dir: string): string[] {
  const methods = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of text.matchAll(/\bclient\.((?:[a-z]+\.)+[a-zA-Z0-9]+)\(/g))
      methods.add(match[1] as string);
  }
  return [...methods].sort();
}

describe('manifest.yml', () => {
  it("is valid against Slack's manifest schema", () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    // The schema is draft-07 (Ajv's default). Strict mode stays on, so anything else unexpected in a newer
    // copy fails loudly; only the schema's own non-standard bits are declared: the `_note` annotation, the
    // `regex` keyword, and format `uri` (used only by the optional `$schema` property, so no ajv-formats).
    // strictTypes is off only because Slack's schema puts `minItems` on untyped items (it would just log).
    const ajv = new Ajv({
      allErrors: true,
      strictTypes: false,
      formats: { uri: true },
      keywords: ['_note', regexKeyword],
    });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(valid ? [] : ajv.errorsText(validate.errors, { separator: '\n' }).split('\n')).toEqual([]);
  });

  it('uses manifest major version 1', () => {
    expect(manifest._metadata?.major_version).toBe(1);
  });

  it('declares exactly the slash commands the app handles', () => {
    const inManifest = new Set(commands.map((c) => c.command));
    const handled = new Set<string>(SLASH_COMMANDS.map((c) => c.command));
    const difference = {
      missingFromManifest: [...handled].filter((c) => !inManifest.has(c)),
      notHandledByTheApp: [...inManifest].filter((c) => !handled.has(c)),
      duplicatedInManifest: commands.map((c) => c.command).filter((c, i, all) => all.indexOf(c) !== i),
    };
    expect(difference).toEqual({ missingFromManifest: [], notHandledByTheApp: [], duplicatedInManifest: [] });
  });

  it('gives each command a valid name and the description and usage hint from the command list', () => {
    for (const entry of commands) {
      expect(entry.command, entry.command).toMatch(/^\/[^\s/]{1,31}$/);
      expect(entry.description?.length ?? 0, `${entry.command} description`).toBeGreaterThan(0);
      expect(entry.should_escape, `${entry.command} should_escape`).toBe(false);
      const listed = SLASH_COMMANDS.find((c) => c.command === entry.command);
      if (!listed) continue; // reported by the set comparison above
      expect(entry.description, `${entry.command} description`).toBe(listed.description);
      expect(entry.usage_hint, `${entry.command} usage_hint`).toBe(listed.usageHint || undefined);
    }
  });

  it('asks for exactly the bot scopes of the Web API methods the code calls, the commands and the events', () => {
    const called = webApiMethodsCalledIn(srcDir);
    const unknown = called.filter((method) => !(method in SCOPES_OF_METHOD));
    expect(unknown, 'add these methods and their scopes to SCOPES_OF_METHOD').toEqual([]);
    const needed = new Set(['commands', ...called.flatMap((method) => SCOPES_OF_METHOD[method] ?? [])]);
    for (const event of manifest.settings.event_subscriptions?.bot_events ?? []) {
      for (const scope of SCOPES_OF_EVENT[event] ?? []) needed.add(scope);
    }

    expect(called).toContain('chat.postMessage');
    expect([...(manifest.oauth_config.scopes.bot ?? [])].sort()).toEqual([...needed].sort());
  });

  it('enables the Home tab and subscribes to the events the app handles', () => {
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions?.bot_events).toEqual(
      expect.arrayContaining(['app_home_opened', 'subteam_members_changed', 'message.im']),
    );
  });

  it('lets people write in the Messages tab, where they drop a UMD5 descriptor for message.im', () => {
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('enables interactivity', () => {
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
  });

  it('in HTTP mode, points every request URL at /slack/events on one host', () => {
    if (manifest.settings.socket_mode_enabled) return;
    const urls = [
      ...commands.map((c) => c.url),
      manifest.settings.event_subscriptions?.request_url,
      manifest.settings.interactivity?.request_url,
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(new Set(urls.map((u) => new URL(u ?? '').host)).size).toBe(1);
  });

  it('keeps the display name within 35 characters and the bot named cmd-bot', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.features.bot_user?.display_name).toBe('cmd-bot');
  });
});
