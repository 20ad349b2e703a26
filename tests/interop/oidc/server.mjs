// A real OAuth 2.0 authorization server for tests: oidc-provider (npm) configured with
// known clients, users and short, configurable token lifetimes, plus the grants that
// oidc-provider does not ship (password, RFC 8693 token exchange) and a few test-only
// routes (/__stats, /__reset, /__fail, /__resource, /__code, /__config).
//
//   node tests/interop/oidc/server.mjs [PORT]        # PORT 0 (default) = any free port
//
// Prints exactly one line on stdout, `READY http://127.0.0.1:<port>`, once it listens; every
// other message goes to stderr. Exits on SIGTERM / SIGINT, and when its stdin is a pipe that
// closes (the test runner died). The contract is in tests/interop/README.md.
//
// TEST ONLY: fixed secrets, in-memory state, loopback only.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import Provider, { errors } from 'oidc-provider';
// oidc-provider's own client_credentials handler, wrapped below to reject unknown scopes.
// Deep imports: fine with the exact version pinned in package.json.
import * as clientCredentialsGrant from 'oidc-provider/lib/actions/grants/client_credentials.js';
import * as grantHelpers from 'oidc-provider/lib/helpers/grants.js';

// oidc-provider prints its notices with console.info (stdout); stdout carries only READY.
console.info = (...args) => console.error(...args);
console.log = (...args) => console.error(...args);

// ---------------------------------------------------------------------------------------
// Configuration (environment)
// ---------------------------------------------------------------------------------------

function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got \`${raw}\``);
    process.exit(2);
  }
  return value;
}

function envPath(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!raw.startsWith('/') || raw.startsWith('/__')) {
    console.error(`${name} must be a path starting with / (and not /__), got \`${raw}\``);
    process.exit(2);
  }
  return raw;
}

const PORT = envInt('PORT', process.argv[2] !== undefined ? Number(process.argv[2]) : 0);
const ACCESS_TOKEN_TTL = envInt('ACCESS_TOKEN_TTL', 3600);
const REFRESH_TOKEN_TTL = envInt('REFRESH_TOKEN_TTL', 86400);
const AUTHORIZATION_CODE_TTL = envInt('AUTHORIZATION_CODE_TTL', 60);
const ROTATE_REFRESH_TOKENS = process.env.ROTATE_REFRESH_TOKENS || 'default';
if (!['default', 'always', 'never'].includes(ROTATE_REFRESH_TOKENS)) {
  console.error('ROTATE_REFRESH_TOKENS must be default, always or never');
  process.exit(2);
}
const ROUTES = {
  authorization: envPath('AUTHORIZATION_PATH', '/auth'),
  token: envPath('TOKEN_PATH', '/token'),
  revocation: envPath('REVOCATION_PATH', '/token/revocation'),
  introspection: envPath('INTROSPECTION_PATH', '/token/introspection'),
  jwks: envPath('JWKS_PATH', '/jwks'),
  userinfo: envPath('USERINFO_PATH', '/me'),
};
const LOG = process.env.INTEROP_LOG === '1';

// ---------------------------------------------------------------------------------------
// Fixed test data
// ---------------------------------------------------------------------------------------

export const SCOPES = ['openid', 'offline_access', 'api:read', 'api:write', 'catalog', 'PRINCIPAL_ROLE:ALL'];

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const ALL_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials', 'password', TOKEN_EXCHANGE];
const REDIRECT_URIS = ['http://127.0.0.1/callback', 'http://localhost/callback'];

const CLIENTS = [
  {
    client_id: 'interop-basic',
    client_secret: 'interop-basic-secret',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    client_id: 'interop-post',
    client_secret: 'interop-post-secret',
    token_endpoint_auth_method: 'client_secret_post',
  },
  {
    // Polaris' demo credentials (tests/reference/polaris.rs ROOT_CLIENT).
    client_id: 'root',
    client_secret: 's3cr3t',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    // A secret that only survives HTTP Basic when it is form-encoded first (RFC 6749 §2.3.1).
    client_id: 'interop-special',
    client_secret: 'p@ss w+rd:%&=',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    client_id: 'interop-public',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
  },
].map((client) => ({
  grant_types: ALL_GRANTS,
  response_types: ['code'],
  redirect_uris: REDIRECT_URIS,
  scope: SCOPES.join(' '),
  ...client,
}));

const USERS = {
  alice: { password: 'wonderland', email: 'alice@example.com' },
  bob: { password: 'builder', email: 'bob@example.com' },
};
const DEFAULT_USER = 'alice';

