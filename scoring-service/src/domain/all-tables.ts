/** Every table the product creates, in creation order. */
import type { TableDef } from './table.ts';
import { coreTables } from './tables.ts';
import { featuresTables } from '../features/tables.ts';
import { trainingTables } from '../training/tables.ts';
import { annotationTables } from '../annotation/tables.ts';
import { kpiTables } from '../kpi/tables.ts';
import { experimentsTables } from '../experiments/tables.ts';

export const allTables: TableDef[] = [
  ...coreTables,
  ...featuresTables,
  ...trainingTables,
  ...annotationTables,
  ...kpiTables,
  ...experimentsTables,
];

export function tableByName(name: string): TableDef {
  const t = allTables.find((x) => x.name === name);
  if (!t) throw new Error(`unknown table '${name}'`);
  return t;
}
