import type { Migration } from '@copycloud/db';

/**
 * A document's title follows its first line ('derived', written by the
 * snapshots sidecar after a pause in editing) until someone renames it
 * ('manual'). title_derived_at is the documents.updated_at whose content the
 * derived title was read from, so each edit is read at most once for it.
 * Titles that existed before this column were set by people: 'manual'.
 */
/**
 * The auth service's tables. Run after the core migrations (they reference
 * `documents`): `runMigrations(db, [...coreMigrations, ...authMigrations])`.
 */
export const authMigrations: Migration[] = [
  {
    id: 'auth-0001-accounts-and-acl',
    sql: `
      CREATE TABLE IF NOT EXISTS users (
        id             text PRIMARY KEY,
        -- Lower-cased; null for guests until they upgrade.
        email          text UNIQUE,
        -- scrypt$N$r$p$salt$hash; null for guests.
        password_hash  text,
        name           text NOT NULL,
        color          text NOT NULL,
        guest          boolean NOT NULL DEFAULT false,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE IF NOT EXISTS share_links (
        id           text PRIMARY KEY,
        document_id  text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        -- sha256 of the link token: a database leak does not leak usable links.
        token_hash   text NOT NULL UNIQUE,
        role         text NOT NULL CHECK (role IN ('editor', 'commenter', 'viewer')),
        created_by   text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz,
        revoked_at   timestamptz
      );
      CREATE INDEX IF NOT EXISTS share_links_document_idx ON share_links (document_id);

      CREATE TABLE IF NOT EXISTS document_members (
        document_id  text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role         text NOT NULL CHECK (role IN ('owner', 'editor', 'commenter', 'viewer')),
        -- Set while the membership exists only through a share link: revoking
        -- the link removes it. Cleared when an owner sets the role explicitly.
        via_link_id  text REFERENCES share_links(id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_id, user_id)
      );
      CREATE INDEX IF NOT EXISTS document_members_user_idx ON document_members (user_id);

      CREATE TABLE IF NOT EXISTS auth_refresh_tokens (
        id          text PRIMARY KEY,
        user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        -- Every rotation stays in its family; reuse of a spent token revokes the family.
        family_id   text NOT NULL,
        token_hash  text NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        revoked_at  timestamptz
      );
      CREATE INDEX IF NOT EXISTS auth_refresh_tokens_user_idx ON auth_refresh_tokens (user_id);
      CREATE INDEX IF NOT EXISTS auth_refresh_tokens_family_idx ON auth_refresh_tokens (family_id);

      CREATE TABLE IF NOT EXISTS auth_signing_keys (
        kid          text PRIMARY KEY,
        alg          text NOT NULL,
        private_jwk  text NOT NULL,
        public_jwk   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        -- Set on rotation; the public key stays published until its tokens expired.
        retired_at   timestamptz
      );
    `,
  },
];
