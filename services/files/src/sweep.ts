import * as Y from 'yjs';
import { Counter, type Registry } from 'prom-client';
import { DocumentStore, asBytes, type Database } from '@copycloud/db';
import { initLabelSets, type Logger } from '@copycloud/observability';
import { parseAppFileUrl } from '@copycloud/protocol';
import { parseFileKey, type FileStorage, type StoredObject } from './storage.js';

/** Which files a document still shows, now or in any stored version. */
export interface DocumentReferences {
  /**
   * The file ids of the document's own files that its current state (state
   * and update log) or any of its versions shows; null when the document no
   * longer exists (deleted: its versions went with it).
   */
  referencedFiles(documentId: string): Promise<Set<string> | null>;
}

/** Versions read per query: each is a whole Yjs state, so not all at once. */
const VERSIONS_PER_QUERY = 20;

/** The file ids of `documentId` named by any attribute of any element of a Yjs state (images, at any depth: lists, tables, quotes). */
export function fileIdsInState(state: Uint8Array, documentId: string, into: Set<string> = new Set()): Set<string> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    // Every root, not only the editor's fragment: a reference anywhere keeps the file.
    for (const name of doc.share.keys()) walk(doc.getXmlFragment(name), documentId, into);
  } finally {
    doc.destroy();
  }
  return into;
}

function walk(node: Y.XmlFragment | Y.XmlElement, documentId: string, into: Set<string>): void {
  if (node instanceof Y.XmlElement) {
    for (const value of Object.values(node.getAttributes())) {
      const parsed = parseAppFileUrl(value);
      if (parsed && parsed.documentId === documentId) into.add(parsed.fileId);
    }
  }
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlElement) walk(child, documentId, into);
  }
}

/**
 * References read from Postgres: the document's merged state (compacted state
 * plus update log, one snapshot) and every row of `document_versions` (the
 * snapshots service's table; absent when snapshots never ran on this
 * database, which then holds no versions).
 */
export class PostgresDocumentReferences implements DocumentReferences {
  private readonly store: DocumentStore;
  constructor(private readonly db: Database) {
    this.store = new DocumentStore(db);
  }

  async referencedFiles(documentId: string): Promise<Set<string> | null> {
    const state = await this.store.loadMerged(documentId);
    if (state === null && !(await this.store.exists(documentId))) return null;
    const ids = new Set<string>();
    if (state) fileIdsInState(state, documentId, ids);
    const { rows } = await this.db.query<{ exists: boolean }>("SELECT to_regclass('document_versions') IS NOT NULL AS exists");
    if (!rows[0]?.exists) return ids;
    let after = '0';
    for (;;) {
      const page = await this.db.query<{ id: string | number; state: unknown }>(
        'SELECT id, state FROM document_versions WHERE document_id = $1 AND id > $2 ORDER BY id LIMIT $3',
        [documentId, after, VERSIONS_PER_QUERY],
      );
      for (const row of page.rows) fileIdsInState(asBytes(row.state), documentId, ids);
      if (page.rows.length < VERSIONS_PER_QUERY) return ids;
      after = String(page.rows.at(-1)!.id);
    }
  }
}

export interface SweepResult {
  /** Files older than the grace period that were checked. */
  checked: number;
  deleted: number;
  /** Documents whose references could not be read: their files were all kept. */
  failedDocuments: number;
}

export interface FileSweepOptions {
  storage: FileStorage;
  references: DocumentReferences;
  logger: Logger;
  /** A file younger than this is never deleted: its image may not have reached the document yet (upload, then insert). */
  graceMs: number;
  registry?: Registry;
  now?: () => number;
}

/**
 * Deletes files that neither their document's current state nor any of its
 * versions shows, once they are older than the grace period, and every file
 * of a deleted document. Files are listed first, references read after, so a
 * file uploaded during a sweep is not seen by it. Deletes are idempotent:
 * replicas sweeping at once only repeat work. A document whose references
 * cannot be read keeps all its files.
 */
export class FileSweep {
  private readonly deletedTotal?: Counter;
  private readonly runsTotal?: Counter<'result'>;

  constructor(private readonly options: FileSweepOptions) {
    if (options.registry) {
      this.deletedTotal = new Counter({ name: 'copycloud_files_sweep_deleted_total', help: 'Files deleted because nothing references them any more', registers: [options.registry] });
      this.runsTotal = new Counter({ name: 'copycloud_files_sweep_runs_total', help: 'Sweeps of unreferenced files, by result', labelNames: ['result'], registers: [options.registry] });
      initLabelSets(this.runsTotal, [{ result: 'ok' }, { result: 'failed' }]);
    }
  }

  async sweepOnce(): Promise<SweepResult> {
    const { storage, references, logger, graceMs } = this.options;
    const now = (this.options.now ?? Date.now)();
    const result: SweepResult = { checked: 0, deleted: 0, failedDocuments: 0 };
    try {
      const byDocument = new Map<string, StoredObject[]>();
      for await (const object of storage.list()) {
        const parsed = parseFileKey(object.key);
        if (!parsed || now - object.lastModified.getTime() < graceMs) continue;
        byDocument.set(parsed.documentId, [...(byDocument.get(parsed.documentId) ?? []), object]);
        result.checked++;
      }
      for (const [documentId, objects] of byDocument) {
        let referenced: Set<string> | null;
        try {
          referenced = await references.referencedFiles(documentId);
        } catch (error) {
          result.failedDocuments++;
          logger.error({ err: error, documentName: documentId }, 'file sweep: could not read what the document references; its files are kept');
          continue;
        }
        for (const object of objects) {
          const { fileId } = parseFileKey(object.key)!;
          if (referenced?.has(fileId)) continue;
          await storage.delete(object.key);
          result.deleted++;
          this.deletedTotal?.inc();
          logger.info({ documentName: documentId, fileId, documentDeleted: referenced === null }, 'file sweep: deleted an unreferenced file');
        }
      }
      this.runsTotal?.inc({ result: result.failedDocuments > 0 ? 'failed' : 'ok' });
      return result;
    } catch (error) {
      this.runsTotal?.inc({ result: 'failed' });
      throw error;
    }
  }
}

export interface SweepLoop {
  /** Stops scheduling and waits for a sweep in progress. Idempotent. */
  stop(): Promise<void>;
}

/** Runs `sweep` every `intervalMs` (the first after one interval); a failed sweep is logged and the next one runs as planned. */
export function startSweepLoop(sweep: FileSweep, options: { intervalMs: number; logger: Logger }): SweepLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweep
        .sweepOnce()
        .then(
          (result) => options.logger.debug({ ...result }, 'file sweep done'),
          (error: unknown) => options.logger.error({ err: error }, 'file sweep failed; retried at the next interval'),
        )
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
