import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Modal } from '../account/Modal.js';
import { errorMessageOf } from '../account/error-message.js';
import { relativeTime, type DocumentRole } from '../documents/documents-api.js';
import { initialsOf } from '../identity/guest-identity.js';
import type { AuthSession } from '../session/auth-session.js';
import {
  LINK_EXPIRY_CHOICES,
  SHARE_ROLES,
  createShareLink,
  listMembers,
  listShareLinks,
  removeMember,
  revokeShareLink,
  roleLabel,
  setMemberRole,
  type Member,
  type ShareLink,
  type ShareRole,
} from './sharing-api.js';
import './sharing.css';
import { readableTextOn } from '../theme/contrast.js';

interface ShareDialogProps {
  readonly session: AuthSession;
  readonly documentId: string;
  /** The caller's role: editors create links; owners also revoke links and manage members. */
  readonly role: DocumentRole;
  readonly onClose: () => void;
}

/** How long "Copied" stays on the copy button. */
const COPIED_FEEDBACK_MS = 2_000;

export function ShareDialog({ session, documentId, role, onClose }: ShareDialogProps) {
  const isOwner = role === 'owner';
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorMessageOf(caught));
    }
  }, []);

  const reload = useCallback(
    () =>
      run(async () => {
        const [nextLinks, nextMembers] = await Promise.all([listShareLinks(session, documentId), listMembers(session, documentId)]);
        setLinks(nextLinks);
        setMembers(nextMembers);
      }),
    [run, session, documentId],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <Modal title="Share this document" onClose={onClose} testId="share-dialog" wide>
      <div className="share">
        <NewLink
          session={session}
          documentId={documentId}
          onCreated={(link) => setLinks((current) => [...(current ?? []), link])}
          onError={setError}
        />
        {error && (
          <p className="form__error" role="alert" data-testid="share-error">
            {error}
          </p>
        )}
        <section aria-labelledby="share-links-title">
          <h3 id="share-links-title" className="share__heading">
            Active invite links
          </h3>
          {links === null ? (
            <p className="share__empty">Loading…</p>
          ) : links.length === 0 ? (
            <p className="share__empty">No active links.</p>
          ) : (
            <ul className="share__list" data-testid="share-links">
              {links.map((link) => (
                <li key={link.id} className="share__row" data-testid="share-link" data-role={link.role}>
                  <span className="share__main">
                    <strong>{roleLabel(link.role)}</strong>
                    <span className="share__sub">
                      Created {relativeTime(link.createdAt)} · {link.expiresAt ? `expires ${new Date(link.expiresAt).toLocaleString()}` : 'never expires'}
                    </span>
                  </span>
                  {isOwner && (
                    <button
                      type="button"
                      className="button button--small button--quiet button--danger"
                      data-testid="share-link-revoke"
                      onClick={() =>
                        void run(async () => {
                          await revokeShareLink(session, documentId, link.id);
                          await reload(); // people who joined through it are removed too
                        })
                      }
                    >
                      Revoke
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="share-members-title">
          <h3 id="share-members-title" className="share__heading">
            People with access
          </h3>
          {members === null ? (
            <p className="share__empty">Loading…</p>
          ) : (
            <ul className="share__list" data-testid="members">
              {members.map((member) => {
                const self = member.userId === session.user?.id;
                return (
                  <li key={member.userId} className="share__row" data-testid="member" data-name={member.name} data-role={member.role}>
                    <span className="avatar" style={{ backgroundColor: member.color, color: readableTextOn(member.color) }} aria-hidden="true">
                      {initialsOf(member.name)}
                    </span>
                    <span className="share__main">
                      <strong>
                        {member.name}
                        {self && <span className="share__sub"> (you)</span>}
                      </strong>
                      {member.guest && <span className="share__sub">Guest</span>}
                    </span>
                    {isOwner && !self ? (
                      <>
                        <select
                          className="select"
                          aria-label={`Role of ${member.name}`}
                          data-testid="member-role"
                          value={member.role}
                          onChange={(event) =>
                            void run(async () => setMembers(await setMemberRole(session, documentId, member.userId, event.target.value as DocumentRole)))
                          }
                        >
                          <option value="owner">Owner</option>
                          {SHARE_ROLES.map((choice) => (
                            <option key={choice.role} value={choice.role}>
                              {choice.label}
                            </option>
                          ))}
                        </select>
                        <button
                          type="button"
                          className="button button--small button--quiet button--danger"
                          data-testid="member-remove"
                          aria-label={`Remove ${member.name}`}
                          onClick={() => void run(async () => setMembers(await removeMember(session, documentId, member.userId)))}
                        >
                          Remove
                        </button>
                      </>
                    ) : (
                      <span className="tag">{roleLabel(member.role)}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>
    </Modal>
  );
}

function NewLink({
  session,
  documentId,
  onCreated,
  onError,
}: {
  session: AuthSession;
  documentId: string;
  onCreated: (link: ShareLink) => void;
  onError: (message: string | null) => void;
}) {
  const [role, setRole] = useState<ShareRole>('editor');
  const [expiry, setExpiry] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();

  async function create(): Promise<void> {
    setBusy(true);
    onError(null);
    setCopied(null);
    try {
      const created = await createShareLink(session, documentId, role, expiry);
      setUrl(created.url);
      onCreated(created.link);
    } catch (error) {
      onError(errorMessageOf(error));
    } finally {
      setBusy(false);
    }
  }

  async function copy(): Promise<void> {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('copied');
      setTimeout(() => setCopied(null), COPIED_FEEDBACK_MS);
    } catch {
      // No clipboard permission (e.g. an embedded page): select it for Ctrl+C.
      inputRef.current?.select();
      setCopied('select');
    }
  }

  return (
    <section className="share__new" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="share__heading">
        Invite with a link
      </h3>
      <p className="share__sub">Anyone who opens the link joins with the access you choose.</p>
      <div className="share__controls">
        <select className="select" aria-label="Access for people with the link" data-testid="share-role" value={role} onChange={(e) => setRole(e.target.value as ShareRole)}>
          {SHARE_ROLES.map((choice) => (
            <option key={choice.role} value={choice.role}>
              {choice.label}
            </option>
          ))}
        </select>
        <select
          className="select"
          aria-label="Link expiry"
          data-testid="share-expiry"
          value={expiry === null ? '' : String(expiry)}
          onChange={(e) => setExpiry(e.target.value === '' ? null : Number(e.target.value))}
        >
          {LINK_EXPIRY_CHOICES.map((choice) => (
            <option key={choice.label} value={choice.hours === null ? '' : String(choice.hours)}>
              {choice.label}
            </option>
          ))}
        </select>
        <button type="button" className="button button--primary" data-testid="share-create-link" disabled={busy} onClick={() => void create()}>
          {busy ? 'Creating…' : 'Create link'}
        </button>
      </div>
      {url && (
        <div className="share__created">
          <input
            ref={inputRef}
            className="input share__url"
            readOnly
            value={url}
            aria-label="Invite link"
            data-testid="share-link-url"
            onFocus={(event) => event.currentTarget.select()}
          />
          <button type="button" className="button" data-testid="share-link-copy" onClick={() => void copy()}>
            {copied === 'copied' ? 'Copied' : 'Copy'}
          </button>
        </div>
      )}
      {copied === 'select' && <p className="share__sub">Press Ctrl+C (⌘C) to copy the selected link.</p>}
      {url && <p className="share__sub">Only shown now — create a new link if you lose it.</p>}
    </section>
  );
}
