import type { SyncTokenSource } from './sync-token.js';

/** Refresh an access token this long before it expires. */
const ACCESS_TOKEN_REFRESH_MARGIN_MS = 60_000;
const REFRESH_TOKEN_KEY = 'copycloud:refresh-token';
/**
 * The last user this browser's session belonged to: who you are does not
 * change because the network is gone, so a reload while offline keeps your
 * name, colour and account (refreshed with the next renewal).
 */
const CACHED_USER_KEY = 'copycloud:session-user';

export interface SessionUser {
  id: string;
  name: string;
  color: string;
  guest: boolean;
  email: string | null;
}

interface SessionResponse {
  user: SessionUser;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

export class AuthRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The API's `error` code (`invalid_credentials`, `email_taken`, …) when it sent one. */
    readonly code: string = 'request_failed',
  ) {
    super(message);
  }
}

export interface Credentials {
  email: string;
  password: string;
  /** Display name for a new account (sign up, upgrade); the API defaults it from the email. */
  name?: string;
}

/**
 * The signed-in user of this browser: a refresh token in localStorage, the
 * access token in memory, renewed before it expires. With no session yet,
 * the user continues as a guest (`POST /api/auth/guest`).
 */
export class AuthSession {
  private access: { token: string; expiresAt: number; user: SessionUser } | undefined;
  private pending: Promise<void> | undefined;
  private cachedUser: SessionUser | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** The user of the current session: known from the last renewal, or cached from an earlier one while offline. */
  get user(): SessionUser | undefined {
    if (this.access) return this.access.user;
    if (this.storage.getItem(REFRESH_TOKEN_KEY) === null) return undefined;
    this.cachedUser ??= parseCachedUser(this.storage.getItem(CACHED_USER_KEY));
    return this.cachedUser;
  }

  /** True once this browser has a session (guest or account), even before its access token is renewed. */
  get hasSession(): boolean {
    return this.access !== undefined || this.storage.getItem(REFRESH_TOKEN_KEY) !== null;
  }

  /** Called whenever the user changes (sign in, sign up, upgrade, sign out, first renewal). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signUp(credentials: Credentials): Promise<SessionUser> {
    return this.startSession('/api/auth/signup', credentials);
  }

  async logIn(credentials: Pick<Credentials, 'email' | 'password'>): Promise<SessionUser> {
    return this.startSession('/api/auth/login', { email: credentials.email, password: credentials.password });
  }

  /** A guest becomes a full account with the same id, keeping its documents. */
  async upgrade(credentials: Credentials): Promise<SessionUser> {
    this.adopt(await this.call<SessionResponse>('POST', '/api/auth/upgrade', withoutEmptyName(credentials)));
    return this.access!.user;
  }

  /** Ends this browser's session (the refresh token is revoked); the next call starts a fresh guest. */
  async logOut(): Promise<void> {
    const refreshToken = this.storage.getItem(REFRESH_TOKEN_KEY);
    this.storage.removeItem(REFRESH_TOKEN_KEY);
    this.forgetCachedUser();
    this.access = undefined;
    this.notify();
    if (refreshToken) {
      await this.fetchFn('/api/auth/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      }).catch((error: unknown) => console.warn('logging out on the server failed; the token expires on its own', error));
    }
  }

  /** A valid access token, signing in as a guest or refreshing when needed. */
  async accessToken(): Promise<string> {
    if (!this.access || this.access.expiresAt - Date.now() < ACCESS_TOKEN_REFRESH_MARGIN_MS) {
      this.pending ??= this.renew().finally(() => {
        this.pending = undefined;
      });
      await this.pending;
    }
    return this.access!.token;
  }

  async createDocument(title = ''): Promise<string> {
    const body = await this.call<{ document: { id: string } }>('POST', '/api/docs', { title });
    return body.document.id;
  }

  /** A document token for the sync node (fetched on every (re)connect, so it is always fresh). */
  readonly documentToken: SyncTokenSource = async (documentId) => {
    const body = await this.call<{ token: string }>('POST', `/api/docs/${encodeURIComponent(documentId)}/token`);
    return body.token;
  };

  async acceptInvite(token: string): Promise<{ documentId: string; role: string }> {
    return this.call('POST', `/api/invites/${encodeURIComponent(token)}/accept`);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetchFn(path, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const json = (await response.json().catch(() => ({}))) as T & { message?: string; error?: string };
    if (!response.ok) throw new AuthRequestError(response.status, json.message ?? `${method} ${path} answered ${response.status}`, json.error);
    return json;
  }

  /** Sign up / log in: no access token needed; the new session replaces the current one. */
  private async startSession(path: string, body: Credentials): Promise<SessionUser> {
    const response = await this.fetchFn(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(withoutEmptyName(body)),
    });
    const json = (await response.json().catch(() => ({}))) as Partial<SessionResponse> & { message?: string; error?: string };
    if (!response.ok) throw new AuthRequestError(response.status, json.message ?? `${path} answered ${response.status}`, json.error);
    this.adopt(json as SessionResponse);
    return this.access!.user;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private async renew(): Promise<void> {
    const refreshToken = this.storage.getItem(REFRESH_TOKEN_KEY);
    if (refreshToken) {
      const response = await this.fetchFn('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (response.ok) return this.adopt((await response.json()) as SessionResponse);
      this.storage.removeItem(REFRESH_TOKEN_KEY);
      this.forgetCachedUser();
    }
    const response = await this.fetchFn('/api/auth/guest', { method: 'POST' });
    if (!response.ok) throw new AuthRequestError(response.status, `could not start a guest session (${response.status})`);
    this.adopt((await response.json()) as SessionResponse);
  }

  private adopt(session: SessionResponse): void {
    const before = this.user;
    this.storage.setItem(REFRESH_TOKEN_KEY, session.refreshToken);
    this.storage.setItem(CACHED_USER_KEY, JSON.stringify(session.user));
    this.cachedUser = session.user;
    const changed = JSON.stringify(before) !== JSON.stringify(session.user);
    this.access = { token: session.accessToken, expiresAt: Date.now() + session.expiresIn * 1000, user: session.user };
    if (changed) this.notify();
  }

  private forgetCachedUser(): void {
    this.storage.removeItem(CACHED_USER_KEY);
    this.cachedUser = undefined;
  }
}

function parseCachedUser(text: string | null): SessionUser | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SessionUser> | null;
    if (!value || typeof value.id !== 'string' || typeof value.name !== 'string' || typeof value.color !== 'string') return undefined;
    return { id: value.id, name: value.name, color: value.color, guest: value.guest === true, email: typeof value.email === 'string' ? value.email : null };
  } catch {
    return undefined; // unreadable: the next renewal writes it again
  }
}

function withoutEmptyName(credentials: Credentials): Credentials {
  const name = credentials.name?.trim();
  return name ? { email: credentials.email, password: credentials.password, name } : { email: credentials.email, password: credentials.password };
}

/**
 * The sync token for a document: a real document token when the auth API
 * grants one; otherwise the guest placeholder, which only a node running with
 * AUTH_DISABLED=true accepts (an auth-enforcing node refuses it clearly).
 */
export function documentTokenOrGuest(session: AuthSession, fallback: SyncTokenSource): SyncTokenSource {
  return async (documentId) => {
    try {
      return await session.documentToken(documentId);
    } catch {
      return fallback(documentId);
    }
  };
}
