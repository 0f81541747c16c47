/**
 * The BigQuery adapter with the real @google-cloud/bigquery client against the local fake
 * of the REST API (test/fakes/bigquery-server.ts): the shared contract suite.
 */
import { BigQueryWarehouse } from '../src/warehouse/bigquery.ts';
import { startFakeBigQuery, staticAuth } from './fakes/bigquery-server.ts';
import { warehouseContract } from './warehouse-contract.ts';

// No credentials and no metadata server here: google-auth-library must not probe for one.
process.env.METADATA_SERVER_DETECTION = 'none';

warehouseContract('BigQuery adapter against the local fake', async () => {
  const fake = await startFakeBigQuery();
  const warehouse = new BigQueryWarehouse({ projectId: 'fake-project', dataset: 'contract', location: 'asia-northeast1', apiEndpoint: fake.url }, { authClient: staticAuth() });
  return { warehouse, done: () => fake.stop() };
});
