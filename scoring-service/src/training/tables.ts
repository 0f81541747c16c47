/** Tables owned by the training area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

export const trainingTables: TableDef[] = [];
