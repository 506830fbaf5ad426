import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../../src/config.js';

/** The scope each Web API method the adapter calls needs (docs.slack.dev/reference/methods). */
const SCOPES_BY_METHOD: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  'chat.delete': ['chat:write'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'conversations.history': ['channels:history', 'groups:history'],
  'files.delete': ['files:write'],
  'files.uploadV2': ['files:write'],
  'conversations.members': ['channels:read', 'groups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'views.open': [],
};
/** Thread replies arrive as message events: public and private channels. */
const EVENTS = ['message.channels', 'message.groups'];
const SCOPES_BY_EVENT: Record<string, string> = {
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
};

const manifest = parse(readFileSync(path.join(projectRoot, 'slack-app-manifest.yaml'), 'utf8'));
const sourceDir = path.join(projectRoot, 'src', 'channels', 'slack');
const calledMethods = [
  ...new Set(
    readdirSync(sourceDir).flatMap((file) =>
      [
        ...readFileSync(path.join(sourceDir, file), 'utf8').matchAll(
          /client\.([a-z]+(?:\.[a-zA-Z0-9]+)+)\(/g,
        ),
      ].map((m) => m[1] as string),
    ),
  ),
].sort();

describe('slack-app-manifest.yaml', () => {
  it('knows the scope of every Web API method the adapter calls', () => {
    expect(calledMethods.filter((m) => !(m in SCOPES_BY_METHOD))).toEqual([]);
  });

  it('asks for exactly the scopes the calls and events need', () => {
    const needed = new Set([
      ...calledMethods.flatMap((m) => SCOPES_BY_METHOD[m] ?? []),
      ...EVENTS.map((e) => SCOPES_BY_EVENT[e]),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('is described in docs/deploy.md with exactly its scopes', () => {
    const deploy = readFileSync(path.join(projectRoot, 'docs', 'deploy.md'), 'utf8');
    const sentence = deploy.match(/It asks for ([^.]*?), subscribes/s)?.[1] ?? '';
    const listed = [...sentence.matchAll(/`([a-z:.]+)`/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });

  it('subscribes to the thread message events and sends events and interactivity to /slack/events', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(EVENTS);
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe('/slack/events');
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
  });
});
