import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { normalizeText } from '../understanding/normalize-text.js';
import { type Command, commandSchema } from './choice-data.js';

const commandFileSchema = z
  .object({ version: z.literal(1), commands: z.record(commandSchema, z.array(z.string().min(1)).min(1)) })
  .strict();

/**
 * Words that work at any step ("最初から", "やめる", "language"), kept in flows/commands.yaml. A
 * message is a command only when it is the whole message, so "やめるべきか悩んでいます" stays a message.
 */
export interface CommandWords {
  match(text: string): Command | undefined;
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
  const byWord = new Map<string, Command>();
  for (const [command, words] of Object.entries(parsed.data.commands) as Array<[Command, string[]]>) {
    for (const word of words) byWord.set(normalizeText(word), command);
  }
  return { match: (text) => byWord.get(normalizeText(text)) };
}
