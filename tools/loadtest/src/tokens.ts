/** One document to edit and the token its clients present. */
export interface LoadTestDocument {
  name: string;
  token: string;
}

export class AuthFlowError extends Error {
  readonly code = 'auth_flow_failed';
}

const AUTH_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Documents named `${prefix}-${i}` sharing one token (`--token`, or a
 * placeholder that nodes with AUTH_DISABLED=true accept).
 */
export function staticDocuments(prefix: string, count: number, token: string | undefined): LoadTestDocument[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i}`, token: token ?? 'loadtest' }));
}

/**
 * Through the auth sidecar (DESIGN.md): a guest account (`POST /api/auth/guest`)
 * creates each document (`POST /api/docs`, caller becomes owner) and mints its
 * document token (`POST /api/docs/:id/token`), which sync nodes verify.
 */
export async function documentsFromAuth(authUrl: string, count: number): Promise<LoadTestDocument[]> {
  const base = authUrl.replace(/\/+$/, '');
  const guest = await postJson(`${base}/api/auth/guest`, undefined, {});
  const accessToken = stringField(guest, ['token', 'accessToken'], 'POST /api/auth/guest');
  const documents: LoadTestDocument[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = await postJson(`${base}/api/docs`, accessToken, { title: `loadtest ${i}` });
    const id = stringField(created, ['id', 'documentId'], 'POST /api/docs');
    const minted = await postJson(`${base}/api/docs/${encodeURIComponent(id)}/token`, accessToken, {});
    documents.push({ name: id, token: stringField(minted, ['token'], `POST /api/docs/${id}/token`) });
  }
  return documents;
}

async function postJson(url: string, bearer: string | undefined, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(AUTH_REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new AuthFlowError(`${new URL(url).pathname}: expected 2xx, got ${response.status}`);
  return response.json();
}

function stringField(value: unknown, names: string[], what: string): string {
  if (value && typeof value === 'object') {
    for (const name of names) {
      const field = (value as Record<string, unknown>)[name];
      if (typeof field === 'string' && field) return field;
    }
  }
  throw new AuthFlowError(`${what}: expected a JSON object with ${names.join(' or ')}`);
}
