import * as Y from 'yjs';
import type { beforeSyncPayload, Connection, Document, Extension, onChangePayload } from '@hocuspocus/server';
import { CloseCodes, SERVER_ONLY_ROOTS } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { validateUpdate } from '@copycloud/update-validation';
import type { Counter } from 'prom-client';
import { messageYjsSyncStep2 as SYNC_STEP_2, messageYjsUpdate as SYNC_UPDATE } from 'y-protocols/sync';
import { HeldUpdates, type HeldUpdate, type RetryOutcome } from './held-updates.js';

/**
 * Root types only server transactions write (COMMENT9): `comments` (through
 * the review API) and `restores` (restore marks). A client socket writing
 * either — a commenter forging a thread, anyone editing someone's comment —
 * is closed with 4422 like any refused update.
 */
export const PROTECTED_ROOTS: ReadonlySet<string> = new Set(SERVER_ONLY_ROOTS);

/** Thrown from a hook: Hocuspocus closes the connection with `code` and `reason`. */
class RefusedUpdate extends Error {
  readonly code = CloseCodes.BadUpdate.code;
  readonly reason = CloseCodes.BadUpdate.reason;
}

/** How long a client update may wait for what it builds on before its socket is closed. */
export const HOLD_TIMEOUT_MS = 5_000;

/**
 * Every update a client sends is checked against the document it targets
 * before it touches it (SAFE2): structure, clocks, references, and no write
 * to a server-only root (COMMENT9). An update that fails closes that
 * connection with 4422 and leaves the document as it was.
 *
 * An update that builds on something the document does not hold yet (an
 * honest client's edit racing its own sync step after a reconnect) is held
 * aside, never handed to Yjs as "pending" (which would integrate it later
 * unchecked): each change to the document offers it again, and one still
 * unresolved after HOLD_TIMEOUT_MS closes its socket with 4422.
 *
 * A valid update is applied here, inside a try: if Yjs still throws, the
 * connection is closed with 4422 too. Hocuspocus then applies the same bytes
 * again, which changes nothing but costs a second decode; `payload` is a view
 * into the frame Hocuspocus is about to read, so after applying (or holding)
 * we turn it into an empty update ([0, 0] = no structs, no deletions; Yjs
 * ignores what follows). If a Hocuspocus version copied the payload instead,
 * its apply would just be a harmless no-op. Read-only connections are
 * validated as well but never applied (Hocuspocus refuses their writes).
 */
export class UpdateValidationExtension implements Extension {
  readonly extensionName = 'copycloud-update-validation';
  /** Before every other beforeSync hook. */
  readonly priority = 2000;

  private readonly held = new HeldUpdates();
  private readonly expiry: NodeJS.Timeout;
  private retrying = false;

  constructor(
    private readonly logger: Logger,
    private readonly refused: Counter<'reason'>,
  ) {
    this.expiry = setInterval(() => {
      for (const late of this.held.expire(Date.now(), HOLD_TIMEOUT_MS)) {
        this.close(late.connection, late.connection.document.name, 'unresolved', 'what the update builds on never arrived');
      }
    }, 500);
    this.expiry.unref();
  }

  async beforeSync({ type, payload, document, documentName, connection }: beforeSyncPayload): Promise<void> {
    if (type !== SYNC_STEP_2 && type !== SYNC_UPDATE) return;
    const verdict = validateUpdate(payload, document, CLIENT_RULES);
    if (!verdict.ok && !verdict.missing) return this.refuse(connection, documentName, 'invalid', verdict.problem);
    if (connection.readOnly) return;
    if (verdict.ok) {
      try {
        Y.applyUpdate(document, payload, { source: 'connection', connection });
      } catch (error) {
        this.refuse(connection, documentName, 'apply-failed', (error as Error).message);
      }
    } else if (this.held.hold(document, payload, connection, Date.now())) {
      this.logger.debug({ documentName, problem: verdict.problem }, 'update held until what it builds on arrives');
    } else {
      this.refuse(connection, documentName, 'unresolved', `too many updates waiting: ${verdict.problem}`);
    }
    payload[0] = 0;
    payload[1] = 0;
  }

  /** Any change (a client's, a peer's over Redis, a restore) may resolve what is held. */
  async onChange({ document }: onChangePayload): Promise<void> {
    if (this.retrying || !this.held.has(document)) return;
    this.retrying = true;
    try {
      this.held.retry(document, (held) => this.retryOne(document, held));
    } finally {
      this.retrying = false;
    }
  }

  async beforeUnloadDocument({ document }: { document: Document }): Promise<void> {
    this.held.forget(document);
  }

  async onDestroy(): Promise<void> {
    clearInterval(this.expiry);
  }

  private retryOne(document: Document, held: HeldUpdate): RetryOutcome {
    // Gone: its client resends the update in its next sync step.
    if (!document.hasConnection(held.connection)) return 'dropped';
    const verdict = validateUpdate(held.update, document, CLIENT_RULES);
    if (!verdict.ok && verdict.missing) return 'still-missing';
    if (!verdict.ok) {
      this.close(held.connection, document.name, 'invalid', verdict.problem);
      return 'refused';
    }
    try {
      Y.applyUpdate(document, held.update, { source: 'connection', connection: held.connection });
      return 'applied';
    } catch (error) {
      this.close(held.connection, document.name, 'apply-failed', (error as Error).message);
      return 'refused';
    }
  }

  /**
   * Closes the whole socket (Hocuspocus alone would only detach this
   * document from it, leaving a hostile client connected), then throws so
   * Hocuspocus stops processing the message.
   */
  private refuse(connection: Connection, documentName: string, kind: RefusalKind, problem: string): never {
    this.close(connection, documentName, kind, problem);
    throw new RefusedUpdate(`update refused: ${problem}`);
  }

  private close(connection: Connection, documentName: string, kind: RefusalKind, problem: string): void {
    this.refused.inc({ reason: kind });
    this.logger.warn({ documentName, code: CloseCodes.BadUpdate.code, problem }, 'closing connection: update refused');
    connection.webSocket.close(CloseCodes.BadUpdate.code, CloseCodes.BadUpdate.reason);
  }
}

type RefusalKind = 'invalid' | 'apply-failed' | 'unresolved';

/** The rules for an update from one client's socket (see ValidationOptions). */
const CLIENT_RULES = { deletesMustBeKnown: true, protectedRoots: PROTECTED_ROOTS, holdUntilResolvable: true } as const;
