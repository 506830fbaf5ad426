import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import { CodedError } from '../../../core/coded-error.js';
import { RICH_MENU_MAX_BYTES, RICH_MENU_NAME_PREFIX, richMenuAliasId } from './rich-menu-definition.js';

/** The Messaging API calls the publisher makes (MessagingApiClient and MessagingApiBlobClient). */
export interface RichMenuApi {
  createRichMenu(request: messagingApi.RichMenuRequest): Promise<{ richMenuId: string }>;
  setRichMenuImage(richMenuId: string, image: Blob): Promise<unknown>;
  getRichMenuList(): Promise<{ richmenus: Array<{ richMenuId: string; name: string }> }>;
  getRichMenuAlias(aliasId: string): Promise<{ richMenuAliasId: string; richMenuId: string }>;
  createRichMenuAlias(request: { richMenuAliasId: string; richMenuId: string }): Promise<unknown>;
  updateRichMenuAlias(aliasId: string, request: { richMenuId: string }): Promise<unknown>;
  setDefaultRichMenu(richMenuId: string): Promise<unknown>;
  deleteRichMenu(richMenuId: string): Promise<unknown>;
}

/** One language's menu, ready to send. */
export interface RichMenuBuild {
  language: string;
  request: messagingApi.RichMenuRequest;
  image: { data: Buffer; contentType: 'image/png' | 'image/jpeg' };
}

export interface PublishResult {
  /** The new menu of each language (absent in a dry run). */
  menus: Array<{ language: string; aliasId: string; richMenuId?: string | undefined }>;
  defaultLanguage: string;
  /** Earlier menus of this service that were removed. */
  removed: string[];
  dryRun: boolean;
}

/** A menu LINE would refuse (size, format, areas): fixing the config or locales helps, retrying does not. */
export class RichMenuError extends CodedError {
  constructor(message: string) {
    super('RICH_MENU_INVALID', 'permanent', message);
  }
}

/** LINE's limits, checked before anything is sent: a bad image fails the run, not the upload. */
export function checkBuild(build: RichMenuBuild): void {
  const { image, language } = build;
  if (image.data.length > RICH_MENU_MAX_BYTES)
    throw new RichMenuError(
      `${language}: the image is ${image.data.length} bytes; LINE takes at most ${RICH_MENU_MAX_BYTES}`,
    );
  const png = image.data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = image.data[0] === 0xff && image.data[1] === 0xd8;
  if (!(image.contentType === 'image/png' ? png : jpeg))
    throw new RichMenuError(`${language}: the image is not a ${image.contentType}`);
  const { width, height } = build.request.size ?? {};
  if (width !== 2500 || (height !== 1686 && height !== 843))
    throw new RichMenuError(`${language}: the menu is ${width}x${height}; LINE takes 2500x1686 or 2500x843`);
  const areas = build.request.areas?.length ?? 0;
  if (areas === 0 || areas > 20) throw new RichMenuError(`${language}: a menu has 1 to 20 areas`);
}

/**
 * Publishes one rich menu per language, idempotently: each run creates the new menus and uploads
 * their images, then points each language's alias (`madoguchi-<language>`) at its new menu, makes the
 * default language's menu the account's default, and only then deletes this service's earlier menus.
 * A resident is never linked to a menu that is gone for longer than that last step, and a run that
 * fails half-way leaves the old menus in place (the next run cleans up the new ones it left).
 */
export async function publishRichMenus(
  api: RichMenuApi | undefined,
  builds: RichMenuBuild[],
  options: { defaultLanguage: string; dryRun: boolean; log?: (line: string) => void },
): Promise<PublishResult> {
  const log = options.log ?? (() => {});
  for (const build of builds) checkBuild(build);
  if (!builds.some((b) => b.language === options.defaultLanguage))
    throw new RichMenuError(`no menu for the default language ${options.defaultLanguage}`);
  if (options.dryRun || !api) {
    for (const b of builds)
      log(
        `[dry run] ${b.language}: "${b.request.name}", ${b.request.areas?.length ?? 0} areas, ${b.image.contentType} ${b.image.data.length} bytes → alias ${richMenuAliasId(b.language)}`,
      );
    return {
      menus: builds.map((b) => ({ language: b.language, aliasId: richMenuAliasId(b.language) })),
      defaultLanguage: options.defaultLanguage,
      removed: [],
      dryRun: true,
    };
  }

  const before = (await api.getRichMenuList()).richmenus
    .filter((m) => ownedByUs(m.name))
    .map((m) => m.richMenuId);
  const menus: PublishResult['menus'] = [];
  for (const build of builds) {
    const { richMenuId } = await api.createRichMenu(build.request);
    await api.setRichMenuImage(
      richMenuId,
      new Blob([new Uint8Array(build.image.data)], { type: build.image.contentType }),
    );
    const aliasId = richMenuAliasId(build.language);
    await pointAlias(api, aliasId, richMenuId);
    menus.push({ language: build.language, aliasId, richMenuId });
    log(`${build.language}: menu ${richMenuId} (alias ${aliasId})`);
  }
  const main = menus.find((m) => m.language === options.defaultLanguage)?.richMenuId as string;
  await api.setDefaultRichMenu(main);
  log(`default: ${options.defaultLanguage} (${main})`);
  const kept = new Set(menus.map((m) => m.richMenuId));
  const removed: string[] = [];
  for (const id of before) {
    if (kept.has(id)) continue;
    await api.deleteRichMenu(id);
    removed.push(id);
  }
  if (removed.length > 0) log(`removed ${removed.length} earlier menu(s)`);
  return { menus, defaultLanguage: options.defaultLanguage, removed, dryRun: false };
}

function ownedByUs(name: string): boolean {
  return name === RICH_MENU_NAME_PREFIX || name.startsWith(`${RICH_MENU_NAME_PREFIX} `);
}

/** Creates the alias, or moves it when it exists (LINE answers 400 to creating an alias twice). */
async function pointAlias(api: RichMenuApi, aliasId: string, richMenuId: string): Promise<void> {
  let exists = true;
  try {
    await api.getRichMenuAlias(aliasId);
  } catch (error) {
    if (!(error instanceof HTTPFetchError) || error.status !== 404) throw error;
    exists = false;
  }
  if (exists) await api.updateRichMenuAlias(aliasId, { richMenuId });
  else await api.createRichMenuAlias({ richMenuAliasId: aliasId, richMenuId });
}
