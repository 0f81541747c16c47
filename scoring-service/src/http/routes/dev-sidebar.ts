/**
 * GET /dev/sidebar: the built sidebar — the same Sidebar.html clasp pushes — with a
 * google.script.run shim injected before the app, so the add-on's server functions run in the
 * browser against this service. Mounted only when config.devPages is on (never on Cloud Run by
 * default), and it embeds a token only when the tokens were generated locally into DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { loadOrCreateTokens } from '../auth.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const buildDir = path.join(repoRoot, 'sheets-addon', 'build');
const srcDir = path.join(repoRoot, 'sheets-addon', 'src');
const sharedSrcDir = path.join(repoRoot, 'appsscript', 'src', 'annotation');

function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return Math.max(0, ...fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).mtimeMs));
}

/** The built files; rebuilt when missing or older than their sources (a fresh clone needs no build step). */
async function sidebarFiles(): Promise<{ html: string; shim: string }> {
  const htmlFile = path.join(buildDir, 'Sidebar.html');
  const shimFile = path.join(buildDir, 'dev-shim.js');
  const built = fs.existsSync(htmlFile) && fs.existsSync(shimFile) ? Math.min(fs.statSync(htmlFile).mtimeMs, fs.statSync(shimFile).mtimeMs) : 0;
  if (built < Math.max(newestMtime(srcDir), newestMtime(sharedSrcDir))) {
    // esbuild is a dev dependency: loaded only here, on a developer's machine.
    const builder = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'build-sidebar.ts')).href)) as { writeSidebar(): Promise<{ html: string; shim: string }> };
    return builder.writeSidebar();
  }
  return { html: fs.readFileSync(htmlFile, 'utf8'), shim: fs.readFileSync(shimFile, 'utf8') };
}

/** JSON safe inside <script> (no `</script>`, no U+2028 surprises). */
function inlineJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function injectShim(html: string, shim: string, dev: { baseUrl: string; token: string }): string {
  const i = html.indexOf('<script>');
  if (i < 0) throw new Error('Sidebar.html has no <script>');
  const inject = `<script>window.__WORKSHIP_DEV__=${inlineJson(dev)};</script>\n<script>${shim.replace(/<\/(script)/gi, '<\\/$1')}</script>\n`;
  return html.slice(0, i) + inject + html.slice(i);
}

export function devSidebarRoutes(ctx: ServiceContext): Router {
  const r = Router();
  if (!ctx.config.devPages) return r;
  r.get('/dev/sidebar', async (req, res, next) => {
    try {
      const { html, shim } = await sidebarFiles();
      // Only tokens this machine generated (DATA_DIR/tokens.json) are ever put in a page.
      const tokens = ctx.config.auth.apiTokens ? null : loadOrCreateTokens(ctx.config.dataDir).tokens;
      const as = req.query.as === 'admin' ? 'admin' : 'annotator';
      const token = tokens ? tokens[as] : '';
      res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' });
      res.type('html').send(injectShim(html, shim, { baseUrl: '', token }));
    } catch (e) {
      next(e);
    }
  });
  return r;
}
