import { describe, expect, it, vi } from 'vitest';

// Every file the field trainer opens, to show that no sealed set is among them.
const opened = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((file: Parameters<typeof fs.readFileSync>[0], ...rest: unknown[]) => {
    opened.push(String(file));
    return (fs.readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

// Test files share a module cache: import the trainer's reader afresh so that it reads through the
// stand-in above, not through a copy another file imported before.
vi.resetModules();
const { developmentSets, isDevelopmentSet, readFieldExamples } = await import(
  '../../scripts/train/field-examples.js'
);

describe('training data for the statistical detectors', () => {
  it('takes development sets and never a sealed one', () => {
    expect(isDevelopmentSet('blind-dev-6.yaml')).toBe(true);
    expect(isDevelopmentSet('test/fixtures/eval/blind-dev.yaml')).toBe(true);
    for (const name of ['sealed.yaml', 'sealed-6.yaml', 'blind-dev-sealed.yaml', 'blind-dev-6.json'])
      expect(isDevelopmentSet(name), name).toBe(false);
    expect(developmentSets().some((f) => f.includes('sealed'))).toBe(false);
    expect(developmentSets(['blind-dev-5.yaml'])).not.toContain('test/fixtures/eval/blind-dev-5.yaml');
  });

  it('reads no sealed set while gathering the field examples', () => {
    opened.length = 0;
    const { examples, files } = readFieldExamples({ lexiconTerms: true });
    expect(examples.length).toBeGreaterThan(1000);
    expect(opened.some((f) => f.includes('blind-dev'))).toBe(true);
    expect(opened.filter((f) => /sealed/i.test(f))).toEqual([]);
    expect(files.filter((f: string) => /sealed/i.test(f))).toEqual([]);
  });
});
