/** Tables owned by the experiments area (rendered to DDL by each dialect). */
import type { TableDef } from '../domain/table.ts';

export const experimentsTables: TableDef[] = [];
