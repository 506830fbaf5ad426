import { fileURLToPath } from 'node:url';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { Translate } from '../../../core/ports/translator.js';
import {
  type AreaBounds,
  RICH_MENU_LAYOUT,
  RICH_MENU_MAX_BYTES,
  RICH_MENU_OPTIONS,
  RICH_MENU_SIZE,
  type RichMenuOption,
} from './rich-menu-definition.js';

/**
 * Noto Sans (SIL OFL 1.1, assets/fonts/README.md): Japanese first, then the Vietnamese, Korean and
 * Simplified Chinese subsets for the glyphs it lacks. Skia picks, glyph by glyph, the first family
 * in the list that has it.
 */
const FONT_DIR = fileURLToPath(new URL('../../../../assets/fonts/', import.meta.url));
const FAMILIES = [
  ['MenuJP', 'NotoSansJP-Bold.otf'],
  ['MenuVI', 'NotoSansJP-Bold-vietnamese.woff'],
  ['MenuKR', 'NotoSansKR-Bold-korean.woff'],
  ['MenuSC', 'NotoSansSC-Bold-chinese-simplified.woff'],
] as const;
let registered = false;
/**
 * The family list for a language. Vietnamese puts its own subset first: with Japanese first, a letter
 * carrying two marks (ấ, ề) would be drawn from the Japanese font as a base letter and a loose mark.
 */
function registerFonts(language: string): string {
  if (!registered) {
    for (const [family, file] of FAMILIES) GlobalFonts.registerFromPath(`${FONT_DIR}${file}`, family);
    registered = true;
  }
  const families: string[] = FAMILIES.map(([family]) => family);
  const ordered = language === 'vi' ? ['MenuVI', ...families.filter((f) => f !== 'MenuVI')] : families;
  return ordered.join(', ');
}

export interface RichMenuLook {
  cityName: string;
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
}

/** Emergency stands out in red whatever the city's colours. */
const EMERGENCY = '#c62828';
const GAP = 14;

/** Draws one language's menu: a tile per area with its title and a line under it, and the city's name. */
export async function drawRichMenuImage(
  language: string,
  t: Translate,
  look: RichMenuLook,
): Promise<{ data: Buffer; contentType: 'image/png' | 'image/jpeg' }> {
  const fonts = registerFonts(language);
  const canvas = createCanvas(RICH_MENU_SIZE.width, RICH_MENU_SIZE.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = look.backgroundColor;
  ctx.fillRect(0, 0, RICH_MENU_SIZE.width, RICH_MENU_SIZE.height);
  for (const option of RICH_MENU_OPTIONS) drawTile(ctx, option, RICH_MENU_LAYOUT[option], t, look, fonts);
  // The city's name, small, in the bottom corner of the language tile.
  ctx.fillStyle = look.textColor;
  ctx.globalAlpha = 0.6;
  ctx.font = `44px ${fonts}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(look.cityName, RICH_MENU_SIZE.width - 48, RICH_MENU_SIZE.height - 40);
  ctx.globalAlpha = 1;
  // Flat colours compress well as PNG; JPEG only if a city's text ever makes it too large.
  const png = await canvas.encode('png');
  if (png.length <= RICH_MENU_MAX_BYTES) return { data: png, contentType: 'image/png' };
  return { data: await canvas.encode('jpeg', 88), contentType: 'image/jpeg' };
}

function drawTile(
  ctx: SKRSContext2D,
  option: RichMenuOption,
  area: AreaBounds,
  t: Translate,
  look: RichMenuLook,
  fonts: string,
): void {
  const x = area.x + GAP;
  const y = area.y + GAP;
  const w = area.width - GAP * 2;
  const h = area.height - GAP * 2;
  const strong = option === 'self' || option === 'emergency';
  const fill = option === 'emergency' ? EMERGENCY : option === 'self' ? look.primaryColor : '#ffffff';
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 36);
  ctx.fill();
  if (!strong) {
    ctx.strokeStyle = look.primaryColor;
    ctx.lineWidth = 6;
    ctx.stroke();
  }
  const ink = strong ? '#ffffff' : look.textColor;
  const centreX = x + w / 2;
  const centreY = y + h / 2;
  ctx.fillStyle = ink;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const title = t(`richmenu.${option}.title`);
  const sub = t(`richmenu.${option}.sub`);
  const titleSize = fittedFontSize(
    ctx,
    title,
    w - 80,
    option === 'self' || option === 'neighbour' ? 120 : 104,
    fonts,
    'bold ',
  );
  ctx.font = `bold ${titleSize}px ${fonts}`;
  ctx.fillText(title, centreX, centreY - titleSize * 0.45);
  const subSize = fittedFontSize(ctx, sub, w - 80, 60, fonts, '');
  ctx.font = `${subSize}px ${fonts}`;
  ctx.globalAlpha = strong ? 0.95 : 0.8;
  ctx.fillText(sub, centreX, centreY + titleSize * 0.55 + subSize * 0.3);
  ctx.globalAlpha = 1;
}

/** The largest size up to `max` at which `text` fits in `width` (a long translation gets smaller, not cut). */
function fittedFontSize(
  ctx: SKRSContext2D,
  text: string,
  width: number,
  max: number,
  fonts: string,
  weight: string,
): number {
  let size = max;
  while (size > 28) {
    ctx.font = `${weight}${size}px ${fonts}`;
    if (ctx.measureText(text).width <= width) return size;
    size -= 4;
  }
  return size;
}