function account(accountId) {
  if (!Object.hasOwn(USERS, accountId)) return undefined;
  return {
    accountId,
    claims: async () => ({ sub: accountId, email: USERS[accountId].email }),
  };
}

// ---------------------------------------------------------------------------------------
// Test-only state: counters, recent requests, injected failures
// ---------------------------------------------------------------------------------------

function freshStats() {
  return {
    token_requests: { total: 0, by_grant_type: {}, by_status: {} },
    revocation_requests: { total: 0, by_status: {} },
    introspection_requests: { total: 0, by_status: {} },
    authorization_requests: 0,
    resource_requests: { total: 0, by_status: {} },
    injected_failures: 0,
    recent_requests: [],
  };
}
let stats = freshStats();
const RECENT_LIMIT = 100;
/** target → [{ status, retryAfter, dateFormat }], consumed front first. */
let failures = new Map();

function bump(map, key) {
  map[key] = (map[key] || 0) + 1;
}

// ---------------------------------------------------------------------------------------
// Start: bind first (PORT 0 picks a free port), then build the provider with that issuer
// ---------------------------------------------------------------------------------------

const server = http.createServer();
server.keepAliveTimeout = 5000;
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(PORT, '127.0.0.1', resolve);
});
const ISSUER = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'interop' };

function ttl(seconds) {
  return () => seconds;
}

const provider = new Provider(ISSUER, {
  clients: CLIENTS,
  clientDefaults: { id_token_signed_response_alg: 'RS256' },
  jwks: { keys: [signingKey] },
  cookies: { keys: ['interop-test-only-cookie-key'] },
  scopes: SCOPES,
  claims: { openid: ['sub'], email: ['email'] },
  routes: ROUTES,
  findAccount: async (_ctx, sub) => account(sub),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async () => true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    rpInitiatedLogout: { enabled: false },
  },
  interactions: {
    url: (_ctx, interaction) => `/__interaction/${interaction.uid}`,
  },
  pkce: {
    // Required for the public client; optional (but checked when sent) for the others.
    required: (_ctx, client) => client.clientAuthMethod === 'none',
  },
  // A refresh token whenever the client may use the refresh_token grant (no offline_access
  // / prompt=consent dance), not bound to the browser session.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  expiresWithSession: async () => false,
  // Keeps the `act` claim set by the token exchange grant (RFC 8693 §4.1) for introspection.
  extraTokenClaims: async (_ctx, token) => token.extra || undefined,
  // `default`: oidc-provider's own rule (public clients rotate; confidential ones once 70% of
  // the refresh token's lifetime has passed).
  ...(ROTATE_REFRESH_TOKENS === 'default' ? {} : { rotateRefreshToken: () => ROTATE_REFRESH_TOKENS === 'always' }),
  ttl: {
    AccessToken: ttl(ACCESS_TOKEN_TTL),
    ClientCredentials: ttl(ACCESS_TOKEN_TTL),
    AuthorizationCode: ttl(AUTHORIZATION_CODE_TTL),
    RefreshToken: ttl(REFRESH_TOKEN_TTL),
    IdToken: ttl(ACCESS_TOKEN_TTL),
    Grant: ttl(Math.max(REFRESH_TOKEN_TTL, ACCESS_TOKEN_TTL) + 3600),
    Interaction: ttl(600),
    Session: ttl(86400),
    DeviceCode: ttl(600),
    BackchannelAuthenticationRequest: ttl(600),
    PreAuthorizedCode: ttl(600),
  },
});
provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error:', err));
if (LOG) {
  // oidc-provider keeps the reason of an invalid_grant out of the response (error_detail).
  for (const event of ['grant.error', 'revocation.error', 'introspection.error', 'authorization.error']) {
    provider.on(event, (_ctx, err) => console.error(`${event}: ${err.error} (${err.error_detail || err.error_description})`));
  }
}

// ---------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------

const KNOWN_SCOPES = new Set(SCOPES);

function requestedScopes(ctx) {
  const raw = ctx.oidc.params.scope;
  if (raw === undefined || raw === '') return [];
  const scopes = [...new Set(raw.split(' ').filter(Boolean))];
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length) {
    throw new errors.InvalidScope('requested scope is not known to this server', unknown.join(' '));
  }
  return scopes;
}

