// GraphQL over HTTP: queries go out as automatic persisted queries (a GET
// with the query's SHA-256, the full text only when the hub does not know
// it yet), uploads as GraphQL multipart requests.

/** An error returned by the hub, with its extensions.code. */
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
    this.code = errors[0]?.extensions?.code ?? 'INTERNAL';
  }
}

const tokenKey = 'countyhub.token';

/** The token this browser keeps for the hub, or ''. */
export function token() {
  return localStorage.getItem(tokenKey) ?? '';
}

/** Keeps a token in this browser; '' forgets it. */
export function setToken(value) {
  if (value) localStorage.setItem(tokenKey, value);
  else localStorage.removeItem(tokenKey);
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  if (token()) h.Authorization = `Bearer ${token()}`;
  return h;
}

/** Downloads a file of the hub with the token, under the name it gives. */
export async function download(href) {
  const res = await fetch(href, { headers: headers({ Accept: '*/*' }) });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new GraphQLError(body?.errors ?? [{ message: `HTTP ${res.status}` }]);
  }
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)/i.exec(res.headers.get('Content-Disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : href.split('/').pop().split('?')[0];
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function parse(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    throw new GraphQLError([{ message: `HTTP ${res.status}`, extensions: { code: 'UNAVAILABLE' } }]);
  }
  if (body.errors?.length) throw new GraphQLError(body.errors);
  return body.data;
}

const hashes = new Map();

async function sha256(text) {
  if (!globalThis.crypto?.subtle) return null; // not a secure context: send the text
  if (!hashes.has(text)) {
    const buf = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    hashes.set(text, [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join(''));
  }
  return hashes.get(text);
}

/** Runs a query (read-only) and returns its data. */
export async function query(text, variables = {}) {
  const hash = await sha256(text);
  if (hash) {
    const ext = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
    const url = `/graphql?variables=${encodeURIComponent(JSON.stringify(variables))}&extensions=${encodeURIComponent(ext)}`;
    const res = await fetch(url, { headers: headers() });
    const body = await res.clone().json().catch(() => null);
    const notFound = body?.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND');
    if (!notFound) return parse(res);
    return post({ query: text, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
  }
  return post({ query: text, variables });
}

/** Runs a mutation and returns its data. */
export function mutate(text, variables = {}) {
  return post({ query: text, variables });
}

async function post(body) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  return parse(res);
}

/** Runs a mutation with one file in the variable named fileVar. */
export async function upload(text, variables, fileVar, file) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: text, variables: { ...variables, [fileVar]: null } }));
  form.append('map', JSON.stringify({ 0: [`variables.${fileVar}`] }));
  form.append('0', file, file.name);
  const res = await fetch('/graphql', { method: 'POST', headers: headers(), body: form });
  return parse(res);
}
