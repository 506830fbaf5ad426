/**
 * Imported first by the service's entry points, before the modules they load: from here until the
 * service has started, the young generation stays at its first size (see holdYoungGeneration).
 */
import { holdYoungGeneration } from './release-start-memory.js';

holdYoungGeneration();
