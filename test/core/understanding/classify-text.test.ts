import { describe, expect, it } from 'vitest';
import { createTextClassifier, type Lexicons } from '../../../src/core/understanding/classify-text.js';
import { lexiconFileSchema } from '../../../src/core/understanding/lexicon-schema.js';
import { loadUnderstanding } from '../../../src/core/understanding/load-understanding.js';

/** A small hand-made lexicon, so each behaviour is tested independently of the shipped words. */
function tinyLexicons(): Lexicons {
  type AnyLexicon = Lexicons[keyof Lexicons][number];
  const parse = <K extends AnyLexicon['kind']>(kind: K, data: object) =>
    lexiconFileSchema.parse({ version: 1, kind, ...data }) as Extract<AnyLexicon, { kind: K }>;
  return {
    concern: [parse('concern', { concern: { suicide: { terms: ['いなくなりたい'] } } })],
    speaker: [parse('speaker', { speaker: { someone_else: { terms: ['友達が'] } } })],
    frames: [parse('frames', { frames: { resolved_past: { terms: ['今は元気'] } } })],
    rewrites: [parse('rewrites', { rules: [{ match: 'たか$', to: 'たい' }] })],
    fields: [
      parse('fields', {
        threshold: 1,
        exclude: ['スキンケア'],
        fields: {
          elderly: { terms: [{ term: '介護', weight: 2 }, 'ケア'] },
          children: { terms: ['子ども', { term: '息子', weight: 0.5 }, { term: '学校', weight: 0.5 }] },
          livelihood: { terms: ['家賃', 'パート'], exclude: ['アパート'] },
        },
      }),
    ],
    patterns: [
      parse('patterns', {
        groups: { care: ['介護'], kids: ['子ども', '保育園'] },
        patterns: {
          hikikomori: { impliesFields: ['isolation'], terms: ['ひきこもり'] },
          double_care: { impliesFields: ['elderly', 'children'], requiresAll: [['@care', '@kids']] },
        },
      }),
    ],
    observations: [
      parse('observations', {
        observations: { smell: { terms: ['におい', '臭い'], exclude: ['面倒臭い'] } },
      }),
    ],
    crisis: [
      parse('crisis', {
        groups: { despair: ['もう', '疲れ'] },
        crisis: {
          suicide: {
            impliesFields: ['isolation'],
            terms: [{ term: '死にたい', weight: 3 }, '消えたい'],
            requiresAll: [['@despair', ['楽になりたい', '楽になれ']]],
            exclude: ['死ぬほど', 'もう少し'],
          },
          medical: { terms: ['倒れ'], exclude: ['倒れないか'] },
        },
      }),
    ],
  };
}

describe('createTextClassifier', () => {
  const classifier = createTextClassifier(tinyLexicons());

  it('orders fields strongest first by total weight', () => {
    expect(classifier.classify('子どもの学校と、親の介護').fields).toEqual(['elderly', 'children']);
    expect(classifier.classify('子どもが三人、家賃も高い').fields).toEqual(['children', 'livelihood']);
  });

  it('breaks ties in vocabulary order, so the same message always gives the same list', () => {
    expect(classifier.classify('家賃と子ども').fields).toEqual(['children', 'livelihood']);
    expect(classifier.classify('子どもと家賃').fields).toEqual(['children', 'livelihood']);
  });

  it('needs weak hints to reach the threshold together', () => {
    expect(classifier.classify('息子のこと').fields).toEqual([]);
    expect(classifier.classify('息子の学校のこと').fields).toEqual(['children']);
  });

  it('matches whatever the spelling width, kana or spacing', () => {
    expect(classifier.classify('ｹｱﾏﾈ さん').fields).toEqual(['elderly']);
    expect(classifier.readRisk('し に た い').crisis).toEqual([]);
    expect(classifier.readRisk('死に　たい！').crisis).toEqual(['suicide']);
  });

  it('masks an excluded phrase only where it occurs', () => {
    expect(classifier.classify('アパートの隣').fields).toEqual([]);
    expect(classifier.classify('アパート代とパート代').fields).toEqual(['livelihood']);
    expect(classifier.readRisk('死ぬほど笑った').crisis).toEqual([]);
    expect(classifier.readRisk('死ぬほど笑ったけど、本当は死にたい').crisis).toEqual(['suicide']);
  });

  it('applies file-level excludes to every label', () => {
    expect(classifier.classify('スキンケア用品').fields).toEqual([]);
    expect(classifier.classify('スキンケアより親のケア').fields).toEqual(['elderly']);
  });

  it('requires every part of a requiresAll entry, any alternative of each', () => {
    expect(classifier.readRisk('楽になりたい').crisis).toEqual([]);
    expect(classifier.readRisk('もう少し楽になりたい').crisis).toEqual([]);
    expect(classifier.readRisk('疲れた。楽になれたらいいのに').crisis).toEqual(['suicide']);
    expect(classifier.classify('子ども').patterns).toEqual([]);
    expect(classifier.classify('保育園の送り迎えと親の介護').patterns).toEqual(['double_care']);
  });

  it('adds the fields a household pattern implies', () => {
    expect(classifier.classify('弟がひきこもりで').fields).toEqual(['isolation']);
    const doubleCare = classifier.classify('保育園と介護');
    expect(doubleCare.patterns).toEqual(['double_care']);
    expect(doubleCare.fields).toEqual(['elderly', 'children']);
  });

  it('adds the fields a crisis category implies', () => {
    expect(classifier.classify('消えたい').fields).toEqual(['isolation']);
    expect(classifier.classify('母が倒れた').fields).toEqual([]);
  });

  it('reports observations and ranks several crisis categories', () => {
    expect(classifier.classify('変なにおい。面倒臭いけど').observations).toEqual(['smell']);
    expect(classifier.classify('面倒臭い').observations).toEqual([]);
    expect(classifier.readRisk('母が倒れた。私も死にたい').crisis).toEqual(['suicide', 'medical']);
    expect(classifier.readRisk('母が倒れないか心配').crisis).toEqual([]);
  });

  it('returns empty lists for an empty or unrelated message', () => {
    expect(classifier.classify('')).toEqual({ fields: [], fieldScores: {}, patterns: [], observations: [] });
    expect(classifier.readRisk('こんにちは')).toEqual({
      crisis: [],
      concern: [],
      aboutSomeoneElse: false,
      frames: [],
    });
  });
});

describe('loadUnderstanding', () => {
  const understanding = loadUnderstanding();

  it('builds the classifier from flows/lexicon', () => {
    expect(understanding.readRisk('もう死にたい').crisis).toContain('suicide');
    expect(understanding.classify('母の介護がつらい').fields[0]).toBe('elderly');
    expect(understanding.classify('ありがとうございました')).toEqual({
      fields: [],
      fieldScores: {},
      patterns: [],
      observations: [],
    });
  });

  it('is deterministic: the same message always gives the same reading', () => {
    const messages = [
      '死にたい',
      '隣の家から子どもの泣き声と怒鳴り声',
      '80代の母と50代の無職の兄',
      'ありがとう',
    ];
    const first = messages.map((text) => [understanding.classify(text), understanding.readRisk(text)]);
    for (let i = 0; i < 20; i++) {
      for (const text of messages) {
        understanding.classify(text);
        understanding.readRisk(text);
      }
    }
    expect(messages.map((text) => [understanding.classify(text), understanding.readRisk(text)])).toEqual(
      first,
    );
  });
});
