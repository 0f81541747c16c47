/** Warehouse reads and writes of the annotation area (one query per need, dialect-built). */
import type { Warehouse } from '../warehouse/port.ts';
import { annotations } from '../domain/tables.ts';
import type { Annotation, Freelancer, ProfileSnapshot } from '../domain/types.ts';
import { annotationLeases, annotationRequests, annotationRubrics, annotationSettings, annotationSkips } from './tables.ts';
import type { Why } from './acquisition.ts';

export interface PredictionShown {
  score: number;
  percentile: number;
  occupation_percentile: number;
  reasons: unknown[];
  model_version: string;
}

export interface LeaseRow {
  lease_id: string;
  freelancer_id: string;
  annotator: string;
  created_at: string;
  expires_at: string;
  status: 'open' | 'submitted' | 'skipped' | 'undone';
  is_double: boolean;
  blind: boolean;
  snapshot: ProfileSnapshot;
  prediction: PredictionShown | null;
  model_version: string | null;
  why: Why & { details?: Record<string, unknown> };
  priority: number | null;
  rubric_version: string | null;
  closed_at: string | null;
  annotation_id: string | null;
}

export interface RequestRow {
  client_request_id: string;
  annotator: string;
  body_hash: string;
  annotation_id: string;
  status: 'stored' | 'undone';
  created_at: string;
  annotation: Record<string, unknown>;
}

export interface RubricRow {
  version: string;
  seq: number;
  text_ja: string;
  text_en: string | null;
  created_at: string;
  created_by: string;
}

export interface SettingsRow {
  seq: number;
  blind_mode: boolean;
  double_share: number;
  updated_at: string;
  updated_by: string;
}

/** Who annotated what, and when (no snapshots: the queue needs only this). */
export interface AnnotationFact {
  annotation_id: string;
  freelancer_id: string;
  annotator: string;
  score: number;
  created_at: string;
}

export class AnnotationStore {
  constructor(private readonly w: Warehouse) {}

  private t(name: string): string {
    return this.w.dialect.table(name);
  }

  async freelancerHeads(): Promise<{ id: string; occupation: string; updated_at: string }[]> {
    return this.w.query(`SELECT id, occupation, updated_at FROM ${this.t('freelancers')}`);
  }

  /** Cheap change detector for the cached pool: row count and newest update. */
  async freelancerSignature(): Promise<string> {
    const [r] = await this.w.query<{ n: number; latest: string | null }>(`SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM ${this.t('freelancers')}`);
    return `${r?.n ?? 0}|${r?.latest ?? ''}`;
  }

  async allFreelancers(): Promise<Freelancer[]> {
    return this.w.query<Freelancer>(`SELECT * FROM ${this.t('freelancers')}`);
  }

  async freelancersByIds(ids: string[]): Promise<Freelancer[]> {
    if (!ids.length) return [];
    return this.w.query<Freelancer>(
      `SELECT * FROM ${this.t('freelancers')} WHERE ${this.w.dialect.arrayContains('@ids', 'id')}`,
      { ids },
      { types: { ids: 'STRING[]' } },
    );
  }

  async annotationFacts(): Promise<AnnotationFact[]> {
    return this.w.query<AnnotationFact>(`SELECT annotation_id, freelancer_id, annotator, score, created_at FROM ${this.t('annotations')}`);
  }

  /** Training rows for the ensemble: every annotation with the snapshot it was given for. */
  async trainingRows(): Promise<{ annotation_id: string; freelancer_id: string; profile_snapshot: ProfileSnapshot; score: number }[]> {
    return this.w.query(`SELECT annotation_id, freelancer_id, profile_snapshot, score FROM ${this.t('annotations')} ORDER BY annotation_id`);
  }

