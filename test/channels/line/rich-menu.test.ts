import nock from 'nock';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRichMenuLinker } from '../../../src/channels/line/rich-menu/line-rich-menu-linker.js';
import { lineRichMenuApi } from '../../../src/channels/line/rich-menu/rich-menu-cli.js';
import {
  RICH_MENU_MAX_BYTES,
  RICH_MENU_OPTIONS,
  richMenuRequest,
} from '../../../src/channels/line/rich-menu/rich-menu-definition.js';
import { drawRichMenuImage } from '../../../src/channels/line/rich-menu/rich-menu-image.js';
import {
  publishRichMenus,
  type RichMenuBuild,
  RichMenuError,
} from '../../../src/channels/line/rich-menu/rich-menu-publisher.js';
import { decodeChoice } from '../../../src/core/conversation/choice-data.js';
import { ConversationHarness } from '../../support/conversation-harness.js';

const API = 'https://api.line.me';
const DATA_API = 'https://api-data.line.me';
const TOKEN = 'test-access-token';
const auth = { reqheaders: { authorization: `Bearer ${TOKEN}` } };
const api = () =>
  lineRichMenuApi({ channelAccessToken: TOKEN, apiBaseUrl: API, dataApiBaseUrl: DATA_API, timeoutMs: 5_000 });
const LANGUAGES = ['ja', 'en'] as const;

let builds: RichMenuBuild[];
let content: ConversationHarness['content'];

beforeAll(async () => {
  const h = await ConversationHarness.create();
  content = h.content;
  await h.close();
  const { translator, municipality } = content;
  builds = [];
  for (const language of LANGUAGES) {
    const t = translator.forLanguage(language);
    const image = await drawRichMenuImage(language, t, {
      cityName: municipality.municipality.names[language],
      ...municipality.branding,
    });
    builds.push({ language, request: richMenuRequest(language, t), image });
  }
}, 60_000);

afterEach(() => nock.cleanAll());

