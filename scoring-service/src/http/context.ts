/** Everything a request handler may use; built once at start-up (main.ts) or by tests. */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Warehouse } from '../warehouse/port.ts';
import type { LiveHolder } from '../scores/live.ts';
import type { Authenticator } from './auth.ts';

export interface ServiceContext {
  config: Config;
  log: Logger;
  warehouse: Warehouse;
  live: LiveHolder;
  auth: Authenticator;
  /** Injectable clock (tests move time). */
  now: () => Date;
}
