import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Migration } from './migrations.js';

/**
 * A new embedded database used to pay PGlite's initdb plus every migration on
 * its first start (~10 CPU-seconds; on a busy machine tens of seconds before
 * `npm start` or an e2e server listened). Instead, the first start on this
 * install builds a migrated data directory once — the template — and every
 * new database starts as a copy of it (a file copy, well under a second).
 *
 * A template is keyed by everything that decides its contents: the PGlite
 * version (its on-disk format and initdb) and a hash of the migrations (ids
 * and SQL, in order). A changed migration is a new key, so a new template;
 * two schemas never share one.
 */

/** Bumped when the way a template is made changes (not the schema: that is in the hash). */
const TEMPLATE_FORMAT = 1;
/** Written last, after a clean shutdown: a directory without it is not a template. */
const COMPLETE_MARKER = 'copycloud-template-complete';
/** What PGlite looks for to resume an existing database instead of running initdb. */
const PG_VERSION_FILE = 'PG_VERSION';

/**
 * The node_modules holding PGlite: its templates belong to this install.
 * Resolved on first use, so importing this package never depends on it.
 */
function nodeModulesDir(): string {
  const pgliteEntry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  return pgliteEntry.slice(0, pgliteEntry.lastIndexOf('/node_modules/') + '/node_modules'.length);
}

function defaultTemplateCacheDir(): string {
  return join(nodeModulesDir(), '.cache', 'copycloud', 'pglite-templates');
}

function pgliteVersion(): string {
  const manifest = JSON.parse(readFileSync(join(nodeModulesDir(), '@electric-sql', 'pglite', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** The template's name: PGlite version + a hash of the migrations (order, ids and SQL). */
export function pgliteTemplateKey(migrations: readonly Migration[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ format: TEMPLATE_FORMAT, migrations: migrations.map((m) => [m.id, m.sql]) }))
    .digest('hex')
    .slice(0, 16);
  return `pglite-${pgliteVersion()}-${hash}`;
}

export interface PgliteTemplateOptions {
  migrations: readonly Migration[];
  /** Where templates are kept; default `node_modules/.cache/copycloud/pglite-templates`. */
  cacheDir?: string | undefined;
  /**
   * Creates a database in `dir`, applies `migrations` and shuts it down
   * cleanly (a copy must not need crash recovery). Given by the opener, which
   * knows how to open PGlite.
   */
  build: (dir: string, migrations: readonly Migration[]) => Promise<void>;
}

/**
 * The directory of a migrated database for these migrations, built if this
 * install has none yet. Built beside its final place and renamed into it, so
 * a reader never sees half a template; processes racing to build it each
 * build one and the first rename wins.
 */
export async function ensurePgliteTemplate(options: PgliteTemplateOptions): Promise<string> {
  const cacheDir = options.cacheDir ?? defaultTemplateCacheDir();
  const dir = join(cacheDir, pgliteTemplateKey(options.migrations));
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;

  await mkdir(cacheDir, { recursive: true });
  const building = `${dir}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await options.build(building, options.migrations);
    await writeFile(join(building, COMPLETE_MARKER), `${pgliteTemplateKey(options.migrations)}\n`);
    try {
      await rename(building, dir);
    } catch (error) {
      // Another process renamed its template first (the target exists and is not empty): use that one.
      if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
      // A directory there without the marker was never a template (made by hand, or its marker removed).
      if (!existsSync(dir)) throw error;
      await rm(dir, { recursive: true, force: true });
      await rename(building, dir);
    }
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return dir;
}

/** True when PGlite would have to run initdb in `dataDir` (no database there yet). */
export function isNewPgliteDataDir(dataDir: string): boolean {
  return !existsSync(join(dataDir, PG_VERSION_FILE));
}

/**
 * Makes `dataDir` (absent or without a database) a copy of `template`. PGlite then finds a database there and resumes it, with
 * every migration already recorded in schema_migrations (their applied_at is
 * the template's build time).
 */
export function copyPgliteTemplate(template: string, dataDir: string): void {
  // cpSync: Node copies the tree natively (cheapest in measurements; a start has nothing else to run meanwhile).
  cpSync(template, dataDir, { recursive: true });
  rmSync(join(dataDir, COMPLETE_MARKER));
}