// client_credentials: oidc-provider's own handler, after refusing unknown scopes (it
// silently grants any scope it does not know).
const boundHelpers = Object.fromEntries(
  Object.entries(grantHelpers).map(([name, helper]) => [name, helper.bind(undefined, provider)]),
);
provider.registerGrantType(
  'client_credentials',
  async (ctx) => {
    requestedScopes(ctx);
    return clientCredentialsGrant.handler(provider, boundHelpers, ctx);
  },
  clientCredentialsGrant.parameters,
);

function tokenResponse(ctx, token, value, extra = {}) {
  ctx.body = {
    access_token: value,
    expires_in: token.expiration,
    token_type: token.tokenType,
    scope: token.scope || undefined,
    ...extra,
  };
}

// Resource owner password credentials (RFC 6749 §4.3): oidc-provider has none built in.
provider.registerGrantType(
  'password',
  async (ctx) => {
    const { client } = ctx.oidc;
    const { username, password } = ctx.oidc.params;
    if (!username) throw new errors.InvalidRequest('missing required parameter \'username\'');
    if (password === undefined) throw new errors.InvalidRequest('missing required parameter \'password\'');
    if (!Object.hasOwn(USERS, username) || USERS[username].password !== password) {
      throw new errors.InvalidGrant('invalid resource owner credentials');
    }
    const scopes = requestedScopes(ctx);
    const scope = scopes.join(' ') || undefined;

    const grant = new provider.Grant({ accountId: username, clientId: client.clientId });
    if (scope) grant.addOIDCScope(scope);
    const grantId = await grant.save();

    const at = new provider.AccessToken({
      accountId: username, client, grantId, gty: 'password', scope, expiresWithSession: false,
    });
    const accessToken = await at.save();

    let refreshToken;
    if (client.grantTypeAllowed('refresh_token')) {
      const rt = new provider.RefreshToken({
        accountId: username, client, grantId, gty: 'password', scope, rotations: 0, expiresWithSession: false,
      });
      refreshToken = await rt.save();
    }
    tokenResponse(ctx, at, accessToken, { refresh_token: refreshToken });
  },
  ['username', 'password', 'scope'],
);

async function findIssuedAccessToken(value) {
  if (typeof value !== 'string' || value === '') return undefined;
  for (const model of [provider.AccessToken, provider.ClientCredentials]) {
    const token = await model.find(value);
    if (!token?.isValid) continue;
    if (token.grantId) {
      const grant = await provider.Grant.find(token.grantId);
      if (!grant || grant.clientId !== token.clientId || grant.accountId !== token.accountId) continue;
    }
    return token;
  }
  return undefined;
}

// RFC 8693 token exchange: a valid access token that this server issued (either kind) is
// exchanged for a new access token for the authenticated client.
provider.registerGrantType(
  TOKEN_EXCHANGE,
  async (ctx) => {
    const { client } = ctx.oidc;
    const {
      subject_token: subjectToken,
      subject_token_type: subjectTokenType,
      requested_token_type: requestedTokenType,
      actor_token: actorToken,
      actor_token_type: actorTokenType,
    } = ctx.oidc.params;
    if (!subjectToken) throw new errors.InvalidRequest('missing required parameter \'subject_token\'');
    if (!subjectTokenType) throw new errors.InvalidRequest('missing required parameter \'subject_token_type\'');
    if (subjectTokenType !== ACCESS_TOKEN_TYPE) {
      throw new errors.InvalidRequest(`unsupported subject_token_type (only ${ACCESS_TOKEN_TYPE})`);
    }
    if (requestedTokenType !== undefined && requestedTokenType !== ACCESS_TOKEN_TYPE) {
      throw new errors.InvalidTarget(`unsupported requested_token_type (only ${ACCESS_TOKEN_TYPE})`);
    }
    if (actorToken !== undefined && !actorTokenType) {
      throw new errors.InvalidRequest('actor_token_type is required with actor_token');
    }
    if (actorTokenType !== undefined && actorToken === undefined) {
      throw new errors.InvalidRequest('actor_token_type must not be sent without actor_token');
    }
    const subject = await findIssuedAccessToken(subjectToken);
    if (!subject) throw new errors.InvalidGrant('subject_token is not an active access token issued by this server');
    let actor;
    if (actorToken !== undefined) {
      if (actorTokenType !== ACCESS_TOKEN_TYPE) {
        throw new errors.InvalidRequest(`unsupported actor_token_type (only ${ACCESS_TOKEN_TYPE})`);
      }
      actor = await findIssuedAccessToken(actorToken);
      if (!actor) throw new errors.InvalidGrant('actor_token is not an active access token issued by this server');
    }

    const subjectScopes = (subject.scope || '').split(' ').filter(Boolean);
    let scopes = requestedScopes(ctx);
    if (scopes.length) {
      const wider = scopes.filter((s) => !subjectScopes.includes(s));
      if (wider.length) {
        throw new errors.InvalidScope('requested scope exceeds the subject token\'s scope', wider.join(' '));
      }
    } else {
      scopes = subjectScopes;
    }
    const scope = scopes.join(' ') || undefined;
    const extra = actor ? { act: { sub: actor.accountId || actor.clientId } } : undefined;

    let token;
    if (subject.accountId) {
      const grant = new provider.Grant({ accountId: subject.accountId, clientId: client.clientId });
      if (scope) grant.addOIDCScope(scope);
      const grantId = await grant.save();
      token = new provider.AccessToken({
        accountId: subject.accountId, client, grantId, gty: TOKEN_EXCHANGE, scope, expiresWithSession: false, extra,
      });
    } else {
      token = new provider.ClientCredentials({ client, scope, extra });
    }
    const value = await token.save();
    tokenResponse(ctx, token, value, { issued_token_type: ACCESS_TOKEN_TYPE });
  },
  ['subject_token', 'subject_token_type', 'requested_token_type', 'actor_token', 'actor_token_type', 'scope', 'audience', 'resource'],
);

