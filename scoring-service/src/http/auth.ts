/**
 * Bearer-token authentication. Two sources, both optional at once:
 * - local tokens: API_TOKENS `token=role[:identity]`, or generated into DATA_DIR/tokens.json
 *   on first start (printed once to the terminal, never logged);
 * - Google-signed ID tokens (Cloud Run callers, Apps Script's ScriptApp.getIdentityToken()),
 *   verified with google-auth-library against GOOGLE_AUDIENCE, roles from GOOGLE_ALLOWLIST.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { registerSecret } from '../log.ts';

export const ROLES = ['scorer', 'annotator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  /** Who: an email for Google identities and for tokens that name one. */
  identity: string;
  via: 'token' | 'google';
}

/** admin ⊃ annotator ⊃ scorer. */
export function hasRole(principal: Principal, required: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(required);
}

export function assertRole(principal: Principal, required: Role): void {
  if (!hasRole(principal, required)) throw new ForbiddenError(required, principal.role);
}

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Synchronous check of local tokens only (the read fast path); undefined when not one. */
  authenticateLocal?(authorization: string | undefined): Principal | undefined;
}

interface TokenEntry {
  token: Buffer;
  principal: Principal;
}

export function parseTokenList(spec: string): { token: string; role: Role; identity: string }[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) throw new Error(`API_TOKENS entry ${i + 1} must look like token=role[:identity]`);
      const token = entry.slice(0, eq);
      const [role, ...rest] = entry.slice(eq + 1).split(':');
      if (!(ROLES as readonly string[]).includes(role)) throw new Error(`API_TOKENS entry ${i + 1}: unknown role '${role}' (scorer, annotator, admin)`);
      if (token.length < 2) throw new Error(`API_TOKENS entry ${i + 1}: token too short`);
      return { token, role: role as Role, identity: rest.join(':') || `${role}-${i + 1}` };
    });
}

export function parseAllowlist(spec: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [email, role] = entry.split('=');
    if (!email || !(ROLES as readonly string[]).includes(role)) throw new Error(`GOOGLE_ALLOWLIST entry '${email}' must look like email=role`);
    map.set(email.toLowerCase(), role as Role);
  }
  return map;
}

export interface GeneratedTokens {
  admin: string;
  annotator: string;
  scorer: string;
}

/** Reads DATA_DIR/tokens.json, creating it (mode 0600) with fresh tokens when missing. */
export function loadOrCreateTokens(dataDir: string): { tokens: GeneratedTokens; created: boolean; file: string } {
  const file = path.join(dataDir, 'tokens.json');
  if (fs.existsSync(file)) return { tokens: JSON.parse(fs.readFileSync(file, 'utf8')) as GeneratedTokens, created: false, file };
  fs.mkdirSync(dataDir, { recursive: true });
  const gen = () => randomBytes(24).toString('base64url');
  const tokens: GeneratedTokens = { admin: gen(), annotator: gen(), scorer: gen() };
  fs.writeFileSync(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  return { tokens, created: true, file };
}

export function tokenSpecFromGenerated(t: GeneratedTokens): string {
  return `${t.admin}=admin:admin@localhost,${t.annotator}=annotator:annotator@localhost,${t.scorer}=scorer:scorer@localhost`;
}

export interface AuthOptions {
  tokenSpec?: string;
  googleAudience?: string;
  googleAllowlist?: string;
  /** Injected for tests; defaults to google-auth-library's verifier. */
  verifyGoogleToken?: (idToken: string, audience: string) => Promise<{ email?: string; email_verified?: boolean } | undefined>;
}

export function createAuthenticator(options: AuthOptions): Authenticator {
  const entries: TokenEntry[] = parseTokenList(options.tokenSpec ?? '').map((e) => {
    registerSecret(e.token);
    return { token: Buffer.from(e.token), principal: { role: e.role, identity: e.identity, via: 'token' } };
  });
  const allowlist = parseAllowlist(options.googleAllowlist ?? '');
  const client = new OAuth2Client();
  const verify =
    options.verifyGoogleToken ??
    (async (idToken: string, audience: string) => (await client.verifyIdToken({ idToken, audience })).getPayload());

  // Candidates are encoded into one reused buffer, seen through a fixed view per token length:
  // no allocation per request on the read path. A candidate of more UTF-16 units than the
  // longest token has more bytes too; any other fits the buffer whole (≤ 3 bytes a unit).
  const longest = entries.reduce((a, e) => Math.max(a, e.token.length), 0);
  const scratch = Buffer.alloc(3 * longest);
  const views = new Map(entries.map((e) => [e.token.length, scratch.subarray(0, e.token.length)]));
  function matchToken(candidate: string): Principal | undefined {
    if (candidate.length > longest) return undefined;
    const c = views.get(scratch.write(candidate));
    if (!c) return undefined;
    for (const e of entries) if (e.token.length === c.length && timingSafeEqual(e.token, c)) return e.principal;
    return undefined;
  }

  return {
    authenticateLocal(authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      return m ? matchToken(m[1]) : undefined;
    },
    async authenticate(authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) throw new UnauthenticatedError('missing bearer token (Authorization: Bearer …)');
      const local = matchToken(m[1]);
      if (local) return local;
      // A JWT has three dot-separated parts; only then try Google's verifier.
      if (options.googleAudience && m[1].split('.').length === 3) {
        let payload: { email?: string; email_verified?: boolean } | undefined;
        try {
          payload = await verify(m[1], options.googleAudience);
        } catch {
          throw new UnauthenticatedError('the ID token could not be verified');
        }
        const email = payload?.email?.toLowerCase();
        if (!email || payload?.email_verified === false) throw new UnauthenticatedError('the ID token carries no verified email');
        const role = allowlist.get(email);
        if (!role) throw new ForbiddenError('scorer', 'none');
        return { role, identity: email, via: 'google' };
      }
      throw new UnauthenticatedError('invalid bearer token');
    },
  };
}
