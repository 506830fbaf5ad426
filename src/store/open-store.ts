import type { StorageSettings } from '../config.js';
import type { Store } from '../core/ports/store.js';

/**
 * Opens the configured backend. Each backend is imported only when chosen, so a single-instance
 * deployment on the embedded store never loads the MongoDB driver, and the other way round.
 */
export async function openStore(settings: StorageSettings): Promise<Store> {
  switch (settings.kind) {
    case 'mongo': {
      const { openMongoStore } = await import('./mongo/mongo-store.js');
      return openMongoStore({ uri: settings.uri, dbName: settings.dbName });
    }
    case 'embedded': {
      const { openEmbeddedStore } = await import('./embedded/embedded-store.js');
      return openEmbeddedStore({ dataDir: settings.dataDir, synchronous: settings.synchronous });
    }
  }
}
