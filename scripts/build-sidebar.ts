/**
 * Builds the sidebar: sheets-addon/src/sidebar.html with its CSS and the esbuild bundle of
 * sidebar.ts inlined, giving one self-contained file (HtmlService serves one file, no assets).
 * Also bundles the dev shim that GET /dev/sidebar injects (the server functions run in the browser).
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const sidebarSrcDir = path.join(repoRoot, 'sheets-addon', 'src');
export const sidebarBuildDir = path.join(repoRoot, 'sheets-addon', 'build');
export const sidebarHtmlFile = path.join(sidebarBuildDir, 'Sidebar.html');
export const devShimFile = path.join(sidebarBuildDir, 'dev-shim.js');

async function bundle(entry: string, globalName?: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    target: 'es2020',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    minify: true,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/** `</script` inside inlined code would end the element early (HTML §13.2.5.4). */
export function escapeInlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export async function buildSidebarHtml(): Promise<string> {
  const template = fs.readFileSync(path.join(sidebarSrcDir, 'sidebar.html'), 'utf8');
  const css = fs.readFileSync(path.join(sidebarSrcDir, 'sidebar.css'), 'utf8');
  const js = await bundle(path.join(sidebarSrcDir, 'sidebar.ts'));
  if (!template.includes('/*INLINE_CSS*/') || !template.includes('/*INLINE_JS*/')) throw new Error('sidebar.html lacks the INLINE_CSS / INLINE_JS markers');
  return template.replace('/*INLINE_CSS*/', () => css.replace(/<\/style/gi, '<\\/style')).replace('/*INLINE_JS*/', () => escapeInlineScript(js));
}

export async function buildDevShim(): Promise<string> {
  return bundle(path.join(sidebarSrcDir, 'dev-shim.ts'));
}

export async function writeSidebar(): Promise<{ html: string; shim: string }> {
  fs.mkdirSync(sidebarBuildDir, { recursive: true });
  const [html, shim] = await Promise.all([buildSidebarHtml(), buildDevShim()]);
  fs.writeFileSync(sidebarHtmlFile, html);
  fs.writeFileSync(devShimFile, shim);
  return { html, shim };
}
