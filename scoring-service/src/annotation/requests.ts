/** Validation of the annotation API's request bodies and queries: every 400 names its field. */
import { ValidationError } from '../errors.ts';

export interface SubmitBody {
  lease_id: string;
  freelancer_id: string;
  score: number;
  comment: string | null;
  rubric_version: string | null;
  client_request_id: string;
}

export interface SkipBody {
  lease_id: string;
  freelancer_id: string;
  reason: string;
}

export interface RubricBody {
  text_ja: string;
  text_en: string | null;
  base_version: string | null;
}

export interface SettingsBody {
  blind_mode?: boolean;
  double_share?: number;
}

export const MAX_COMMENT = 5000;
export const MAX_RUBRIC = 20_000;

function object(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('body', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

function onlyKnown(b: Record<string, unknown>, known: readonly string[]): void {
  if ('annotator' in b) throw new ValidationError('annotator', 'annotator must not be sent: it is taken from the verified token');
  for (const k of Object.keys(b)) if (!known.includes(k)) throw new ValidationError(k, `${k} is not a field of this request (expected: ${known.join(', ')})`);
}

function id(b: Record<string, unknown>, field: string, max = 200): string {
  const v = b[field];
  if (v === undefined || v === null) throw new ValidationError(field, `${field} is required`);
  if (typeof v !== 'string' || v.trim() === '') throw new ValidationError(field, `${field} must be a non-empty string`);
  if (v.length > max) throw new ValidationError(field, `${field} must be at most ${max} characters`);
  return v;
}

function optionalText(b: Record<string, unknown>, field: string, max: number): string | null {
  const v = b[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new ValidationError(field, `${field} must be a string`);
  if (v.length > max) throw new ValidationError(field, `${field} must be at most ${max} characters`);
  return v;
}

export function parseSubmit(body: unknown): SubmitBody {
  const b = object(body);
  onlyKnown(b, ['lease_id', 'freelancer_id', 'score', 'comment', 'rubric_version', 'client_request_id']);
  const client_request_id = id(b, 'client_request_id');
  const lease_id = id(b, 'lease_id');
  const freelancer_id = id(b, 'freelancer_id');
  const score = b.score;
  if (score === undefined || score === null) throw new ValidationError('score', 'score is required');
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) throw new ValidationError('score', 'score must be an integer from 1 to 5');
  const comment = optionalText(b, 'comment', MAX_COMMENT);
  const rubric_version = b.rubric_version === undefined || b.rubric_version === null ? null : id(b, 'rubric_version', 100);
  return { lease_id, freelancer_id, score, comment: comment?.trim() ? comment : null, rubric_version, client_request_id };
}

export function parseSkip(body: unknown): SkipBody {
  const b = object(body);
  onlyKnown(b, ['lease_id', 'freelancer_id', 'reason']);
  const lease_id = id(b, 'lease_id');
  const freelancer_id = id(b, 'freelancer_id');
  const reason = id(b, 'reason', 1000);
  return { lease_id, freelancer_id, reason };
}

export function parseRubric(body: unknown): RubricBody {
  const b = object(body);
  onlyKnown(b, ['text_ja', 'text', 'text_en', 'base_version']);
  if (b.text_ja !== undefined && b.text !== undefined && b.text_ja !== b.text) throw new ValidationError('text', 'send text_ja or text, not two different texts');
  const field = b.text_ja !== undefined ? 'text_ja' : 'text';
  const text_ja = id(b, field, MAX_RUBRIC);
  const text_en = optionalText(b, 'text_en', MAX_RUBRIC);
  const base_version = b.base_version === undefined || b.base_version === null ? null : id(b, 'base_version', 100);
  return { text_ja, text_en, base_version };
}

export function parseSettings(body: unknown): SettingsBody {
  const b = object(body);
  onlyKnown(b, ['blind_mode', 'double_share', 'double_annotation_share']);
  const out: SettingsBody = {};
  if (b.blind_mode !== undefined) {
    if (typeof b.blind_mode !== 'boolean') throw new ValidationError('blind_mode', 'blind_mode must be true or false');
    out.blind_mode = b.blind_mode;
  }
  for (const field of ['double_share', 'double_annotation_share'] as const) {
    const v = b[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new ValidationError(field, `${field} must be a number from 0 to 1`);
    if (out.double_share !== undefined && out.double_share !== v) throw new ValidationError(field, 'double_share and double_annotation_share disagree');
    out.double_share = v;
  }
  if (out.blind_mode === undefined && out.double_share === undefined) throw new ValidationError('body', 'nothing to change: send blind_mode and/or double_share');
  return out;
}

/** `?count=N`: an integer from 1 to max (default 1). */
export function parseCount(raw: unknown, max: number): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > max) throw new ValidationError('count', `count must be an integer from 1 to ${max}`);
  return n;
}

export function parseLimit(raw: unknown, max: number, def: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > max) throw new ValidationError('limit', `limit must be an integer from 1 to ${max}`);
  return n;
}
