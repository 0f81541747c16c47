/** Writes one benchmark's figures to bench-results/<name>.json (with machine facts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function writeResult(name: string, result: unknown): string {
  const dir = path.resolve(import.meta.dirname, '../../bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ name, measured_at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, result }, null, 2) + '\n',
  );
  return file;
}