  async countAnnotations(): Promise<number> {
    const [r] = await this.w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${this.t('annotations')}`);
    return r?.n ?? 0;
  }

  async openLeases(now: string): Promise<{ freelancer_id: string; annotator: string }[]> {
    return this.w.query(
      `SELECT freelancer_id, annotator FROM ${this.t('annotation_leases')} WHERE status = 'open' AND expires_at > ${this.w.dialect.timestampParam('now')}`,
      { now },
    );
  }

  async skippedBy(annotator: string): Promise<string[]> {
    const rows = await this.w.query<{ freelancer_id: string }>(
      `SELECT DISTINCT freelancer_id FROM ${this.t('annotation_skips')} WHERE annotator = @a`,
      { a: annotator },
    );
    return rows.map((r) => r.freelancer_id);
  }

  async lease(leaseId: string): Promise<LeaseRow | null> {
    const [r] = await this.w.query<LeaseRow>(`SELECT * FROM ${this.t('annotation_leases')} WHERE lease_id = @id`, { id: leaseId });
    return r ?? null;
  }

  async putLeases(rows: LeaseRow[]): Promise<void> {
    await this.w.upsert(annotationLeases, rows as unknown as Record<string, unknown>[]);
  }

  async request(clientRequestId: string): Promise<RequestRow | null> {
    const [r] = await this.w.query<RequestRow>(`SELECT * FROM ${this.t('annotation_requests')} WHERE client_request_id = @id`, { id: clientRequestId });
    return r ?? null;
  }

  async requestForAnnotation(annotationId: string): Promise<RequestRow | null> {
    const [r] = await this.w.query<RequestRow>(`SELECT * FROM ${this.t('annotation_requests')} WHERE annotation_id = @id`, { id: annotationId });
    return r ?? null;
  }

  async putRequest(row: RequestRow): Promise<void> {
    await this.w.upsert(annotationRequests, [row as unknown as Record<string, unknown>]);
  }

  async putAnnotation(a: Annotation): Promise<void> {
    await this.w.upsert(annotations, [a as unknown as Record<string, unknown>]);
  }

  async deleteAnnotation(id: string): Promise<void> {
    await this.w.deleteWhereIn(annotations, 'annotation_id', [id]);
  }

  async annotationsBy(annotator: string, limit: number): Promise<Annotation[]> {
    return this.w.query<Annotation>(
      `SELECT * FROM ${this.t('annotations')} WHERE annotator = @a ORDER BY created_at DESC, annotation_id DESC LIMIT @limit`,
      { a: annotator, limit },
    );
  }

  async allAnnotations(limit: number, annotator?: string): Promise<Annotation[]> {
    const where = annotator ? 'WHERE annotator = @a' : '';
    return this.w.query<Annotation>(
      `SELECT * FROM ${this.t('annotations')} ${where} ORDER BY created_at DESC, annotation_id DESC LIMIT @limit`,
      annotator ? { a: annotator, limit } : { limit },
    );
  }

  async putSkip(row: { skip_id: string; lease_id: string; freelancer_id: string; annotator: string; reason: string; created_at: string }): Promise<void> {
    await this.w.upsert(annotationSkips, [row]);
  }

  async rubric(version?: string): Promise<RubricRow | null> {
    const [r] = version
      ? await this.w.query<RubricRow>(`SELECT * FROM ${this.t('annotation_rubrics')} WHERE version = @v`, { v: version })
      : await this.w.query<RubricRow>(`SELECT * FROM ${this.t('annotation_rubrics')} ORDER BY seq DESC LIMIT 1`);
    return r ?? null;
  }

  async rubricVersions(): Promise<{ version: string; created_at: string; created_by: string }[]> {
    return this.w.query(`SELECT version, created_at, created_by FROM ${this.t('annotation_rubrics')} ORDER BY seq DESC`);
  }

  async putRubric(row: RubricRow): Promise<void> {
    await this.w.upsert(annotationRubrics, [row as unknown as Record<string, unknown>]);
  }

  async settings(): Promise<SettingsRow | null> {
    const [r] = await this.w.query<SettingsRow>(`SELECT * FROM ${this.t('annotation_settings')} ORDER BY seq DESC LIMIT 1`);
    return r ?? null;
  }

  async putSettings(row: SettingsRow): Promise<void> {
    await this.w.upsert(annotationSettings, [row as unknown as Record<string, unknown>]);
  }
}
