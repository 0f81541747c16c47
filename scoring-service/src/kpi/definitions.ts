/**
 * The one KPI definition table. The service (DuckDB or BigQuery), the Apps Script shell
 * (BigQuery, bundled) and the tests all read it. Pure: imports only the Dialect type, so
 * the Apps Script bundle can carry it (ES2020, no Node).
 *
 * Each KPI is one column of `kpi_daily` and of the KPI_daily sheet. Its `expr` is a SQL
 * expression over the CTEs that kpi/query.ts builds (`daily`, `active`, `profiles`,
 * `ann`, `live`); `daily` carries an aggregate per event-count KPI (`daily(d)`) plus
 * `interests` (both directions).
 */
import type { Dialect } from '../warehouse/dialect.ts';

/** One day of KPIs: `date` plus one value per KPI id (null where undefined). */
export type KpiRow = { date: string } & Record<string, number | string | null>;

export type KpiUnit = 'count' | 'ratio' | 'score' | 'version';
/** Which direction of change is good: colours the dashboard's changes. */
export type GoodDirection = 'up' | 'down' | 'none';

export interface KpiDef {
  id: string;
  label_ja: string;
  label_en: string;
  unit: KpiUnit;
  good: GoodDirection;
  /** Main KPIs get a dashboard chart and must meet the backtest bar. */
  main: boolean;
  definition_ja: string;
  definition_en: string;
  /** Aggregate over the day's events (column of the `daily` CTE), for event-count KPIs. */
  daily?: (d: Dialect) => string;
  /** The value for day `days.d` in the final SELECT. */
  expr: (d: Dialect) => string;
}

export const ACTIVE_WINDOWS = { dau: 1, wau: 7, mau: 30 } as const;

const count = (cond: string) => (d: Dialect) => d.countIf(cond);
const dailyCol = (id: string) => () => `COALESCE(daily.${id}, 0)`;

function eventCount(
  id: string, label_ja: string, label_en: string, cond: string, definition_ja: string, definition_en: string, main = false,
): KpiDef {
  return { id, label_ja, label_en, unit: 'count', good: 'up', main, definition_ja, definition_en, daily: count(cond), expr: dailyCol(id) };
}

function active(side: 'freelancer' | 'company', win: keyof typeof ACTIVE_WINDOWS, main = false): KpiDef {
  const days = ACTIVE_WINDOWS[win];
  const sideJa = side === 'freelancer' ? 'フリーランス' : '企業';
  const sideEn = side === 'freelancer' ? 'freelancers' : 'companies';
  const winJa = days === 1 ? '日次' : days === 7 ? '週次' : '月次';
  return {
    id: `${win}_${side === 'freelancer' ? 'freelancers' : 'companies'}`,
    label_ja: `${winJa}アクティブ（${sideJa}）`,
    label_en: `${win.toUpperCase()} (${sideEn})`,
    unit: 'count',
    good: 'up',
    main,
    definition_ja: `その日を含む直近${days}日間（日本時間）に何らかのイベントを起こした${sideJa}の実数。`,
    definition_en: `Distinct ${sideEn} with any event in the ${days} day(s) ending on the day (Asia/Tokyo).`,
    expr: () => `COALESCE(active.${side}_${days}, 0)`,
  };
}

