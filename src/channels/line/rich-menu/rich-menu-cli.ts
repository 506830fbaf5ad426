import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { messagingApi } from '@line/bot-sdk';
import { loadConfig, projectRoot } from '../../../config.js';
import { withDeadline } from '../../../core/deadline.js';
import { SOURCE_LANGUAGE } from '../../../i18n/load-locales.js';
import { loadConversationContent } from '../../../load-conversation-content.js';
import { richMenuRequest } from './rich-menu-definition.js';
import { drawRichMenuImage } from './rich-menu-image.js';
import { publishRichMenus, type RichMenuApi, type RichMenuBuild } from './rich-menu-publisher.js';

const USAGE = `npm run line:rich-menu [-- --dry-run] [-- --out DIR]

Creates the LINE rich menu, one per language, from the city config (MUNICIPALITY_CONFIG: name and
branding colours) and locales/*/richmenu.json, and replaces the menus an earlier run made.
  --dry-run   draw and check every menu, write the images, call nothing
  --out DIR   where the images go (default: ./rich-menu)
Needs LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN (not for --dry-run).`;

/** The Messaging API behind the publisher's interface, each call with the service's deadline. */
export function lineRichMenuApi(options: {
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
  timeoutMs: number;
}): RichMenuApi {
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: options.channelAccessToken,
    baseURL: options.apiBaseUrl,
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: options.channelAccessToken,
    baseURL: options.dataApiBaseUrl,
  });
  const timed =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A) =>
      withDeadline(`line.${name}`, options.timeoutMs, () => call(...args));
  return {
    createRichMenu: timed('createRichMenu', (r) => client.createRichMenu(r)),
    setRichMenuImage: timed('setRichMenuImage', (id, image) => blob.setRichMenuImage(id, image)),
    getRichMenuList: timed('getRichMenuList', () => client.getRichMenuList()),
    getRichMenuAlias: timed('getRichMenuAlias', (id) => client.getRichMenuAlias(id)),
    createRichMenuAlias: timed('createRichMenuAlias', (r) => client.createRichMenuAlias(r)),
    updateRichMenuAlias: timed('updateRichMenuAlias', (id, r) => client.updateRichMenuAlias(id, r)),
    setDefaultRichMenu: timed('setDefaultRichMenu', (id) => client.setDefaultRichMenu(id)),
    deleteRichMenu: timed('deleteRichMenu', (id) => client.deleteRichMenu(id)),
  };
}

/** Draws every language's menu from the city config and the locales. */
export async function buildRichMenus(configPath: string): Promise<RichMenuBuild[]> {
  const { translator, municipality } = loadConversationContent(projectRoot, configPath);
  const builds: RichMenuBuild[] = [];
  for (const language of translator.languages) {
    const t = translator.forLanguage(language);
    const names = municipality.municipality.names as Record<string, string>;
    const image = await drawRichMenuImage(language, t, {
      cityName: names[language] ?? names.ja ?? '',
      ...municipality.branding,
    });
    builds.push({ language, request: richMenuRequest(language, t), image });
  }
  return builds;
}

export async function runRichMenuCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = console.log,
): Promise<number> {
  let args: { values: { 'dry-run'?: boolean; out?: string; help?: boolean } };
  try {
    args = parseArgs({
      args: argv,
      options: { 'dry-run': { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    out(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    out(USAGE);
    return 0;
  }
  const dryRun = args.values['dry-run'] ?? false;
  try {
    const config = loadConfig(env);
    if (!dryRun && !config.line) {
      out(`LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are needed (or use --dry-run).\n\n${USAGE}`);
      return 2;
    }
    const builds = await buildRichMenus(config.municipalityConfigPath);
    const dir = path.resolve(args.values.out ?? 'rich-menu');
    mkdirSync(dir, { recursive: true });
    for (const build of builds) {
      const file = path.join(
        dir,
        `rich-menu-${build.language}.${build.image.contentType === 'image/png' ? 'png' : 'jpg'}`,
      );
      writeFileSync(file, build.image.data);
      out(`${build.language}: ${file} (${build.image.data.length} bytes)`);
    }
    const api =
      config.line && !dryRun
        ? lineRichMenuApi({ ...config.line, timeoutMs: Math.max(config.deadlines.apiCallMs, 30_000) })
        : undefined;
    const result = await publishRichMenus(api, builds, {
      defaultLanguage: SOURCE_LANGUAGE,
      dryRun,
      log: out,
    });
    out(
      result.dryRun
        ? `dry run: ${result.menus.length} menus checked; nothing was sent to LINE`
        : `published ${result.menus.length} menus; default ${result.defaultLanguage}; removed ${result.removed.length} earlier`,
    );
    return 0;
  } catch (error) {
    out(`rich menu not published: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
