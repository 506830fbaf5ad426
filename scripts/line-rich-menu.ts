/**
 * npm run line:rich-menu [-- --dry-run] [-- --out DIR] — the LINE rich menu, one per language, drawn
 * from the city config and the locales, replacing earlier ones. See src/channels/line/rich-menu/.
 */
import { runRichMenuCli } from '../src/channels/line/rich-menu/rich-menu-cli.js';

process.exitCode = await runRichMenuCli(process.argv.slice(2));