export const KPIS: KpiDef[] = [
  eventCount('new_freelancers', '新規フリーランス登録', 'New freelancers', "event_type = 'signup' AND actor_type = 'freelancer'",
    'その日（日本時間）のフリーランスの signup イベント数。', 'Freelancer signup events on the day (Asia/Tokyo).', true),
  eventCount('new_companies', '新規企業登録', 'New companies', "event_type = 'signup' AND actor_type = 'company'",
    'その日の企業の signup イベント数。', 'Company signup events on the day.'),
  active('freelancer', 'dau', true),
  active('freelancer', 'wau'),
  active('freelancer', 'mau'),
  active('company', 'dau', true),
  active('company', 'wau'),
  active('company', 'mau'),
  eventCount('interests_company_to_freelancer', '興味あり（企業→フリーランス）', 'Interests (company → freelancer)',
    "event_type = 'interest' AND actor_type = 'company' AND target_type = 'freelancer'",
    '企業がフリーランスに送った「興味あり」の数。', 'Interest events sent by companies to freelancers.', true),
  eventCount('interests_freelancer_to_job', '興味あり（フリーランス→案件）', 'Interests (freelancer → job)',
    "event_type = 'interest' AND actor_type = 'freelancer' AND target_type = 'job'",
    'フリーランスが案件に送った「興味あり」の数。', 'Interest events sent by freelancers to jobs.', true),
  eventCount('matches', 'マッチ数', 'Matches', "event_type = 'match'", 'その日の match イベント数。', 'Match events on the day.', true),
  {
    id: 'match_rate',
    label_ja: 'マッチ率',
    label_en: 'Match rate',
    unit: 'ratio',
    good: 'up',
    main: false,
    definition_ja: 'マッチ数 ÷ 興味あり数（両方向の合計）。興味ありが 0 の日は空欄。',
    definition_en: 'Matches ÷ interests (both directions). Empty on days without interests.',
    expr: (d) => d.safeDivide('COALESCE(daily.matches, 0)', 'daily.interests'),
  },
  eventCount('messages', 'メッセージ数', 'Messages', "event_type = 'message'", 'その日の message イベント数。', 'Message events on the day.', true),
  eventCount('contracts', '契約数', 'Contracts', "event_type = 'contract'", 'その日の contract イベント数。', 'Contract events on the day.', true),
  {
    id: 'profile_completion_rate',
    label_ja: 'プロフィール完成率',
    label_en: 'Profile completion rate',
    unit: 'ratio',
    good: 'up',
    main: false,
    definition_ja: 'その日までに登録したフリーランスのうち、写真・スキル1件以上・ポートフォリオ1件以上・自己紹介100文字以上がそろった割合（プロフィールは現在の内容）。',
    definition_en: 'Share of freelancers registered by the day whose (current) profile has a photo, ≥1 skill, ≥1 portfolio URL and a self-introduction of ≥100 characters.',
    expr: (d) => d.safeDivide('profiles.complete', 'profiles.registered'),
  },
  {
    id: 'median_model_score',
    label_ja: 'モデルスコア中央値',
    label_en: 'Median model score',
    unit: 'score',
    good: 'none',
    main: false,
    definition_ja: 'その日に稼働していたモデルのスコア（1〜5）の中央値。そのモデルのスコアが保存されている日だけ値が入る。',
    definition_en: 'Median score (1–5) of the model live on the day; only filled while that model’s scores are stored.',
    expr: () => 'live.median_score',
  },
  {
    id: 'annotations',
    label_ja: 'アノテーション数',
    label_en: 'Annotations',
    unit: 'count',
    good: 'up',
    main: false,
    definition_ja: 'その日に登録されたアノテーション（採点）の数。',
    definition_en: 'Annotations (scores) created on the day.',
    expr: () => 'COALESCE(ann.n, 0)',
  },
  {
    id: 'live_model_version',
    label_ja: '稼働モデル',
    label_en: 'Live model version',
    unit: 'version',
    good: 'none',
    main: false,
    definition_ja: 'その日の終わりに稼働していたモデルのバージョン。',
    definition_en: 'Model version live at the end of the day.',
    expr: () => 'live.version',
  },
];

export function kpiById(id: string): KpiDef {
  const k = KPIS.find((x) => x.id === id);
  if (!k) throw new RangeError(`unknown KPI '${id}'`);
  return k;
}

export const NUMERIC_KPIS = KPIS.filter((k) => k.unit !== 'version');
export const MAIN_KPIS = KPIS.filter((k) => k.main);
/** The largest look-back a KPI needs: MAU spans 30 days. */
export const LOOKBACK_DAYS = ACTIVE_WINDOWS.mau - 1;
export const KPI_TIME_ZONE = 'Asia/Tokyo';
