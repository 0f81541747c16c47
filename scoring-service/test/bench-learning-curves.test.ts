import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningCurveSvg, standardErrorBand, ticks } from '../bench/learning-curves-lib.ts';

const n = [50, 100, 150, 200];
const chart = {
  title: 'AL <seed 42> & co',
  n,
  series: [
    { name: 'random', mean: [0.6, 0.5, 0.42, 0.38], perRepetition: [[0.62, 0.52, 0.43, 0.39], [0.58, 0.48, 0.41, 0.37]] },
    { name: 'queue', mean: [0.62, 0.47, 0.39, 0.35], perRepetition: [[0.6, 0.46, 0.4, 0.36], [0.64, 0.48, 0.38, 0.34]], reached: 168 },
    { name: 'other', mean: [0.66, 0.55, 0.45, 0.4], reached: null },
  ],
  reference: 0.38,
  referenceLabel: 'random order at 200: 0.380',
  goal: 150,
  goalLabel: 'goal ≤ 150',
};

const attr = (el: string, name: string) => Number(new RegExp(`${name}="([-0-9.]+)"`).exec(el)![1]);

test('ticks are round steps that cover the range from below and above', () => {
  assert.deepEqual(ticks(0.293, 0.73, 6), [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
  assert.deepEqual(ticks(0, 500, 10), [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
  assert.deepEqual(ticks(3, 3, 5), [3]);
});

test('the ±1 SE band is the mean plus and minus sd/√r per checkpoint; none for one repetition', () => {
  const b = standardErrorBand([[1, 2], [3, 2]])!;
  assert.deepEqual(b, { lo: [1, 2], hi: [3, 2] }); // sd √2, se 1 at the first checkpoint; no spread at the second
  assert.equal(standardErrorBand([[1, 2]]), null);
});

test('the chart draws every series, its band, the reference, the goal and where each curve reaches the reference', () => {
  const svg = learningCurveSvg(chart);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(svg.includes('AL &lt;seed 42&gt; &amp; co') && !svg.includes('<seed'), 'text is escaped');
  const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));
  assert.equal(lines.length, 3);
  // Falling RMSE is drawn downward (SVG y grows), and x follows the annotation count.
  for (const pts of lines) {
    assert.equal(pts.length, n.length);
    for (let j = 1; j < pts.length; j++) assert.ok(pts[j][0] > pts[j - 1][0]);
  }
  assert.ok(lines[0][3][1] > lines[0][0][1], 'the random curve ends lower on the chart than it starts');
  assert.equal([...svg.matchAll(/<polygon /g)].length, 2, 'bands only for series with repetitions');
  // The reference line's y is that of the RMSE 0.38, where the random curve ends.
  const ref = /<line [^>]*stroke-dasharray="6 4"[^>]*>/.exec(svg)![0];
  assert.ok(Math.abs(attr(ref, 'y1') - lines[0][3][1]) < 0.11);
  // The goal line sits at x = 150, the third checkpoint.
  const goal = /<line [^>]*stroke-dasharray="2 3"[^>]*>/.exec(svg)![0];
  assert.ok(Math.abs(attr(goal, 'x1') - lines[0][2][0]) < 0.11);
  // The queue reaches the reference at 168: between the checkpoints 150 and 200.
  const reached = [...svg.matchAll(/<circle class="reached"[^>]*>/g)].map((m) => m[0]);
  assert.equal(reached.length, 1);
  const x = attr(reached[0], 'cx');
  assert.ok(x > lines[1][2][0] && x < lines[1][3][0]);
  assert.ok(svg.includes('queue — reaches it at 168') && svg.includes('other — not reached within 200') && svg.includes('>random</text>'));
  assert.ok(svg.includes('goal ≤ 150') && svg.includes('random order at 200: 0.380'));
});

test('a series whose length differs from the checkpoints is refused', () => {
  assert.throws(() => learningCurveSvg({ ...chart, series: [{ name: 'short', mean: [0.5, 0.4] }] }), /series 'short' has 2 points for 4 checkpoints/);
  assert.throws(() => learningCurveSvg({ ...chart, series: [] }), /no checkpoints or no series/);
});
