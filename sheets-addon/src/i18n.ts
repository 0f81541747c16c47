/**
 * Japanese first, English available. Dynamic text uses `tr(ja, en)`; static text in
 * sidebar.html carries its English in `data-en` (and `data-en-placeholder`), swapped in place.
 */
export type Lang = 'ja' | 'en';

let lang: Lang = 'ja';

export const LANG_KEY = 'workship.lang';

export function setLang(l: Lang): void {
  lang = l;
}

export function getLang(): Lang {
  return lang;
}

export function tr(ja: string, en: string): string {
  return lang === 'en' ? en : ja;
}

/** `?lang=en` wins, then the stored choice; Japanese otherwise. */
export function detectLang(search: string, stored: string | null): Lang {
  const q = /[?&]lang=(ja|en)\b/.exec(search)?.[1];
  if (q === 'ja' || q === 'en') return q;
  return stored === 'en' ? 'en' : 'ja';
}

export function applyStaticText(doc: Document): void {
  doc.documentElement.lang = lang;
  for (const e of Array.from(doc.querySelectorAll<HTMLElement>('[data-en]'))) {
    e.dataset.ja ??= e.textContent ?? '';
    e.textContent = lang === 'en' ? (e.dataset.en ?? '') : e.dataset.ja;
  }
  for (const e of Array.from(doc.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[data-en-placeholder]'))) {
    e.dataset.jaPlaceholder ??= e.placeholder;
    e.placeholder = lang === 'en' ? (e.dataset.enPlaceholder ?? '') : (e.dataset.jaPlaceholder ?? '');
  }
}