// ---------------------------------------------------------------------------------------
// Test-only routes and request accounting (run before oidc-provider's own routes)
// ---------------------------------------------------------------------------------------

const BODY_LIMIT = 56 * 1024;

async function readRawBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new Error('request entity too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeAuthorization(header) {
  if (header === undefined) return { client_auth: 'none' };
  const [scheme, value = ''] = header.split(' ');
  if (scheme.toLowerCase() !== 'basic') return { client_auth: scheme.toLowerCase() };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return {
    client_auth: 'basic',
    // The id exactly as sent, before §2.3.1 form-decoding; the secret is never recorded.
    basic_user_raw: colon === -1 ? decoded : decoded.slice(0, colon),
  };
}

function sendJson(ctx, status, body, headers = {}) {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
  ctx.body = body;
}

function takeFailure(target) {
  const queue = failures.get(target);
  if (!queue?.length) return undefined;
  const failure = queue.shift();
  stats.injected_failures += 1;
  return failure;
}

function applyFailure(ctx, failure, kind) {
  const headers = {};
  if (failure.retryAfter !== undefined) {
    headers['Retry-After'] = failure.dateFormat
      ? new Date(Date.now() + failure.retryAfter * 1000).toUTCString()
      : String(failure.retryAfter);
  }
  let body;
  if (failure.status === 401) {
    if (kind === 'resource') {
      headers['WWW-Authenticate'] = 'Bearer realm="interop", error="invalid_token", error_description="injected failure"';
      body = { error: 'invalid_token', error_description: 'injected failure' };
    } else {
      headers['WWW-Authenticate'] = `Basic realm="${ISSUER}", error="invalid_client"`;
      body = { error: 'invalid_client', error_description: 'injected failure' };
    }
  } else if (failure.status === 503) {
    body = { error: 'temporarily_unavailable', error_description: 'injected failure' };
  } else if (failure.status === 429) {
    body = { error: 'too_many_requests', error_description: 'injected failure' };
  } else {
    body = { error: 'server_error', error_description: 'injected failure' };
  }
  sendJson(ctx, failure.status, body, headers);
}

const FAIL_TARGETS = new Set(['resource', 'token', 'revocation', 'introspection']);

async function handleFail(ctx) {
  if (ctx.method === 'DELETE') {
    failures = new Map();
    return sendJson(ctx, 200, { ok: true });
  }
  const q = ctx.query;
  const status = Number(q.status ?? 503);
  const times = Number(q.times ?? 1);
  const target = q.target ?? 'resource';
  const retryAfter = q.retry_after === undefined ? undefined : Number(q.retry_after);
  if (!Number.isInteger(status) || status < 400 || status > 599
    || !Number.isInteger(times) || times < 0 || times > 1000
    || !FAIL_TARGETS.has(target)
    || (retryAfter !== undefined && (!Number.isInteger(retryAfter) || retryAfter < 0))) {
    return sendJson(ctx, 400, {
      error: 'invalid_request',
      error_description: 'usage: POST /__fail?status=4xx|5xx&times=N&retry_after=SECONDS&retry_after_format=seconds|date&target=resource|token|revocation|introspection',
    });
  }
  const dateFormat = q.retry_after_format === 'date';
  const queue = failures.get(target) || [];
  for (let i = 0; i < times; i += 1) queue.push({ status, retryAfter, dateFormat });
  failures.set(target, queue);
  return sendJson(ctx, 200, { ok: true, target, pending: queue.length });
}

