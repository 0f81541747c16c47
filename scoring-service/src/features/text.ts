/**
 * Japanese text analysis of a self-introduction with kuromoji (IPADIC morphological
 * analyser). The tokenizer takes about a second to load, so one is built per process and
 * shared; `analyzeText` itself is pure given the tokenizer.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import kuromoji from 'kuromoji';
import { ACHIEVEMENT_TERMS, ALL_SKILL_TERMS, NUMBER_UNITS, normalizeTerm } from './vocabulary.ts';

export type Tokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;

let tokenizerPromise: Promise<Tokenizer> | null = null;

export function kuromojiDictPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/** The process-wide tokenizer (built on first use). */
export function loadTokenizer(): Promise<Tokenizer> {
  tokenizerPromise ??= new Promise<Tokenizer>((resolve, reject) => {
    kuromoji.builder({ dicPath: kuromojiDictPath() }).build((err, tk) => (err ? reject(err) : resolve(tk)));
  });
  tokenizerPromise.catch(() => {
    tokenizerPromise = null;
  });
  return tokenizerPromise;
}

export interface TextStats {
  /** Unicode code points of the raw text (SQL LENGTH). */
  chars: number;
  sentences: number;
  /** Blocks separated by blank lines. */
  paragraphs: number;
  /** Non-empty lines. */
  lines: number;
  /** Tokens other than symbols and whitespace. */
  tokens: number;
  nounShare: number;
  verbShare: number;
  adjectiveShare: number;
  adverbShare: number;
  /** Distinct base forms / content tokens (nouns, verbs, adjectives, adverbs). */
  contentDiversity: number;
  numbers: number;
  /** Numbers followed by a unit (年, 件, %, 万円 …). */
  numbersWithUnit: number;
  achievements: number;
  urls: number;
  /** The profile's own skills named in the text. */
  ownSkillMentions: number;
  /** Distinct dictionary skill terms named in the text. */
  dictSkillMentions: number;
}

const URL_RE = /https?:\/\/[^\s<>"'、。）)」]+/g;
const NUMBER_RE = /\d+(?:[.,]\d+)*/g;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const UNIT_RE = new RegExp(`\\d+(?:[.,]\\d+)*\\s*(?:${[...NUMBER_UNITS].sort((a, b) => b.length - a.length).map(escapeRe).join('|')})`, 'g');

/** ASCII terms must stand alone ("go" is not in "google"); Japanese terms match as substrings. */
function termMatcher(term: string): (text: string) => boolean {
  if (/^[\x20-\x7e]+$/.test(term)) {
    const re = new RegExp(`(?<![a-z0-9])${escapeRe(term)}(?![a-z0-9])`);
    return (t) => re.test(t);
  }
  return (t) => t.includes(term);
}
const DICT_MATCHERS = ALL_SKILL_TERMS.map((t) => ({ term: t, test: termMatcher(t) }));

function countOccurrences(text: string, term: string): number {
  let n = 0;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length)) n++;
  return n;
}

export function analyzeText(tk: Tokenizer, raw: string, skills: readonly string[]): TextStats {
  const chars = [...raw].length;
  const urls = raw.match(URL_RE)?.length ?? 0;
  const body = raw.replace(URL_RE, ' ');
  const norm = normalizeTerm(body);
  const sentences = body.split(/[。！？!?]+|\n+/).filter((s) => s.trim().length > 0).length;
  const paragraphs = body.split(/\n\s*\n/).filter((s) => s.trim().length > 0).length;
  const lines = body.split('\n').filter((s) => s.trim().length > 0).length;

  let tokens = 0;
  let nouns = 0;
  let verbs = 0;
  let adjectives = 0;
  let adverbs = 0;
  let content = 0;
  const distinct = new Set<string>();
  if (body.trim().length) {
    for (const t of tk.tokenize(body)) {
      if (t.pos === '記号' || t.surface_form.trim() === '') continue;
      tokens++;
      const isContent = t.pos === '名詞' || t.pos === '動詞' || t.pos === '形容詞' || t.pos === '副詞';
      if (t.pos === '名詞') nouns++;
      else if (t.pos === '動詞') verbs++;
      else if (t.pos === '形容詞') adjectives++;
      else if (t.pos === '副詞') adverbs++;
      if (isContent) {
        content++;
        distinct.add(t.basic_form === '*' ? t.surface_form : t.basic_form);
      }
    }
  }
  const share = (n: number) => (tokens ? n / tokens : 0);

  let achievements = 0;
  for (const term of ACHIEVEMENT_TERMS) achievements += countOccurrences(norm, term);
  const own = new Set(skills.map(normalizeTerm).filter((s) => s.length > 0));
  let ownSkillMentions = 0;
  for (const s of own) if (termMatcher(s)(norm)) ownSkillMentions++;
  let dictSkillMentions = 0;
  for (const m of DICT_MATCHERS) if (m.test(norm)) dictSkillMentions++;

  return {
    chars,
    sentences,
    paragraphs,
    lines,
    tokens,
    nounShare: share(nouns),
    verbShare: share(verbs),
    adjectiveShare: share(adjectives),
    adverbShare: share(adverbs),
    contentDiversity: content ? distinct.size / content : 0,
    numbers: norm.match(NUMBER_RE)?.length ?? 0,
    numbersWithUnit: norm.match(UNIT_RE)?.length ?? 0,
    achievements,
    urls,
    ownSkillMentions,
    dictSkillMentions,
  };
}
