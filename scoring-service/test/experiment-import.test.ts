/** Reading uploaded NDJSON/CSV with line numbers, and the row rules for assignments and outcomes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat, parseRecords } from '../src/experiments/import-file.ts';
import { assignmentRows, outcomeEvents, parseExperimentInput } from '../src/experiments/validate.ts';

const e = parseExperimentInput({ id: 'e1', name: 'n', goal_metric: 'match', start_at: '2026-10-01T00:00:00Z', arms: [{ name: 'control' }, { name: 'b', weight: 3 }] }, new Date('2026-09-01T00:00:00Z'), 'me');

test('CSV records keep the line they start on, across quoted newlines, a BOM and CRLF', () => {
  const text = '\uFEFFunit_id,arm\r\n"u,1",control\r\n"u\n2",b\r\n\r\nu3,b\r\nonly-one-field\r\n';
  const { records, issues } = parseRecords(text);
  assert.deepEqual(records.map((r) => [r.line, r.values.unit_id]), [[2, 'u,1'], [3, 'u\n2'], [6, 'u3']]);
  assert.deepEqual(issues, [{ line: 7, field: '(row)', message: 'has 1 fields, the header has 2' }]);
  assert.equal(detectFormat(' {"a":1}'), 'ndjson');
  assert.equal(detectFormat('unit_id,arm'), 'csv');
});

test('assignment rows: unknown arm, duplicate unit, bad time and unknown column are reported per line', () => {
  const { records } = parseRecords('{"unit_id":"a","arm":"b"}\n{"unit_id":"a","arm":"b"}\n{"unit_id":"c","arm":"z"}\n{"unit_id":"d","arm":"b","assigned_at":"soon"}\n{"unit_id":"e","arm":"b","colour":"red"}\n');
  const { rows, issues } = assignmentRows(e, records);
  assert.deepEqual(issues.map((i) => [i.line, i.field]), [[2, 'unit_id'], [3, 'arm'], [4, 'assigned_at'], [5, 'colour']]);
  assert.deepEqual(rows, [{ experiment_id: 'e1', unit_id: 'a', arm: 'b', assigned_at: '2026-10-01T00:00:00.000Z', source: 'import' }]);
});

test('outcome rows become events of the goal metric with ids that repeat for the same row', () => {
  const { records } = parseRecords('unit_id,occurred_at,metric\nu1,2026-10-03 10:00:00,\nu1,2026-10-04T00:00:00+09:00,message\n');
  const first = outcomeEvents(e, records);
  const second = outcomeEvents(e, records);
  assert.deepEqual(first.issues, []);
  assert.deepEqual(first.rows.map((r) => [r.event_type, r.actor_type, r.actor_id, r.event_time]), [
    ['match', 'freelancer', 'u1', '2026-10-03T10:00:00.000Z'],
    ['message', 'freelancer', 'u1', '2026-10-03T15:00:00.000Z'],
  ]);
  assert.deepEqual(first.rows.map((r) => r.event_id), second.rows.map((r) => r.event_id));
});

test('experiment input: defaults, and each bad field named', () => {
  assert.deepEqual(e.arms, [{ name: 'control', weight: 1 }, { name: 'b', weight: 3 }]);
  assert.equal(e.status, 'running');
  assert.equal(e.pre_period_days, 28);
  assert.ok(e.salt.length >= 8);
  const now = new Date();
  const field = (body: Record<string, unknown>) => {
    try {
      parseExperimentInput({ name: 'n', goal_metric: 'match', ...body }, now, 'me');
      return null;
    } catch (err) {
      return (err as { field?: string }).field;
    }
  };
  assert.equal(field({ id: 'Bad Id' }), 'id');
  assert.equal(field({ arms: [{ name: 'a' }, { name: 'a' }] }), 'arms[1].name');
  assert.equal(field({ arms: [{ name: 'a' }, { name: 'b', weight: 0 }] }), 'arms[1].weight');
  assert.equal(field({ start_at: '2026-10-02T00:00:00Z', end_at: '2026-10-01T00:00:00Z' }), 'end_at');
  assert.equal(field({ secondary_metrics: ['match'] }), 'secondary_metrics');
  assert.equal(field({ unit_type: 'job' }), 'unit_type');
  assert.equal(field({ extra: 1 }), 'extra');
});
