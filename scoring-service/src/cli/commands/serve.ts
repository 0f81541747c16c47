import type { CliCommand } from '../command.ts';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the service (seeds and trains on an empty DATA_DIR, like npm start)',
  usage: 'usage: workship-ml serve   (PORT, DATA_DIR and the rest come from the environment; see README)',
  async run() {
    const { serve } = await import('../../main.ts');
    await serve();
    return await new Promise<number>(() => {}); // runs until a signal stops the process
  },
};
