import { CLOCK_TOLERANCE_SECONDS, MAX_TOKEN_TTL_SECONDS, ROLES, type AccessEvent, type Role } from '@copycloud/auth-client';

/** Any override is moot once every token issued before it has expired. */
const OVERRIDE_LIFETIME_MS = (MAX_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000;
const ALL_USERS = '*';

interface Override {
  /** null = no access. */
  role: Role | null;
  /** Seconds since the epoch: tokens issued at or before this are capped by `role`. */
  atSeconds: number;
  expiresAtMs: number;
}

/**
 * What the node learned from pushed access events, applied to tokens issued
 * before the event: a removed member's still-valid token is refused on the
 * next connect, a demoted editor's old token only grants the new role. No
 * database round trip; entries expire with the last token they could affect.
 */
export class AccessOverrides {
  private readonly overrides = new Map<string, Override>();

  constructor(private readonly now: () => number = Date.now) {}

  apply(event: AccessEvent): void {
    this.prune();
    const atSeconds = Math.floor(event.at / 1000);
    const entry = { atSeconds, expiresAtMs: this.now() + OVERRIDE_LIFETIME_MS };
    switch (event.type) {
      case 'access-changed':
        this.overrides.set(key(event.documentId, event.userId), { ...entry, role: event.role });
        return;
      case 'document-deleted':
        this.overrides.set(key(event.documentId, ALL_USERS), { ...entry, role: null });
        return;
      case 'document-renamed':
        return; // changes nobody's access
      default: {
        const unreachable: never = event;
        throw new Error(`unknown access event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** The role a token (issued at `issuedAt` seconds, granting `role`) still grants; null = none. */
  effectiveRole(documentId: string, userId: string, role: Role, issuedAt: number): Role | null {
    let effective: Role | null = role;
    for (const k of [key(documentId, ALL_USERS), key(documentId, userId)]) {
      const o = this.overrides.get(k);
      if (!o || o.expiresAtMs < this.now() || issuedAt > o.atSeconds) continue;
      effective = o.role === null || effective === null ? null : weaker(effective, o.role);
    }
    return effective;
  }

  get size(): number {
    return this.overrides.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, o] of this.overrides) if (o.expiresAtMs < now) this.overrides.delete(k);
  }
}

function key(documentId: string, userId: string): string {
  return `${documentId}\u0000${userId}`;
}

function weaker(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}
