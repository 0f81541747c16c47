/** What a training run, the registry and the start-up loader are given. */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { LiveHolder } from '../scores/live.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { modelKitOverride, realKit, type ModelKit } from './model-kit.ts';

export interface TrainingDeps {
  warehouse: Warehouse;
  live: LiveHolder;
  config: Config;
  log: Logger;
  now: () => Date;
  /** The model area's functions; the real modules unless a test injects its own. */
  kit?: ModelKit;
}

export async function kitOf(deps: TrainingDeps): Promise<ModelKit> {
  return deps.kit ?? modelKitOverride(deps.warehouse) ?? realKit;
}
