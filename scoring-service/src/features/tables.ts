/** Tables owned by the features area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

export const featuresTables: TableDef[] = [];
