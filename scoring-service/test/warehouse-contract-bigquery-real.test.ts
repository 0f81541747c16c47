/**
 * The contract suite against real BigQuery. Registered only when the configuration names a
 * project (BQ_PROJECT) and credentials (GOOGLE_APPLICATION_CREDENTIALS); otherwise this file
 * registers no test at all, so nothing is reported as skipped. Each run uses its own
 * throw-away dataset and deletes it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { BigQuery } from '@google-cloud/bigquery';
import { loadConfig } from '../src/config.ts';
import { BigQueryWarehouse } from '../src/warehouse/bigquery.ts';
import { warehouseContract } from './warehouse-contract.ts';

const config = loadConfig();

if (config.bigquery.projectId && config.bigquery.credentialsFile && !config.bigquery.apiEndpoint) {
  warehouseContract(`real BigQuery (${config.bigquery.projectId}, ${config.bigquery.location})`, async () => {
    const dataset = `workship_contract_${randomBytes(4).toString('hex')}`;
    const options = { ...config.bigquery, dataset };
    return {
      warehouse: new BigQueryWarehouse(options),
      done: async () => {
        await new BigQuery({ projectId: options.projectId, location: options.location }).dataset(dataset).delete({ force: true });
      },
    };
  });
}
