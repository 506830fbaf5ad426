import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/**
 * Reads a trained model's JSON file and checks it against its schema. A file that cannot be read or
 * does not match is reported through `fail` (each model has its own error code), naming the path
 * inside the file where it is wrong.
 */
export function readModelFile<S extends z.ZodType>(
  filePath: string,
  schema: S,
  fail: (message: string, cause: unknown) => Error,
): z.infer<S> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (cause) {
    throw fail(`cannot read: ${(cause as Error).message} (run npm run train)`, cause);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, parsed.error);
  }
  return parsed.data;
}