/** The PNG's own width and height (IHDR), as LINE reads them. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('the rich menu', () => {
  it("is an image within LINE's limits, with an area per welcome menu option the engine takes", () => {
    const welcome = content.flows.get('welcome');
    const menu = welcome?.steps.menu;
    const optionIds = menu?.type === 'choice' ? menu.options.map((o) => o.id) : [];
    for (const build of builds) {
      expect(build.image.contentType).toBe('image/png');
      expect(build.image.data.length).toBeLessThanOrEqual(RICH_MENU_MAX_BYTES);
      expect(pngSize(build.image.data)).toEqual({ width: 2500, height: 1686 });
      const areas = build.request.areas ?? [];
      expect(areas).toHaveLength(RICH_MENU_OPTIONS.length);
      for (const area of areas) {
        const action = area.action as { type: string; data: string; displayText: string };
        expect(action.type).toBe('postback');
        const choice = decodeChoice(action.data);
        expect(choice).toMatchObject({ kind: 'option', flow: 'welcome', step: 'menu' });
        expect(optionIds).toContain(choice?.kind === 'option' ? choice.option : '');
        expect(action.displayText.length).toBeGreaterThan(0);
      }
    }
    expect(builds.find((b) => b.language === 'ja')?.request.chatBarText).toBe('メニュー');
  });

  it('first run: creates a menu per language, uploads each image, names it by an alias, makes ja the default', async () => {
    const created: unknown[] = [];
    const line = nock(API, auth)
      .get('/v2/bot/richmenu/list')
      .reply(200, { richmenus: [{ richMenuId: 'richmenu-other', name: 'campaign', size: {}, areas: [] }] })
      .post('/v2/bot/richmenu', (body) => created.push(body) > 0)
      .reply(200, { richMenuId: 'richmenu-ja-1' })
      .get('/v2/bot/richmenu/alias/madoguchi-ja')
      .reply(404, { message: 'richmenu alias not found' })
      .post('/v2/bot/richmenu/alias', { richMenuAliasId: 'madoguchi-ja', richMenuId: 'richmenu-ja-1' })
      .reply(200, {})
      .post('/v2/bot/richmenu', (body) => created.push(body) > 0)
      .reply(200, { richMenuId: 'richmenu-en-1' })
      .get('/v2/bot/richmenu/alias/madoguchi-en')
      .reply(404, { message: 'richmenu alias not found' })
      .post('/v2/bot/richmenu/alias', { richMenuAliasId: 'madoguchi-en', richMenuId: 'richmenu-en-1' })
      .reply(200, {})
      .post('/v2/bot/user/all/richmenu/richmenu-ja-1')
      .reply(200, {});
    const uploads = nock(DATA_API, { reqheaders: { ...auth.reqheaders, 'content-type': 'image/png' } })
      .post('/v2/bot/richmenu/richmenu-ja-1/content')
      .reply(200, {})
      .post('/v2/bot/richmenu/richmenu-en-1/content')
      .reply(200, {});

    const result = await publishRichMenus(api(), builds, { defaultLanguage: 'ja', dryRun: false });

    line.done();
    uploads.done();
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({ name: 'madoguchi ja', size: { width: 2500, height: 1686 } });
    expect(result.menus.map((m) => [m.language, m.richMenuId])).toEqual([
      ['ja', 'richmenu-ja-1'],
      ['en', 'richmenu-en-1'],
    ]);
    // Someone else's menu is not this script's to delete.
    expect(result.removed).toEqual([]);
  });

  it('a second run replaces: new menus, the aliases moved to them, then the old ones deleted', async () => {
    const line = nock(API, auth)
      .get('/v2/bot/richmenu/list')
      .reply(200, {
        richmenus: [
          { richMenuId: 'richmenu-ja-1', name: 'madoguchi ja', size: {}, areas: [] },
          { richMenuId: 'richmenu-en-1', name: 'madoguchi en', size: {}, areas: [] },
          { richMenuId: 'richmenu-other', name: 'campaign', size: {}, areas: [] },
        ],
      })
      .post('/v2/bot/richmenu')
      .reply(200, { richMenuId: 'richmenu-ja-2' })
      .get('/v2/bot/richmenu/alias/madoguchi-ja')
      .reply(200, { richMenuAliasId: 'madoguchi-ja', richMenuId: 'richmenu-ja-1' })
      .post('/v2/bot/richmenu/alias/madoguchi-ja', { richMenuId: 'richmenu-ja-2' })
      .reply(200, {})
      .post('/v2/bot/richmenu')
      .reply(200, { richMenuId: 'richmenu-en-2' })
      .get('/v2/bot/richmenu/alias/madoguchi-en')
      .reply(200, { richMenuAliasId: 'madoguchi-en', richMenuId: 'richmenu-en-1' })
      .post('/v2/bot/richmenu/alias/madoguchi-en', { richMenuId: 'richmenu-en-2' })
      .reply(200, {})
      .post('/v2/bot/user/all/richmenu/richmenu-ja-2')
      .reply(200, {})
      .delete('/v2/bot/richmenu/richmenu-ja-1')
      .reply(200, {})
      .delete('/v2/bot/richmenu/richmenu-en-1')
      .reply(200, {});
    const uploads = nock(DATA_API, auth)
      .post('/v2/bot/richmenu/richmenu-ja-2/content')
      .reply(200, {})
      .post('/v2/bot/richmenu/richmenu-en-2/content')
      .reply(200, {});

    const result = await publishRichMenus(api(), builds, { defaultLanguage: 'ja', dryRun: false });

    line.done();
    uploads.done();
    expect(result.removed).toEqual(['richmenu-ja-1', 'richmenu-en-1']);
  });

  it('--dry-run calls nothing, and a menu over LINE limits fails before any call', async () => {
    const result = await publishRichMenus(api(), builds, { defaultLanguage: 'ja', dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
    const tooBig = {
      ...builds[0],
      image: { data: Buffer.alloc(RICH_MENU_MAX_BYTES + 1), contentType: 'image/png' },
    };
    await expect(
      publishRichMenus(api(), [tooBig as RichMenuBuild], { defaultLanguage: 'ja', dryRun: false }),
    ).rejects.toBeInstanceOf(RichMenuError);
  });

  it("links a resident to their language's menu, found by its alias (looked up once), with a deadline", async () => {
    const link = createRichMenuLinker({
      channelAccessToken: TOKEN,
      apiBaseUrl: API,
      timeoutMs: 5_000,
      logger: pino({ level: 'silent' }),
    });
    const line = nock(API, auth)
      .get('/v2/bot/richmenu/alias/madoguchi-en')
      .once()
      .reply(200, { richMenuAliasId: 'madoguchi-en', richMenuId: 'richmenu-en-2' })
      .post('/v2/bot/user/U0001/richmenu/richmenu-en-2')
      .reply(200, {})
      .post('/v2/bot/user/U0002/richmenu/richmenu-en-2')
      .reply(200, {})
      .get('/v2/bot/richmenu/alias/madoguchi-ko')
      .reply(404, { message: 'not found' });
    await link('U0001', 'en');
    await link('U0002', 'en');
    // No menu for that language yet: nothing linked, nothing thrown.
    await link('U0003', 'ko');
    line.done();
  });
});
