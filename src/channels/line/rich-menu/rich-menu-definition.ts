import type { messagingApi } from '@line/bot-sdk';
import { encodeChoice } from '../../../core/conversation/choice-data.js';
import { ENTRY_POINTS } from '../../../core/conversation/load-flows.js';
import type { Translate } from '../../../core/ports/translator.js';

/** LINE's large rich menu (the image must be exactly this size; at most 1 MB, PNG or JPEG). */
export const RICH_MENU_SIZE = { width: 2500, height: 1686 } as const;
export const RICH_MENU_MAX_BYTES = 1024 * 1024;

/**
 * The areas, each one of the welcome menu's options (flows/welcome.flow.yaml, step `menu`): a tap
 * sends the same postback as the chat's own button, which the engine takes from any step.
 */
export const RICH_MENU_OPTIONS = ['self', 'neighbour', 'emergency', 'data', 'language'] as const;
export type RichMenuOption = (typeof RICH_MENU_OPTIONS)[number];

export interface AreaBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

const { width: W, height: H } = RICH_MENU_SIZE;
const TOP = Math.round(H * 0.56);
/** Top row: the two ways in, wide; then emergency. Bottom row: records and language. */
export const RICH_MENU_LAYOUT: Record<RichMenuOption, AreaBounds> = {
  self: { x: 0, y: 0, width: 1000, height: TOP },
  neighbour: { x: 1000, y: 0, width: 900, height: TOP },
  emergency: { x: 1900, y: 0, width: W - 1900, height: TOP },
  data: { x: 0, y: TOP, width: 1250, height: H - TOP },
  language: { x: 1250, y: TOP, width: W - 1250, height: H - TOP },
};

/** Names the script owns: it replaces menus with this prefix and leaves any other alone. */
export const RICH_MENU_NAME_PREFIX = 'madoguchi';

/** An alias per language (LINE: lower-case letters, digits, - and _, at most 32 characters). */
export function richMenuAliasId(language: string): string {
  return `${RICH_MENU_NAME_PREFIX}-${language.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`;
}

export function richMenuPostback(option: RichMenuOption): string {
  return encodeChoice({ kind: 'option', flow: ENTRY_POINTS.menu.flow, step: ENTRY_POINTS.menu.step, option });
}

/** The menu for one language; `t` gives that language's texts (locales/<language>/richmenu.json). */
export function richMenuRequest(language: string, t: Translate): messagingApi.RichMenuRequest {
  return {
    size: { ...RICH_MENU_SIZE },
    // Shown open: the way in is visible without a tap on "メニュー".
    selected: true,
    name: `${RICH_MENU_NAME_PREFIX} ${language}`,
    chatBarText: t('richmenu.chat-bar').slice(0, 14),
    areas: RICH_MENU_OPTIONS.map((option) => ({
      bounds: { ...RICH_MENU_LAYOUT[option] },
      action: {
        type: 'postback',
        data: richMenuPostback(option),
        // What the chat shows as the resident's own message when they tap (LINE: at most 300).
        displayText: t(`richmenu.${option}.title`).slice(0, 300),
      },
    })),
  };
}
