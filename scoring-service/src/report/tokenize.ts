/**
 * Comment tokenisation with kuromoji (the Japanese morphological analyser). The tokenizer is
 * the featurizer's (features/text.ts), so the dictionary is loaded once per process. Only
 * content words are kept: nouns (not numbers, pronouns or dependent nouns), adjectives and
 * independent verbs in dictionary form, minus a few words every comment uses.
 */
import { loadTokenizer as loadSharedTokenizer, type Tokenizer } from '../features/text.ts';

export function loadTokenizer(): Promise<Tokenizer> {
  return loadSharedTokenizer();
}

const STOP = new Set(['する', 'ある', 'いる', 'なる', 'こと', 'もの', 'よう', 'ため', 'これ', 'それ', 'さん', 'できる', 'ない', 'いい', 'れる', 'られる']);

export function contentWords(t: Tokenizer, text: string): string[] {
  const out: string[] = [];
  for (const tok of t.tokenize(text)) {
    const pos = tok.pos;
    const d1 = tok.pos_detail_1;
    const keepNoun = pos === '名詞' && !['数', '代名詞', '非自立', '接尾'].includes(d1);
    const keep = keepNoun || pos === '形容詞' || (pos === '動詞' && d1 === '自立');
    if (!keep) continue;
    const base = tok.basic_form && tok.basic_form !== '*' ? tok.basic_form : tok.surface_form;
    if (STOP.has(base) || /^[\p{P}\p{S}\s]+$/u.test(base) || (base.length < 2 && !/\p{Script=Han}/u.test(base))) continue;
    out.push(base);
  }
  return out;
}