// Protected resource: any valid access token issued here (authorization code, password,
// refresh, client credentials, token exchange); looked up in the provider's own store.
async function handleResource(ctx) {
  stats.resource_requests.total += 1;
  const finish = () => bump(stats.resource_requests.by_status, String(ctx.status));
  const failure = takeFailure('resource');
  if (failure) {
    applyFailure(ctx, failure, 'resource');
    return finish();
  }
  const header = ctx.get('authorization');
  const match = /^Bearer +([^ ]+)$/i.exec(header || '');
  if (!match) {
    sendJson(ctx, 401, { error: 'invalid_request', error_description: 'no Bearer access token' }, {
      'WWW-Authenticate': 'Bearer realm="interop"',
    });
    return finish();
  }
  const token = await findIssuedAccessToken(match[1]);
  if (!token) {
    sendJson(ctx, 401, { error: 'invalid_token', error_description: 'access token is invalid, expired or revoked' }, {
      'WWW-Authenticate': 'Bearer realm="interop", error="invalid_token", error_description="access token is invalid, expired or revoked"',
    });
    return finish();
  }
  sendJson(ctx, 200, {
    ok: true,
    client_id: token.clientId,
    sub: token.accountId,
    scope: token.scope || undefined,
    kind: token.kind,
    exp: token.exp,
  });
  return finish();
}

// Auto login + auto consent: the interaction URL oidc-provider redirects the user agent to.
// Logs in `login_hint` when it names a known user, else alice, and grants what is asked.
async function handleInteraction(ctx) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session, grantId } = details;
  let result;
  if (prompt.name === 'login') {
    const hint = params.login_hint;
    result = { login: { accountId: hint && Object.hasOwn(USERS, hint) ? hint : DEFAULT_USER } };
  } else if (prompt.name === 'consent') {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    result = { consent: { grantId: await grant.save() } };
  } else {
    result = { error: 'access_denied', error_description: `unsupported prompt ${prompt.name}` };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.redirect(returnTo);
  ctx.status = 303;
}

// GET /__code?url=<authorization URL>: plays the browser. Follows the redirects from the
// authorization URL through the auto login/consent (keeping cookies) until one leaves this
// server, and answers with that redirect's parameters (code, state, iss, or error).
async function handleCode(ctx) {
  let url = ctx.query.url;
  if (typeof url !== 'string' || !url) {
    return sendJson(ctx, 400, { error: 'invalid_request', error_description: 'usage: GET /__code?url=<authorization URL>' });
  }
  const jar = new Map();
  for (let hop = 0; hop < 12; hop += 1) {
    let target;
    try {
      target = new URL(url, ISSUER);
    } catch {
      return sendJson(ctx, 400, { error: 'invalid_request', error_description: `not a URL: ${url}` });
    }
    if (target.origin !== ISSUER) {
      const params = Object.fromEntries(target.searchParams);
      if (target.hash.length > 1) Object.assign(params, Object.fromEntries(new URLSearchParams(target.hash.slice(1))));
      return sendJson(ctx, params.code ? 200 : 400, { location: target.href, ...params });
    }
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(target, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      const text = (await response.text()).slice(0, 2000);
      return sendJson(ctx, 400, {
        error: 'no_redirect',
        error_description: `authorization stopped at ${target.href} with status ${response.status}`,
        status: response.status,
        body: text,
      });
    }
    await response.arrayBuffer().catch(() => {});
    url = new URL(location, target).href;
  }
  return sendJson(ctx, 400, { error: 'too_many_redirects' });
}

function config() {
  const url = (path) => `${ISSUER}${path}`;
  return {
    issuer: ISSUER,
    token_endpoint: url(ROUTES.token),
    authorization_endpoint: url(ROUTES.authorization),
    revocation_endpoint: url(ROUTES.revocation),
    introspection_endpoint: url(ROUTES.introspection),
    userinfo_endpoint: url(ROUTES.userinfo),
    resource_endpoint: url('/__resource'),
    access_token_ttl: ACCESS_TOKEN_TTL,
    refresh_token_ttl: REFRESH_TOKEN_TTL,
    authorization_code_ttl: AUTHORIZATION_CODE_TTL,
    rotate_refresh_tokens: ROTATE_REFRESH_TOKENS,
    scopes: SCOPES,
    grant_types: ALL_GRANTS,
    clients: CLIENTS.map(({ client_id, client_secret, token_endpoint_auth_method, grant_types }) => ({
      client_id, client_secret, token_endpoint_auth_method, grant_types,
    })),
    users: Object.fromEntries(Object.entries(USERS).map(([u, { password }]) => [u, password])),
  };
}

