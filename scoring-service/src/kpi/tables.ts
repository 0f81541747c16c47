/** Tables owned by the kpi area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';
import { KPIS } from './definitions.ts';

/** One row per Asia/Tokyo date, one column per KPI (kpi/definitions.ts). */
export const kpiDaily: TableDef = {
  name: 'kpi_daily',
  primaryKey: ['date'],
  description: 'Daily KPIs (Asia/Tokyo days); upserted by the incremental refresh and by backfills.',
  columns: [
    { name: 'date', type: 'DATE' },
    ...KPIS.map((k) => ({ name: k.id, type: k.unit === 'version' ? ('STRING' as const) : ('FLOAT64' as const), description: k.label_en })),
    { name: 'computed_at', type: 'TIMESTAMP', nullable: false },
  ],
};

export const kpiTables: TableDef[] = [kpiDaily];
