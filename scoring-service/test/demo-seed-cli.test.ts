import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCli } from '../src/cli/index.ts';
import { DuckdbWarehouse } from '../src/warehouse/duckdb.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'workship-seed-'));

async function count(dir: string, table: string): Promise<number> {
  const w = new DuckdbWarehouse({ file: path.join(dir, 'workship.duckdb') });
  try {
    return Number((await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  } finally {
    await w.close();
  }
}

test('cli seed writes the demo set, prints progress and a summary with the noise floor', async () => {
  const dir = tmp();
  try {
    const c = capture();
    const code = await runCli(['seed', '--freelancers', '120', '--annotations', '30', '--seed', '5'], c.io, { DATA_DIR: dir });
    assert.equal(code, 0, c.err.join('\n'));
    const text = c.out.join('\n');
    assert.match(text, /✔ 企業 \/ companies: 20/);
    assert.match(text, /✔ フリーランス・行動ログ \/ freelancers and their events: 120/);
    assert.match(text, /✔ アノテーション \/ annotations: 30/);
    assert.match(text, /freelancers 120 · companies 20 · jobs 30 · events [\d,]+/);
    assert.match(text, /noise floor: RMSE 0\.\d{3}/);
    assert.equal(await count(dir, 'freelancers'), 120);
    assert.equal(await count(dir, 'annotations'), 30);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('cli seed refuses a non-empty warehouse unless --force, which replaces the demo set', async () => {
  const dir = tmp();
  try {
    assert.equal(await runCli(['seed', '--freelancers', '60', '--annotations', '10'], capture().io, { DATA_DIR: dir }), 0);
    const again = capture();
    assert.equal(await runCli(['seed', '--freelancers', '80', '--annotations', '10'], again.io, { DATA_DIR: dir }), 1);
    assert.match(again.err.join('\n'), /--force/);
    assert.equal(await count(dir, 'freelancers'), 60, 'nothing was written');
    const forced = capture();
    assert.equal(await runCli(['seed', '--freelancers', '80', '--annotations', '12', '--force', '--json'], forced.io, { DATA_DIR: dir }), 0);
    assert.equal(await count(dir, 'freelancers'), 80);
    assert.equal(await count(dir, 'annotations'), 12);
    const summary = JSON.parse(forced.out.find((l) => l.startsWith('{')) ?? '{}');
    assert.equal(summary.freelancers, 80);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('cli seed refuses while a service is running on the same DATA_DIR', async () => {
  const dir = tmp();
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.address() as AddressInfo).port;
    fs.writeFileSync(path.join(dir, 'service.json'), JSON.stringify({ pid: process.pid, port, started_at: new Date().toISOString() }));
    const c = capture();
    assert.equal(await runCli(['seed', '--freelancers', '50'], c.io, { DATA_DIR: dir, API_TOKENS: 'tok=admin' }), 1);
    assert.match(c.err.join('\n'), /サービスが .* で起動中/);
    assert.match(c.err.join('\n'), /stop the service/);
    const noToken = capture();
    assert.equal(await runCli(['seed', '--freelancers', '50'], noToken.io, { DATA_DIR: dir }), 1, 'refuses even without an admin token');
    assert.equal(fs.existsSync(path.join(dir, 'workship.duckdb')), false, 'the database was never opened');
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('cli seed rejects bad flags with usage', async () => {
  const dir = tmp();
  try {
    const c = capture();
    assert.equal(await runCli(['seed', '--freelancers', '0'], c.io, { DATA_DIR: dir }), 2);
    assert.match(c.err.join('\n'), /--freelancers must be an integer from 1 to 1000000/);
    const d = capture();
    assert.equal(await runCli(['seed', '--now', 'yesterday'], d.io, { DATA_DIR: dir }), 2);
    assert.match(d.err.join('\n'), /--now must be an ISO-8601 timestamp/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
