import { useState } from 'react';
import { AuthDialog } from '../account/AuthDialog.js';
import { navigate } from '../routes/history.js';
import type { AuthSession } from '../session/auth-session.js';
import './sharing.css';

/** A document the signed-in user is not a member of. */
export function NoAccessPage({ session }: { session: AuthSession | undefined }) {
  const [signingIn, setSigningIn] = useState(false);
  const user = session?.user;
  return (
    <main className="gate" data-testid="no-access">
      <a className="gate__brand" href="/" onClick={(event) => (event.preventDefault(), navigate('/'))}>
        Copycloud
      </a>
      <h1 className="gate__title">You don’t have access to this document</h1>
      <p className="gate__text">
        Ask its owner to send you an invite link.
        {user && (
          <>
            {' '}
            You are signed in as <strong>{user.name}</strong>
            {user.guest ? ' (guest)' : ''}.
          </>
        )}
      </p>
      <div className="gate__actions">
        <button type="button" className="button button--primary" onClick={() => navigate('/')}>
          Go to my documents
        </button>
        {session && (
          <button type="button" className="button" data-testid="no-access-sign-in" onClick={() => setSigningIn(true)}>
            Sign in with another account
          </button>
        )}
      </div>
      {/* Signing in changes the user; the app remounts the page for them. */}
      {signingIn && session && <AuthDialog session={session} mode="sign-in" onClose={() => setSigningIn(false)} />}
    </main>
  );
}
