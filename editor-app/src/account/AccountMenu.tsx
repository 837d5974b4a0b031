import { useEffect, useRef, useState } from 'react';
import { initialsOf } from '../identity/guest-identity.js';
import type { AuthSession } from '../session/auth-session.js';
import { AuthDialog, type AuthMode } from './AuthDialog.js';
import { useSessionUser } from './use-session-user.js';
import './account.css';
import { readableTextOn } from '../theme/contrast.js';

/**
 * Top-right account control. Signed out: "Sign in" and "Create account".
 * Signed in: the user's avatar opens a small menu — a guest can turn into an
 * account (keeping their documents) or sign in; an account can sign out.
 */
export function AccountMenu({ session }: { session: AuthSession | undefined }) {
  const { user, loading } = useSessionUser(session);
  const [dialog, setDialog] = useState<AuthMode | null>(null);
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  if (!session) return null;

  function choose(mode: AuthMode): void {
    setOpen(false);
    setDialog(mode);
  }

  const authDialog = dialog && <AuthDialog session={session} mode={dialog} onClose={() => setDialog(null)} />;

  if (!user) {
    return (
      <div className="account" data-testid="account" data-state={loading ? 'loading' : 'signed-out'}>
        {/* A stored session that cannot load (offline) is still a session: no sign-in prompt. */}
        {!loading && !session.hasSession && (
          <>
            <button type="button" className="button button--quiet" data-testid="sign-in" onClick={() => choose('sign-in')}>
              Sign in
            </button>
            <button type="button" className="button" data-testid="sign-up" onClick={() => choose('sign-up')}>
              Create account
            </button>
          </>
        )}
        {authDialog}
      </div>
    );
  }

  return (
    <div className="account" ref={menuRef} data-testid="account" data-state={user.guest ? 'guest' : 'signed-in'}>
      <button
        type="button"
        className="account__trigger"
        data-testid="account-menu-button"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" style={{ backgroundColor: user.color, color: readableTextOn(user.color) }} aria-hidden="true">
          {initialsOf(user.name)}
        </span>
        <span className="account__name" data-testid="account-name">
          {user.name}
        </span>
        {user.guest && <span className="tag">Guest</span>}
      </button>
      {open && (
        <div className="account__menu" data-testid="account-menu">
          <p className="account__who">
            <strong>{user.name}</strong>
            <span>{user.guest ? 'Guest — only this browser can open your documents' : user.email}</span>
          </p>
          {user.guest ? (
            <>
              <button type="button" className="account__item account__item--primary" data-testid="account-upgrade" onClick={() => choose('upgrade')}>
                Create account to keep your documents
              </button>
              <button type="button" className="account__item" data-testid="account-sign-in" onClick={() => choose('sign-in')}>
                Sign in to another account
              </button>
            </>
          ) : (
            <button
              type="button"
              className="account__item"
              data-testid="account-sign-out"
              onClick={() => {
                setOpen(false);
                void session.logOut();
              }}
            >
              Sign out
            </button>
          )}
        </div>
      )}
      {authDialog}
    </div>
  );
}
