/**
 * npm run flows:check — lints what a city edits (flows, locales, lexicons, command words, the
 * municipality config) exactly as the service checks them at boot. Exit 1 prints every problem with
 * its file and the path inside it.
 */
import { loadConfig, projectRoot } from '../src/config.js';
import { loadConversationContent } from '../src/load-conversation-content.js';

try {
  const { flows, locales, municipality } = loadConversationContent(
    projectRoot,
    loadConfig().municipalityConfigPath,
  );
  const steps = [...flows.values()].reduce((n, f) => n + Object.keys(f.steps).length, 0);
  console.log(
    `flows ok: ${flows.size} flows, ${steps} steps, ${Object.keys(locales).length} complete locales, ` +
      `${municipality.windows.length} windows (${municipality.municipality.names.ja})`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
