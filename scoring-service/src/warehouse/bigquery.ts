/** BigQuery adapter: being written (see the warehouse helper's task). */
import type { Config } from '../config.ts';
import type { Row, TableDef } from '../domain/table.ts';
import { bigqueryDialect } from './dialects/bigquery.ts';
import type { Params, QueryOptions, Warehouse } from './port.ts';

export class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery' as const;
  readonly dialect;
  constructor(private readonly options: Config['bigquery']) {
    this.dialect = bigqueryDialect(options.projectId, options.dataset);
  }
  migrate(_tables: TableDef[]): Promise<void> { throw new Error('not implemented'); }
  query<T = Row>(_sql: string, _params?: Params, _o?: QueryOptions): Promise<T[]> { throw new Error('not implemented'); }
  execute(_sql: string, _params?: Params, _o?: QueryOptions): Promise<void> { throw new Error('not implemented'); }
  upsert(_t: TableDef, _rows: Row[]): Promise<number> { throw new Error('not implemented'); }
  append(_t: TableDef, _rows: Row[]): Promise<number> { throw new Error('not implemented'); }
  deleteWhereIn(_t: TableDef, _c: string, _k: string[]): Promise<void> { throw new Error('not implemented'); }
  // eslint-disable-next-line require-yield
  async *stream<T = Row>(_sql: string, _p?: Params, _b?: number, _o?: QueryOptions): AsyncIterable<T[]> { throw new Error('not implemented'); }
  close(): Promise<void> { return Promise.resolve(); }
}
