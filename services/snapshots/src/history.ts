import type { JSONContent } from '@copycloud/schema';
import { CorruptDocumentError, type DocumentStore } from '@copycloud/db';
import * as Y from 'yjs';
import type { ListedCommentThread } from '@copycloud/protocol';
import { exportContent, jsonToYState, listThreads, yStateToJSON, type ExportFormat } from '@copycloud/schema';
import { SnapshotsError } from './errors.js';
import type { RestoreDelivery } from './live-delivery.js';
import type { SnapshotsMetrics } from './metrics.js';
import { VERSION_NAME_MAX_CHARS, type Version, type VersionAuthor, type VersionStore, type VersionSummary } from './version-store.js';

/**
 * The version-history operations behind the HTTP routes: each checks that the
 * document (and version) exist and belong together, so a version id of
 * another document is "not found", never a leak.
 */
export class History {
  constructor(
    private readonly deps: {
      store: DocumentStore;
      versions: VersionStore;
      delivery: RestoreDelivery;
      metrics: SnapshotsMetrics;
    },
  ) {}

  async list(documentId: string): Promise<VersionSummary[]> {
    await this.requireDocument(documentId);
    return this.deps.versions.list(documentId);
  }

  async createNamed(documentId: string, name: string, author: VersionAuthor): Promise<VersionSummary> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > VERSION_NAME_MAX_CHARS) {
      throw new SnapshotsError('invalid_request', `name must be 1-${VERSION_NAME_MAX_CHARS} characters`, 400);
    }
    const state = await this.currentState(documentId);
    const version = await this.deps.versions.create({ documentId, kind: 'named', name: trimmed, author, state });
    this.deps.metrics.versionsCreated.inc({ kind: 'named' });
    return version;
  }

  async get(documentId: string, versionId: string): Promise<{ version: VersionSummary; content: JSONContent }> {
    await this.requireDocument(documentId);
    const version = await this.requireVersion(documentId, versionId);
    const { state, ...summary } = version;
    return { version: summary, content: this.decode(documentId, state) };
  }

  async exportVersion(documentId: string, versionId: string, format: ExportFormat) {
    const { content } = await this.get(documentId, versionId);
    return exportContent(content, format);
  }

  async exportCurrent(documentId: string, format: ExportFormat) {
    return exportContent(await this.currentContent(documentId), format);
  }

  /** The document's comment threads (root map `comments`) with where each is now, for export. */
  async currentThreads(documentId: string): Promise<ListedCommentThread[]> {
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, await this.currentState(documentId));
      return listThreads(doc);
    } finally {
      doc.destroy();
    }
  }

  /** The document's current content as ProseMirror JSON (404 unknown, 500 corrupt). */
  async currentContent(documentId: string): Promise<JSONContent> {
    const state = await this.currentState(documentId);
    return this.decode(documentId, state);
  }

  /**
   * Restores a version as a new forward change delivered live to every
   * collaborator, then records the result as a `restore` version (who and when).
   */
  async restore(documentId: string, versionId: string, author: VersionAuthor): Promise<VersionSummary> {
    await this.requireDocument(documentId);
    const source = await this.requireVersion(documentId, versionId);
    const content = this.decode(documentId, source.state);
    // The mark travels in the same update: editors end their undo history there (a restore is not undoable keystroke by keystroke).
    await this.deps.delivery.applyContent(documentId, content, { versionId, at: new Date().toISOString() });
    this.deps.metrics.restores.inc();
    const label = source.name ?? `${source.kind} version of ${source.createdAt}`;
    const version = await this.deps.versions.create({
      documentId,
      kind: 'restore',
      name: `Restored: ${label}`.slice(0, VERSION_NAME_MAX_CHARS),
      author,
      // The restored content itself: what every replica converges to absent other edits.
      state: jsonToYState(content),
    });
    this.deps.metrics.versionsCreated.inc({ kind: 'restore' });
    return version;
  }

  private async requireDocument(documentId: string): Promise<void> {
    if (!(await this.deps.store.exists(documentId))) {
      throw new SnapshotsError('document_not_found', `document ${documentId} not found`, 404);
    }
  }

  private async requireVersion(documentId: string, versionId: string): Promise<Version> {
    const version = await this.deps.versions.get(documentId, versionId);
    if (!version) throw new SnapshotsError('version_not_found', `version ${versionId} of document ${documentId} not found`, 404);
    return version;
  }

  private async currentState(documentId: string): Promise<Uint8Array> {
    let state: Uint8Array | null;
    try {
      state = await this.deps.store.loadMerged(documentId);
    } catch (error) {
      if (error instanceof CorruptDocumentError) {
        throw new SnapshotsError('document_corrupt', error.message, 500, { cause: error });
      }
      throw error;
    }
    if (state === null) throw new SnapshotsError('document_not_found', `document ${documentId} not found`, 404);
    return state;
  }

  private decode(documentId: string, state: Uint8Array): JSONContent {
    try {
      return yStateToJSON(state);
    } catch (error) {
      throw new SnapshotsError('document_corrupt', `document ${documentId}: stored content does not decode`, 500, { cause: error });
    }
  }
}
