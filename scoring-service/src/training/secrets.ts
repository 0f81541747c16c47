/**
 * A report is read by anyone permitted and may be forwarded: scrub every configured token
 * (API_TOKENS), every value registered as secret (generated tokens) and bearer credentials
 * from anything user-supplied that ends up in it (e.g. a trigger reason).
 */
import type { Config } from '../config.ts';
import { redact } from '../log.ts';
import { parseTokenList } from '../http/auth.ts';

export function redactSecrets(text: string, config: Config): string {
  let out = redact(text);
  if (config.auth.apiTokens) {
    let tokens: string[] = [];
    try {
      tokens = parseTokenList(config.auth.apiTokens).map((t) => t.token);
    } catch {}
    for (const t of tokens) if (t.length >= 6) out = out.split(t).join('[REDACTED]');
  }
  return out;
}
