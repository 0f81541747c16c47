/** Tables owned by the annotation area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

export const annotationTables: TableDef[] = [];
