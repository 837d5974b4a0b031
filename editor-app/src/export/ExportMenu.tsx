import { useState } from 'react';
import { Download } from 'lucide-react';
import { useDisclosure } from '../layout/use-disclosure.js';
import { downloadFileName, EXPORT_FORMATS, type ExportFormat } from './export-download.js';
import './export.css';

export interface ExportMenuProps {
  readonly documentId: string;
  /** The reader's access token (exporting needs any role on the document). */
  readonly accessToken: () => Promise<string>;
}

type ExportState = { readonly phase: 'idle' } | { readonly phase: 'busy'; readonly format: ExportFormat } | { readonly phase: 'failed'; readonly message: string };

/**
 * "Export" in the header: Markdown, HTML, DOCX or PDF from
 * `GET /api/docs/:id/export`, saved under the name the server gives (the
 * document's title). A disclosure of ordinary buttons; Esc and a click
 * elsewhere close it.
 */
export function ExportMenu({ documentId, accessToken }: ExportMenuProps) {
  const { open, close, root, panelId, toggleProps, onKeyDown } = useDisclosure();
  const [state, setState] = useState<ExportState>({ phase: 'idle' });

  const download = async (format: ExportFormat, extension: string) => {
    setState({ phase: 'busy', format });
    try {
      const response = await fetch(`/api/docs/${encodeURIComponent(documentId)}/export?format=${format}`, {
        headers: { authorization: `Bearer ${await accessToken()}` },
      });
      if (!response.ok) {
        const detail = (await response.json().catch(() => ({}))) as { message?: string };
        throw new Error(`The ${format.toUpperCase()} export failed (${response.status}${detail.message ? `: ${detail.message}` : ''}).`);
      }
      const name = downloadFileName(response.headers.get('content-disposition'), documentId, extension);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      // The click has started the download; the URL is no longer needed after this task.
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setState({ phase: 'idle' });
      close();
    } catch (error) {
      setState({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <div className="export-menu" ref={root} onKeyDown={onKeyDown}>
      <button type="button" className="button export-menu__toggle" data-testid="export-menu" {...toggleProps}>
        <Download size={16} aria-hidden="true" />
        Export
      </button>
      {open && (
        <div className="export-menu__panel" id={panelId}>
          {EXPORT_FORMATS.map(({ format, label, extension }) => (
            <button
              key={format}
              type="button"
              className="export-menu__item"
              data-testid={`export-menu-${format}`}
              disabled={state.phase === 'busy'}
              onClick={() => void download(format, extension)}
            >
              {state.phase === 'busy' && state.format === format ? `${label}…` : label}
            </button>
          ))}
          {state.phase === 'failed' && (
            <p className="export-menu__error" role="alert">
              {state.message}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
