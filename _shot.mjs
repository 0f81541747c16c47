import { chromium } from 'playwright-core';
const ctx = await chromium.launchPersistentContext('/tmp/wsdev/prof', { executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'], viewport: { width: 320, height: 900 } });
const p = ctx.pages()[0];
const t0 = Date.now();
await p.goto('http://127.0.0.1:18931/dev/sidebar');
try { await p.locator('#task[data-freelancer-id]').waitFor({ state: 'visible', timeout: 60000 }); } catch (e) { console.log('timeout'); }
console.log('loaded', Date.now() - t0, await p.locator('#error-text').textContent(), await p.locator('#why').textContent());
await p.screenshot({ path: '/tmp/wsdev/dev.png' });
await ctx.close();
