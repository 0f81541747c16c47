/** DOM builders for the task view. User data goes in through textContent only, never as HTML. */
import type { Task, TaskActivity, TaskPrediction } from '../../appsscript/src/annotation/types.ts';
import { daysAgo, paragraphs, percent, rubricBlocks, safeUrl, signed, topShare, yen } from './format.ts';
import { getLang, tr } from './i18n.ts';

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
  $('why').textContent = (getLang() === 'en' ? t.why?.label_en : t.why?.label_ja) ?? '';
  $('why').hidden = !t.why?.label_ja;
  $('occupation').textContent = p.occupation || tr('職種未設定', 'No occupation');
  const meta = $('meta');
  meta.replaceChildren();
  meta.append(el('span', `ID ${t.freelancer_id}`));
  if (p.prefecture) meta.append(el('span', p.prefecture, 'tag'));
  if (p.remote_ok) meta.append(el('span', tr('リモート可', 'remote OK'), 'tag'));
  meta.append(el('span', p.has_photo ? tr('写真あり', 'photo') : tr('写真なし', 'no photo'), 'tag'));
  const facts = $('facts');
  facts.replaceChildren();
  const years = p.years_experience ?? 0;
  const days = p.availability_days_per_week;
  fact(facts, tr('経験', 'Experience'), tr(`${years}年`, `${years} yrs`));
  fact(facts, tr('時給', 'Hourly rate'), p.hourly_rate_jpy == null ? '—' : yen(p.hourly_rate_jpy));
  fact(facts, tr('稼働', 'Availability'), days == null ? '—' : tr(`週${days}日`, `${days} d/wk`));
  const skills = $('skills');
  skills.replaceChildren();
  if (p.skills?.length) for (const s of p.skills) skills.append(el('li', s));
  else skills.append(el('li', tr('スキルの登録なし', 'No skills listed'), 'none'));
  const intro = $('intro');
  intro.replaceChildren();
  const paras = paragraphs(p.self_intro);
  if (paras.length) for (const para of paras) intro.append(el('p', para));
  else intro.append(el('p', tr('自己紹介は未記入です', 'No self-introduction'), 'none'));
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
  if (!p.portfolio_urls?.length) links.append(el('li', tr('なし', 'None'), 'none'));
  renderActivity(t.activity);
}

function renderActivity(a: TaskActivity | null): void {
  const dl = $('activity');
  dl.replaceChildren();
  $('activity-asof').textContent = a ? tr(`（${a.as_of.slice(0, 10)} 時点）`, `(as of ${a.as_of.slice(0, 10)})`) : '';
  if (!a) {
    dl.append(el('div', tr('行動データはありません', 'No activity data')));
    return;
  }
  fact(dl, tr('最終ログイン', 'Last login'), daysAgo(a.days_since_login));
  fact(dl, tr('ログイン/30日', 'Logins/30d'), tr(`${a.logins_30d}回`, `${a.logins_30d}`));
  fact(dl, tr('閲覧/30日', 'Views/30d'), `${a.profile_views_30d}`);
  fact(dl, tr('気になる/90日', 'Interests/90d'), `${a.interests_received_90d}`);
  fact(dl, tr('マッチ/90日', 'Matches/90d'), tr(`${a.matches_90d}（${percent(a.match_rate_90d)}）`, `${a.matches_90d} (${percent(a.match_rate_90d)})`));
  fact(dl, tr('返信率', 'Reply rate'), percent(a.response_rate_90d));
  fact(dl, tr('送った気になる', 'Interests sent'), `${a.interests_sent_90d}`);
  fact(dl, tr('契約/年', 'Contracts/yr'), `${a.contracts_365d}`);
}

export function renderPrediction(pred: TaskPrediction | null, blind: boolean): void {
  const box = $('prediction');
  box.replaceChildren();
  box.classList.toggle('blind', blind || !pred);
  if (blind) {
    box.append(el('div', tr('ブラインドモード：モデルの予測は表示されません', 'Blind mode: the model\'s prediction is hidden')));
    return;
  }
  if (!pred) {
    box.append(el('div', tr('まだ予測できるモデルがありません', 'No model can predict yet')));
    return;
  }
  const head = el('div', null, 'head');
  head.append(el('span', tr('モデルの予測スコア', 'Predicted score'), 'title'), el('span', pred.model_version, 'model'));
  const sc = el('div', null, 'pred-score');
  sc.append(el('span', pred.score.toFixed(1), 'value'));
  const pct = el('div', null, 'pct');
  pct.append(el('div', tr(`全体で${topShare(pred.percentile)}`, `${topShare(pred.percentile)} overall`)), el('div', tr(`同職種で${topShare(pred.occupation_percentile)}`, `${topShare(pred.occupation_percentile)} in occupation`)));
  sc.append(pct);
  const bar = el('div', null, 'bar');
  const fill = el('span');
  fill.style.width = `${Math.max(0, Math.min(100, ((pred.score - 1) / 4) * 100))}%`;
  bar.append(fill);
  const list = el('ul', null, 'reasons');
  // Each reason is one profile attribute's effect, relative to an average profile.
  const caption = el('div', tr('平均的なプロフィールと比べた主な要因', 'Main factors compared with an average profile'), 'reasons-caption');
  for (const r of [...(pred.reasons ?? [])].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, 4)) {
    const li = el('li');
    li.append(el('span', getLang() === 'en' ? (r.label_en ?? r.label) : r.label), el('span', signed(r.contribution), r.contribution >= 0 ? 'pos' : 'neg'));
    list.append(li);
  }
  box.append(head, sc, bar, ...(list.childElementCount ? [caption, list] : []));
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
  if (!box.childElementCount) box.append(el('p', tr('評価基準はまだありません。', 'No guidelines yet.')));
}
