import type { StorageSettings } from '../config.js';
import type { Store } from '../core/ports/store.js';

/**
 * Opens the configured backend. Each backend is imported only when chosen, so a single-instance
 * deployment on the embedded store never loads the MongoDB driver, and the other way round.
 */
export async function openStore(
  settings: StorageSettings,
  /**
   * Which of two threads sharing the store this is (PROCESSING=thread): on the embedded store, the
   * `edge` writes incoming events to a log of its own and the `processor` takes them from it, so that
   * acknowledging a webhook never waits for the processing thread's writes. MongoDB needs neither.
   */
  thread?: 'edge' | 'processor',
  /**
   * The processing thread's embedded store commits the writes of one turn of the event loop
   * together; told when such a commit fails (the store has stopped, see turn-commit.ts).
   */
  onCommitFailure: (error: Error) => void = () => {},
): Promise<Store> {
  switch (settings.kind) {
    case 'mongo': {
      const { openMongoStore } = await import('./mongo/mongo-store.js');
      return openMongoStore({ uri: settings.uri, dbName: settings.dbName });
    }
    case 'embedded': {
      const { openEmbeddedStore } = await import('./embedded/embedded-store.js');
      return openEmbeddedStore({
        dataDir: settings.dataDir,
        synchronous: settings.synchronous,
        incoming: thread === 'edge' ? 'write' : thread === 'processor' ? 'read' : undefined,
        groupCommit: thread === 'processor' ? { onFailure: onCommitFailure } : undefined,
      });
    }
  }
}