const ENDPOINT_STATS = new Map([
  [ROUTES.token, 'token'],
  [ROUTES.revocation, 'revocation'],
  [ROUTES.introspection, 'introspection'],
]);

provider.use(async (ctx, next) => {
  if (LOG) console.error(`${ctx.method} ${ctx.url}`);
  const { path } = ctx;
  if (path.startsWith('/__')) {
    if (path === '/__stats' && ctx.method === 'GET') return sendJson(ctx, 200, stats);
    if (path === '/__reset' && ctx.method === 'POST') {
      stats = freshStats();
      failures = new Map();
      return sendJson(ctx, 200, { ok: true });
    }
    if (path === '/__fail' && (ctx.method === 'POST' || ctx.method === 'DELETE')) return handleFail(ctx);
    if (path === '/__resource') return handleResource(ctx);
    if (path === '/__config' && ctx.method === 'GET') return sendJson(ctx, 200, config());
    if (path === '/__code' && ctx.method === 'GET') return handleCode(ctx);
    if (path.startsWith('/__interaction/') && ctx.method === 'GET') return handleInteraction(ctx);
    return sendJson(ctx, 404, { error: 'not_found' });
  }

  if (path === ROUTES.authorization) stats.authorization_requests += 1;
  const endpoint = ctx.method === 'POST' ? ENDPOINT_STATS.get(path) : undefined;
  if (!endpoint) return next();

  // Token, revocation, introspection: count, and keep what the client sent (names of the
  // body parameters, how it authenticated, the content type; no secret values). The body is
  // read here and handed to oidc-provider as a string, which it parses as it would the stream.
  const entry = {
    endpoint,
    content_type: ctx.get('content-type') || undefined,
    ...describeAuthorization(ctx.headers.authorization),
  };
  if (ctx.is('application/x-www-form-urlencoded')) {
    let raw;
    try {
      raw = await readRawBody(ctx.req);
    } catch (err) {
      return sendJson(ctx, 413, { error: 'invalid_request', error_description: err.message });
    }
    ctx.req.body = raw;
    const form = new URLSearchParams(raw);
    entry.params = [...new Set(form.keys())];
    entry.grant_type = form.get('grant_type') ?? undefined;
    entry.client_id = form.get('client_id') ?? undefined;
    entry.scope = form.get('scope') ?? undefined;
    if (form.has('client_secret')) entry.client_auth = entry.client_auth === 'none' ? 'post' : `${entry.client_auth}+post`;
  }

  const bucket = stats[`${endpoint}_requests`];
  bucket.total += 1;
  if (endpoint === 'token') bump(bucket.by_grant_type, entry.grant_type ?? '(none)');
  stats.recent_requests.push(entry);
  if (stats.recent_requests.length > RECENT_LIMIT) stats.recent_requests.shift();

  const failure = takeFailure(endpoint);
  if (failure) {
    applyFailure(ctx, failure, endpoint);
  } else {
    await next();
  }
  entry.status = ctx.status;
  if (ctx.status >= 400 && ctx.body && typeof ctx.body === 'object') entry.error = ctx.body.error;
  bump(bucket.by_status, String(ctx.status));
  return undefined;
});

server.on('request', provider.callback());

// ---------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------

let stopping = false;
function stop(reason) {
  if (stopping) return;
  stopping = true;
  if (LOG) console.error(`stopping: ${reason}`);
  // A test server: in-flight requests do not matter, leave at once.
  server.close();
  server.closeAllConnections();
  setImmediate(() => process.exit(0));
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

// Stdin: watched when it is a pipe or socket (a test runner holding the other end), unless
// INTEROP_WATCH_STDIN says otherwise (1 = always, 0 = never).
function shouldWatchStdin() {
  const setting = process.env.INTEROP_WATCH_STDIN;
  if (setting === '0') return false;
  if (setting === '1') return true;
  try {
    const st = fs.fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}
if (shouldWatchStdin()) {
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('close', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
}

process.stdout.write(`READY ${ISSUER}\n`);
