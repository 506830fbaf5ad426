import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { normalizeText } from '../understanding/normalize-text.js';
import { type Command, commandSchema, SAFETY_ANSWERS, type SafetyAnswer } from './choice-data.js';

const words = z.array(z.string().min(1)).min(1);
const commandFileSchema = z
  .object({
    version: z.literal(1),
    commands: z.record(commandSchema, words),
    /** Typed answers to the safety question ("いま、死にたいほどつらい気持ちがありますか?"). */
    answers: z.partialRecord(z.enum(SAFETY_ANSWERS), words).default({}),
  })
  .strict();

/**
 * Words that work at any step ("最初から", "やめる", "language"), kept in flows/commands.yaml. A
 * message is a command only when it is the whole message, so "やめるべきか悩んでいます" stays a message.
 */
export interface CommandWords {
  match(text: string): Command | undefined;
  /** A typed yes, unsure or no, when that is the whole message. */
  answer(text: string): SafetyAnswer | undefined;
}

export function loadCommandWords(filePath: string): CommandWords {
  let raw: unknown;
  try {
    raw = parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new Error(`${filePath}: cannot be read as YAML (${(error as Error).message.split('\n')[0]})`, {
      cause: error,
    });
  }
  const parsed = commandFileSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${filePath}: ${where}`);
  }
  const index = <K extends string>(lists: Partial<Record<K, string[]>>): Map<string, K> => {
    const byWord = new Map<string, K>();
    for (const [key, list] of Object.entries(lists) as Array<[K, string[]]>) {
      for (const word of list) byWord.set(normalizeText(word), key);
    }
    return byWord;
  };
  const commands = index(parsed.data.commands);
  const answers = index(parsed.data.answers);
  return {
    match: (text) => commands.get(normalizeText(text)),
    answer: (text) => answers.get(normalizeText(text)),
  };
}
