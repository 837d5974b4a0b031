import { useCallback, useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { countChanges, diffDocuments, type BlockChange, type JsonNode } from './version-diff.js';
import { VersionsApi, versionLabel, type ExportFormat, type VersionSummary } from './versions-api.js';

/** Tiptap Collaboration's default field: where the editor keeps its content. */
const CONTENT_FIELD = 'default';

interface HistoryPanelProps {
  readonly documentId: string;
  readonly ydoc: Y.Doc;
  readonly accessToken: () => Promise<string>;
  readonly canEdit: boolean;
  readonly onClose: () => void;
}

type Preview = { version: VersionSummary; changes: BlockChange[] } | null;

/**
 * Version history: the list (who, when, name), a preview of one version with
 * its differences from the document now, restore (after a confirm; a restore
 * is a new change every collaborator receives), naming the current version,
 * and export of the current document.
 */
export function HistoryPanel({ documentId, ydoc, accessToken, canEdit, onClose }: HistoryPanelProps) {
  const api = useMemo(() => new VersionsApi(documentId, accessToken), [documentId, accessToken]);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [preview, setPreview] = useState<Preview>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');
  const [confirming, setConfirming] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setVersions(await api.list());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const open = (version: VersionSummary) =>
    run(async () => {
      setConfirming(false);
      const content = await api.content(version.id);
      const now = yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(CONTENT_FIELD)) as JsonNode;
      setPreview({ version, changes: diffDocuments(now, content) });
    });

  const restore = (version: VersionSummary) =>
    run(async () => {
      await api.restore(version.id);
      setConfirming(false);
      setPreview(null);
      await refresh();
    });

  const saveName = () =>
    run(async () => {
      await api.name(name);
      setName('');
      await refresh();
    });

  const download = (format: ExportFormat) =>
    run(async () => {
      const blob = await api.export(format);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${documentId}.${format}`;
      link.click();
      URL.revokeObjectURL(url);
    });

  return (
    <aside className="history" data-testid="history-panel" aria-label="Version history">
      <header className="history__header">
        <h2>History</h2>
        <button type="button" className="button" onClick={onClose} aria-label="Close history">
          ×
        </button>
      </header>
      <div className="history__export">
        Export:
        <button type="button" className="button" data-testid="export-md" disabled={busy} onClick={() => void download('md')}>
          Markdown
        </button>
        <button type="button" className="button" data-testid="export-html" disabled={busy} onClick={() => void download('html')}>
          HTML
        </button>
      </div>
      {canEdit && (
        <form
          className="history__name"
          onSubmit={(event) => {
            event.preventDefault();
            if (name.trim()) void saveName();
          }}
        >
          <input
            value={name}
            maxLength={200}
            placeholder="Name this version"
            data-testid="version-name"
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="button button--primary" disabled={busy || !name.trim()} data-testid="save-version">
            Save
          </button>
        </form>
      )}
      {error && (
        <p className="history__error" role="alert">
          {error}
        </p>
      )}
      {versions === null ? (
        <p>Loading…</p>
      ) : versions.length === 0 ? (
        <p>No versions yet. One is taken automatically after a pause in editing.</p>
      ) : (
        <ol className="history__list" data-testid="version-list">
          {versions.map((version) => (
            <li key={version.id} className={preview?.version.id === version.id ? 'history__item history__item--open' : 'history__item'}>
              <button type="button" className="history__open" onClick={() => void open(version)} data-testid="version-item">
                <strong>{versionLabel(version)}</strong>
                <span>{new Date(version.createdAt).toLocaleString()}</span>
                <span>{version.author?.name ?? 'Automatic'}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {preview && (
        <section className="history__preview" data-testid="version-preview" aria-label="Version preview">
          <p>
            {countChanges(preview.changes) === 0
              ? 'Same as the document now.'
              : `${countChanges(preview.changes)} block(s) differ from the document now (green: in this version, red: only now).`}
          </p>
          <div className="history__diff">
            {preview.changes.map((change, index) => (
              <ChangeView key={index} change={change} />
            ))}
          </div>
          {canEdit && !confirming && (
            <button type="button" className="button button--primary" disabled={busy} onClick={() => setConfirming(true)} data-testid="restore-version">
              Restore this version
            </button>
          )}
          {canEdit && confirming && (
            <div className="history__confirm" role="group" aria-label="Confirm restore" data-testid="restore-confirmation">
              <p>
                Restore “{versionLabel(preview.version)}”? Everyone editing sees the document change; the current text stays in the history. Undo
                history starts again after a restore.
              </p>
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void restore(preview.version)} data-testid="restore-confirm">
                Restore
              </button>{' '}
              <button type="button" className="button" disabled={busy} onClick={() => setConfirming(false)} data-testid="restore-cancel">
                Cancel
              </button>
            </div>
          )}
        </section>
      )}
    </aside>
  );
}

function ChangeView({ change }: { change: BlockChange }) {
  switch (change.op) {
    case 'same':
      return <p className="diff diff--same">{change.block.text}</p>;
    case 'added':
      return <p className="diff diff--added">{change.block.text}</p>;
    case 'removed':
      return <p className="diff diff--removed">{change.block.text}</p>;
    case 'changed':
      return (
        <p className="diff diff--changed">
          {change.words.map((word, index) =>
            word.op === 'same' ? <span key={index}>{word.text}</span> : word.op === 'added' ? <ins key={index}>{word.text}</ins> : <del key={index}>{word.text}</del>,
          )}
        </p>
      );
    default: {
      const unreachable: never = change;
      return unreachable;
    }
  }
}
