import path from 'node:path';
import { type CommandWords, loadCommandWords } from './core/conversation/command-words.js';
import { type FlowSet, loadFlows } from './core/conversation/load-flows.js';
import { loadMunicipalityConfig } from './core/municipality/load-municipality-config.js';
import type { MunicipalityConfig } from './core/municipality/municipality-config-schema.js';
import type { Translator } from './core/ports/translator.js';
import type { TextClassifier } from './core/understanding/classify-text.js';
import { loadFieldModel } from './core/understanding/field-model.js';
import { loadUnderstanding } from './core/understanding/load-understanding.js';
import { loadRiskModel, type RiskModel } from './core/understanding/risk-model.js';
import { createTranslator } from './i18n/create-translator.js';
import { findLocaleGaps, LocaleError, type LocaleResources, loadLocales } from './i18n/load-locales.js';
import { sharedLinderaMorphAnalyzer } from './understanding/lindera-morph-analyzer.js';

export interface ConversationContent {
  locales: LocaleResources;
  translator: Translator;
  municipality: MunicipalityConfig;
  flows: FlowSet;
  commands: CommandWords;
}

/** How messages are read: the dictionaries with the field detector, and the risk detector. */
export interface UnderstandingContent {
  classifier: TextClassifier;
  riskModel: RiskModel;
}

/**
 * The dictionaries (compiled with the analyser: about a second), the field detector that joins
 * them in the classifier, and the risk model, read once per directory and process. They never
 * change while the process runs; a city's edit takes a restart.
 */
const readings = new Map<string, UnderstandingContent>();
export function loadUnderstandingContent(root: string): UnderstandingContent {
  const known = readings.get(root);
  if (known) return known;
  const reading = {
    classifier: loadUnderstanding(
      path.join(root, 'flows', 'lexicon'),
      sharedLinderaMorphAnalyzer(),
      loadFieldModel(path.join(root, 'flows', 'model', 'field-model.json')),
    ),
    riskModel: loadRiskModel(path.join(root, 'flows', 'model', 'risk-model.json')),
  };
  readings.set(root, reading);
  return reading;
}

/**
 * What conversations are made of, read and checked together: locales (complete in every language),
 * the city's config, flows and command words (the dictionaries and models come from
 * loadUnderstandingContent, loaded only by the thread that works conversations out). A city's
 * mistake in any of them throws with the file and the path inside it named, before the service
 * opens its store.
 */
export function loadConversationContent(root: string, municipalityConfigPath: string): ConversationContent {
  const locales = loadLocales(path.join(root, 'locales'));
  const gaps = findLocaleGaps(locales);
  if (gaps.length > 0)
    throw new LocaleError(`Incomplete locales:\n${gaps.map((g) => `  - locales/${g}`).join('\n')}`);
  const municipality = loadMunicipalityConfig(municipalityConfigPath);
  return {
    locales,
    translator: createTranslator(
      locales,
      {
        retentionDays: municipality.retention.conversationDaysAfterClose,
        privacyPolicyUrl: municipality.frontDoor.privacyPolicyUrl,
        termsUrl: municipality.frontDoor.termsUrl,
      },
      // The greeting's hours, as the city wrote them in each language (ja where it did not).
      Object.fromEntries(
        Object.entries(municipality.frontDoor.hours).map(([language, hours]) => [
          language,
          { frontDoorHours: hours },
        ]),
      ),
    ),
    municipality,
    flows: loadFlows(path.join(root, 'flows'), locales),
    commands: loadCommandWords(path.join(root, 'flows', 'commands.yaml')),
  };
}
