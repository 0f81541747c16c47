/** Opens the configured warehouse adapter; DuckDB unless WAREHOUSE=bigquery. */
import type { Config } from '../config.ts';
import { DuckdbWarehouse } from './duckdb.ts';
import type { Warehouse } from './port.ts';

export async function openWarehouse(config: Config): Promise<Warehouse> {
  if (config.warehouse === 'bigquery') {
    const { BigQueryWarehouse } = await import('./bigquery.ts');
    return new BigQueryWarehouse(config.bigquery);
  }
  return new DuckdbWarehouse({ file: config.duckdbFile });
}
