import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, projectRoot } from '../src/config.js';

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** The backticked scopes (`chat:write`) of the paragraph that starts at `marker`. */
function scopesAfter(text: string, marker: string): string[] {
  const at = text.indexOf(marker);
  expect(at, marker).toBeGreaterThanOrEqual(0);
  const paragraph = text.slice(at, text.indexOf('\n\n', at));
  return [...new Set([...paragraph.matchAll(/`([a-z]+:[a-z]+)`/g)].map((m) => m[1] as string))].sort();
}

describe('the docs a new city reads', () => {
  it('list the Slack scopes exactly as the app manifest asks for them', () => {
    const manifest = parse(read('slack-app-manifest.yaml')) as {
      oauth_config: { scopes: { bot: string[] } };
    };
    const scopes = [...manifest.oauth_config.scopes.bot].sort();
    expect(scopesAfter(read('docs/deploy.md'), 'At <https://api.slack.com/apps>')).toEqual(scopes);
    expect(scopesAfter(read('README.md'), 'At api.slack.com/apps')).toEqual(scopes);
  });

  it('name every environment variable the service reads in the README configuration table', () => {
    const readme = read('README.md');
    for (const variable of ENVIRONMENT_VARIABLES) expect(readme).toContain(`| \`${variable}\``);
  });

  it('send the city to the Official Account Manager to create the LINE channel (since September 2024)', () => {
    for (const file of ['README.md', 'docs/deploy.md']) {
      const text = read(file);
      expect(text, file).toContain('Official Account Manager');
      expect(text, file).toContain('Since September 2024');
      expect(text, file).not.toMatch(/In the LINE Developers console, create a provider/);
    }
  });
});
