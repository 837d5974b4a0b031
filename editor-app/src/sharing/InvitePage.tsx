import { useEffect, useRef, useState } from 'react';
import { AuthDialog, type AuthMode } from '../account/AuthDialog.js';
import { errorMessageOf } from '../account/error-message.js';
import { navigate } from '../routes/history.js';
import { documentPath } from '../routes/route.js';
import type { AuthSession } from '../session/auth-session.js';
import { acceptInvite, inviteSentence, InviteUnusableError, previewInvite, roleLabel, type InvitePreview } from './sharing-api.js';
import './sharing.css';

type InviteState =
  /** Asking the server what the link leads to, before offering anything. */
  | { readonly phase: 'checking' }
  /** `invite` is null when the check could not reach the server (accepting will say what is wrong). */
  | { readonly phase: 'choose'; readonly invite: InvitePreview | null }
  | { readonly phase: 'accepting' }
  | { readonly phase: 'failed'; readonly message: string };

/**
 * `/invite/:token`. Someone with a session joins at once and lands in the
 * document; someone without one first sees what the link leads to (document,
 * who shared it, which access) — checked before anything is created — and
 * then continues as a guest or signs in. A bad link is reported right away.
 */
export function InvitePage({ token, session }: { token: string; session: AuthSession | undefined }) {
  const [state, setState] = useState<InviteState>(() => (session?.hasSession ? { phase: 'accepting' } : { phase: 'checking' }));
  const [dialog, setDialog] = useState<AuthMode | null>(null);
  const started = useRef(false);

  async function accept(): Promise<void> {
    if (!session) return;
    setState({ phase: 'accepting' });
    try {
      const { documentId } = await acceptInvite(session, token);
      // Replace the invite in history: "back" from the document should not accept again.
      window.history.replaceState(null, '', documentPath(documentId));
      window.dispatchEvent(new PopStateEvent('popstate'));
    } catch (error) {
      setState({ phase: 'failed', message: errorMessageOf(error) });
    }
  }

  useEffect(() => {
    if (session?.hasSession) return;
    let cancelled = false;
    previewInvite(token).then(
      (invite) => !cancelled && setState({ phase: 'choose', invite }),
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof InviteUnusableError) setState({ phase: 'failed', message: error.message });
        else setState({ phase: 'choose', invite: null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [session, token]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once on mount, for someone who arrives signed in; later sign-ins accept from the button
  useEffect(() => {
    // StrictMode runs effects twice; accepting once is enough.
    if (started.current || !session?.hasSession) return;
    started.current = true;
    void accept();
  }, []);

  return (
    <main className="gate" data-testid="invite-page" data-state={state.phase}>
      <a className="gate__brand" href="/" onClick={(event) => (event.preventDefault(), navigate('/'))}>
        Copycloud
      </a>
      {state.phase === 'checking' && (
        <p className="gate__text" role="status" data-testid="invite-checking">
          Checking the invite link…
        </p>
      )}
      {state.phase === 'accepting' && (
        <p className="gate__text" role="status">
          Opening the shared document…
        </p>
      )}
      {state.phase === 'choose' && (
        <>
          {state.invite ? (
            <>
              <h1 className="gate__title" data-testid="invite-title">
                {state.invite.documentTitle.trim() || 'Untitled document'}
              </h1>
              <p className="gate__text" data-testid="invite-summary" data-inviter={state.invite.inviterName} data-role={state.invite.role}>
                {inviteSentence(state.invite)} Access: <strong>{roleLabel(state.invite.role)}</strong>.
              </p>
            </>
          ) : (
            <h1 className="gate__title">You are invited to a document</h1>
          )}
          <p className="gate__text">Continue as a guest to open it right away, or sign in to keep it with your account.</p>
          <div className="gate__actions">
            <button type="button" className="button button--primary" data-testid="invite-continue-guest" onClick={() => void accept()}>
              Continue as guest
            </button>
            <button type="button" className="button" data-testid="invite-sign-in" onClick={() => setDialog('sign-in')}>
              Sign in
            </button>
            <button type="button" className="button button--quiet" data-testid="invite-sign-up" onClick={() => setDialog('sign-up')}>
              Create account
            </button>
          </div>
        </>
      )}
      {state.phase === 'failed' && (
        <>
          <h1 className="gate__title">This invite cannot be used</h1>
          <p className="gate__text" role="alert" data-testid="invite-error">
            {state.message} Ask the person who shared it for a new link.
          </p>
          <div className="gate__actions">
            <button type="button" className="button" onClick={() => navigate('/')}>
              Go to my documents
            </button>
          </div>
        </>
      )}
      {dialog && session && <AuthDialog session={session} mode={dialog} onClose={() => setDialog(null)} onDone={() => void accept()} />}
    </main>
  );
}
