import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { CodedError } from '../coded-error.js';
import { type MunicipalityConfig, municipalityConfigSchema } from './municipality-config-schema.js';

type IssuePath = readonly PropertyKey[];
/** Finds the 1-based line of a config path, or of its nearest parent that exists in the file. */
type Locate = (path: IssuePath) => number | undefined;

export class MunicipalityConfigError extends CodedError {
  constructor(
    readonly fileName: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(
      'MUNICIPALITY_CONFIG_INVALID',
      'permanent',
      `Invalid municipality config ${fileName}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options,
    );
  }
}

/** `windows[2].hours.mon[0].close`: the way a person reading the YAML would point at the value. */
function formatPath(issuePath: IssuePath): string {
  let out = '';
  for (const key of issuePath) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** "Invalid input: expected string, received undefined" hides the real problem: the key is missing. */
const errorMap: z.core.$ZodErrorMap = (iss) =>
  iss.code === 'invalid_type' && iss.input === undefined ? 'is required' : undefined;

function validate(input: unknown, fileName: string, locate?: Locate): MunicipalityConfig {
  const result = municipalityConfigSchema.safeParse(input, { error: errorMap });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const line = locate?.(issue.path);
    return `${fileName}: ${formatPath(issue.path)}: ${issue.message}${line ? ` (line ${line})` : ''}`;
  });
  throw new MunicipalityConfigError(fileName, problems, { cause: result.error });
}

/** Validates an already-parsed config object (tests, or configs that did not come from a file). */
export function parseMunicipalityConfig(input: unknown, fileName: string): MunicipalityConfig {
  return validate(input, fileName);
}

/** Shown relative to the working directory when inside it, so messages match what the operator typed. */
function displayName(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filePath;
}

/**
 * Reads and validates the municipality YAML once at boot. Synchronous on purpose: nothing else can
 * start before it, and every problem is listed in one error so the operator fixes them in one pass.
 */
export function loadMunicipalityConfig(filePath: string): MunicipalityConfig {
  const fileName = displayName(filePath);
  let source: string;
  try {
    source = readFileSync(filePath, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? 'read error';
    throw new MunicipalityConfigError(fileName, [`${fileName}: cannot be read (${reason})`], { cause });
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map(
      (e) =>
        `${fileName}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
    throw new MunicipalityConfigError(fileName, problems, { cause: doc.errors[0] });
  }

  const locate: Locate = (issuePath) => {
    for (let n = issuePath.length; n >= 0; n--) {
      const node = doc.getIn(issuePath.slice(0, n) as unknown[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return validate(doc.toJS(), fileName, locate);
}
