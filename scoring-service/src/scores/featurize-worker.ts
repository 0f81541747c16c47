/**
 * Worker thread of the featurize pool: loads its own kuromoji featurizer and turns chunks
 * of profiles into stored vectors (packing.ts packList). Messages: {id, profiles} → {id, packed, specVersion}.
 */
import { parentPort } from 'node:worker_threads';
import { loadFeaturizer } from '../features/featurizer.ts';
import { packList } from '../features/packing.ts';
import type { Profile } from '../domain/types.ts';

const port = parentPort;
if (port) {
  const ready = loadFeaturizer();
  port.on('message', async (msg: { id: number; profiles: Profile[] }) => {
    try {
      const f = await ready;
      const packed = msg.profiles.map((p) => packList(f.featurize({ profile: p, activity: null })));
      port.postMessage({ id: msg.id, packed, specVersion: f.spec.version });
    } catch (e) {
      port.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
