/** Tables owned by the kpi area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

export const kpiTables: TableDef[] = [];
