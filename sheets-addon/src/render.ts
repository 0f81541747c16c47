/** DOM builders for the task view. User data goes in through textContent only, never as HTML. */
import type { Task, TaskActivity, TaskPrediction } from '../../appsscript/src/annotation/types.ts';
import { daysAgo, paragraphs, percent, rubricBlocks, safeUrl, signed, topShare, yen } from './format.ts';

export function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string | null, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fact(dl: HTMLElement, label: string, value: string): void {
  const d = el('div');
  d.append(el('dt', label), el('dd', value));
  dl.append(d);
}

export function renderProfile(t: Task): void {
  const p = t.profile;
  $('why').textContent = t.why?.label_ja ?? '';
  $('why').hidden = !t.why?.label_ja;
  $('occupation').textContent = p.occupation || '職種未設定';
  const meta = $('meta');
  meta.replaceChildren();
  meta.append(el('span', `ID ${t.freelancer_id}`));
  if (p.prefecture) meta.append(el('span', p.prefecture, 'tag'));
  if (p.remote_ok) meta.append(el('span', 'リモート可', 'tag'));
  meta.append(el('span', p.has_photo ? '写真あり' : '写真なし', 'tag'));
  const facts = $('facts');
  facts.replaceChildren();
  fact(facts, '経験', `${p.years_experience ?? 0}年`);
  fact(facts, '時給', p.hourly_rate_jpy == null ? '—' : yen(p.hourly_rate_jpy));
  fact(facts, '稼働', p.availability_days_per_week == null ? '—' : `週${p.availability_days_per_week}日`);
  const skills = $('skills');
  skills.replaceChildren();
  if (p.skills?.length) for (const s of p.skills) skills.append(el('li', s));
  else skills.append(el('li', 'スキルの登録なし', 'none'));
  const intro = $('intro');
  intro.replaceChildren();
  const paras = paragraphs(p.self_intro);
  if (paras.length) for (const para of paras) intro.append(el('p', para));
  else intro.append(el('p', '自己紹介は未記入です', 'none'));
  const links = $('portfolio');
  links.replaceChildren();
  for (const raw of p.portfolio_urls ?? []) {
    const href = safeUrl(raw);
    const li = el('li');
    if (href) {
      const a = el('a', raw);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      li.append(a);
    } else li.append(el('span', raw));
    links.append(li);
  }
  if (!p.portfolio_urls?.length) links.append(el('li', 'なし', 'none'));
  renderActivity(t.activity);
}

function renderActivity(a: TaskActivity | null): void {
  const dl = $('activity');
  dl.replaceChildren();
  $('activity-asof').textContent = a ? `（${a.as_of.slice(0, 10)} 時点）` : '';
  if (!a) {
    dl.append(el('div', '行動データはありません'));
    return;
  }
  fact(dl, '最終ログイン', daysAgo(a.days_since_login));
  fact(dl, 'ログイン/30日', `${a.logins_30d}回`);
  fact(dl, '閲覧/30日', `${a.profile_views_30d}`);
  fact(dl, '気になる/90日', `${a.interests_received_90d}`);
  fact(dl, 'マッチ/90日', `${a.matches_90d}（${percent(a.match_rate_90d)}）`);
  fact(dl, '返信率', percent(a.response_rate_90d));
  fact(dl, '送った気になる', `${a.interests_sent_90d}`);
  fact(dl, '契約/年', `${a.contracts_365d}件`);
}

export function renderPrediction(pred: TaskPrediction | null, blind: boolean): void {
  const box = $('prediction');
  box.replaceChildren();
  box.classList.toggle('blind', blind || !pred);
  if (blind) {
    box.append(el('div', 'ブラインドモード：モデルの予測は表示されません'));
    return;
  }
  if (!pred) {
    box.append(el('div', 'まだ予測できるモデルがありません'));
    return;
  }
  const head = el('div', null, 'head');
  head.append(el('span', 'モデルの予測スコア', 'title'), el('span', pred.model_version, 'model'));
  const sc = el('div', null, 'pred-score');
  sc.append(el('span', pred.score.toFixed(1), 'value'));
  const pct = el('div', null, 'pct');
  pct.append(el('div', `全体で${topShare(pred.percentile)}`), el('div', `同職種で${topShare(pred.occupation_percentile)}`));
  sc.append(pct);
  const bar = el('div', null, 'bar');
  const fill = el('span');
  fill.style.width = `${Math.max(0, Math.min(100, ((pred.score - 1) / 4) * 100))}%`;
  bar.append(fill);
  const list = el('ul', null, 'reasons');
  for (const r of [...(pred.reasons ?? [])].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, 4)) {
    const li = el('li');
    li.append(el('span', r.label), el('span', signed(r.contribution), r.contribution >= 0 ? 'pos' : 'neg'));
    list.append(li);
  }
  box.append(head, sc, bar, list);
}

export function renderRubric(text: string): void {
  const box = $('rubric');
  box.replaceChildren();
  for (const b of rubricBlocks(text)) {
    if (b.kind === 'h') box.append(el('h3', b.text));
    else if (b.kind === 'p') box.append(el('p', b.text));
    else {
      const ul = el('ul');
      for (const i of b.items) ul.append(el('li', i));
      box.append(ul);
    }
  }
  if (!box.childElementCount) box.append(el('p', '評価基準はまだありません。'));
}
