import * as Y from 'yjs';
import type { beforeSyncPayload, Connection, Extension } from '@hocuspocus/server';
import { CloseCodes, SERVER_ONLY_ROOTS } from '@copycloud/protocol';
import type { Logger } from '@copycloud/observability';
import { validateUpdate } from '@copycloud/update-validation';
import type { Counter } from 'prom-client';

const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

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

/**
 * Every update a client sends is checked against the document it targets
 * before it touches it (SAFE2): structure, clocks, references, and no write
 * to a server-only root (COMMENT9). An update that
 * fails closes that connection with 4422 and leaves the document as it was.
 *
 * A valid update is applied here, inside a try: if Yjs still throws, the
 * connection is closed with 4422 too. Hocuspocus then applies the same bytes
 * again, which changes nothing but costs a second decode; `payload` is a view
 * into the frame Hocuspocus is about to read, so after applying we turn it
 * into an empty update ([0, 0] = no structs, no deletions; Yjs ignores what
 * follows). If a Hocuspocus version copied the payload instead, its apply
 * would just be the harmless no-op again. Read-only connections are
 * validated as well but never applied (Hocuspocus refuses their writes).
 */
export class UpdateValidationExtension implements Extension {
  readonly extensionName = 'copycloud-update-validation';
  /** Before every other beforeSync hook. */
  readonly priority = 2000;

  constructor(
    private readonly logger: Logger,
    private readonly refused: Counter<'reason'>,
  ) {}

  async beforeSync({ type, payload, document, documentName, connection }: beforeSyncPayload): Promise<void> {
    if (type !== SYNC_STEP_2 && type !== SYNC_UPDATE) return;
    const verdict = validateUpdate(payload, document, { deletesMustBeKnown: true, protectedRoots: PROTECTED_ROOTS });
    if (!verdict.ok) return this.refuse(connection, documentName, 'invalid', verdict.problem);
    if (connection.readOnly) return;
    try {
      Y.applyUpdate(document, payload, { source: 'connection', connection });
    } catch (error) {
      this.refuse(connection, documentName, 'apply-failed', (error as Error).message);
    }
    payload[0] = 0;
    payload[1] = 0;
  }

  /**
   * Closes the whole socket (Hocuspocus alone would only detach this
   * document from it, leaving a hostile client connected), then throws so
   * Hocuspocus stops processing the message.
   */
  private refuse(connection: Connection, documentName: string, kind: 'invalid' | 'apply-failed', problem: string): never {
    this.refused.inc({ reason: kind });
    this.logger.warn({ documentName, code: CloseCodes.BadUpdate.code, problem }, 'closing connection: update refused');
    connection.webSocket.close(CloseCodes.BadUpdate.code, CloseCodes.BadUpdate.reason);
    throw new RefusedUpdate(`update refused: ${problem}`);
  }
}
