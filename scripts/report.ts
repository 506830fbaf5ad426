/**
 * npm run report -- --month 2026-11 [--out DIR] [--lang CODE] — the city's monthly report (CSV and
 * Markdown) from the store the environment names, in Japanese unless --lang names another locale.
 * See src/report/report-cli.ts.
 */
import { runReportCli } from '../src/report/report-cli.js';

process.exitCode = await runReportCli(process.argv.slice(2));
