import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';
import { warehouseContract } from './warehouse-contract.ts';

warehouseContract('DuckDB (in memory)', async () => ({ warehouse: new DuckdbWarehouse({ file: ':memory:' }) }));
