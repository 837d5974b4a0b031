import { useId, useState, type FormEvent } from 'react';
import type { AuthSession } from '../session/auth-session.js';
import { errorMessageOf } from './error-message.js';
import { Modal } from './Modal.js';

/** sign-in: an existing account; sign-up: a new one; upgrade: the current guest becomes an account. */
export type AuthMode = 'sign-in' | 'sign-up' | 'upgrade';

const TITLES: Record<AuthMode, string> = {
  'sign-in': 'Sign in',
  'sign-up': 'Create an account',
  upgrade: 'Create an account',
};

const SUBMIT_LABELS: Record<AuthMode, string> = {
  'sign-in': 'Sign in',
  'sign-up': 'Create account',
  upgrade: 'Create account',
};

/** Must match the auth API's password rule (NIST 800-63B: length, no composition rules). */
const MIN_PASSWORD_LENGTH = 8;

interface AuthDialogProps {
  readonly session: AuthSession;
  readonly mode: AuthMode;
  readonly onClose: () => void;
  /** After a successful sign in / sign up / upgrade (the dialog closes itself first). */
  readonly onDone?: () => void;
}

export function AuthDialog({ session, mode: initialMode, onClose, onDone }: AuthDialogProps) {
  const [mode, setMode] = useState(initialMode);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const isGuest = session.user?.guest === true;

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'sign-in') await session.logIn({ email, password });
      else if (mode === 'upgrade') await session.upgrade({ email, password, name });
      else await session.signUp({ email, password, name });
      onClose();
      onDone?.();
    } catch (caught) {
      setError(errorMessageOf(caught));
      setBusy(false);
    }
  }

  function switchTo(next: AuthMode): void {
    setMode(next);
    setError(null);
  }

  return (
    <Modal title={TITLES[mode]} onClose={onClose} testId="auth-dialog">
      <form className="form" onSubmit={(event) => void submit(event)} noValidate={false}>
        {mode === 'upgrade' && <p className="form__note">Your documents come with you: everything you made as a guest stays yours.</p>}
        {mode === 'sign-in' && isGuest && (
          <p className="form__note">
            You are using a guest account. Documents you made as a guest stay with it — create an account instead to keep them.
          </p>
        )}
        {mode !== 'sign-in' && (
          <label className="form__field" htmlFor={`${id}-name`}>
            <span>
              Name <span className="form__optional">(optional)</span>
            </span>
            <input
              id={`${id}-name`}
              className="input"
              data-testid="auth-name"
              autoComplete="name"
              maxLength={64}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </label>
        )}
        <label className="form__field" htmlFor={`${id}-email`}>
          <span>Email</span>
          <input
            id={`${id}-email`}
            className="input"
            data-testid="auth-email"
            type="email"
            autoComplete="email"
            required
            autoFocus
            maxLength={254}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="form__field" htmlFor={`${id}-password`}>
          <span>Password</span>
          <input
            id={`${id}-password`}
            className="input"
            data-testid="auth-password"
            type="password"
            autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'sign-in' ? undefined : MIN_PASSWORD_LENGTH}
            maxLength={256}
            aria-describedby={mode === 'sign-in' ? undefined : `${id}-password-hint`}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          {mode !== 'sign-in' && (
            <small id={`${id}-password-hint`} className="form__hint">
              At least {MIN_PASSWORD_LENGTH} characters.
            </small>
          )}
        </label>
        {error && (
          <p className="form__error" role="alert" data-testid="auth-error">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary form__submit" data-testid="auth-submit" disabled={busy}>
          {busy ? 'One moment…' : SUBMIT_LABELS[mode]}
        </button>
        <p className="form__switch">
          {mode === 'sign-in' ? (
            <>
              New here?{' '}
              <button type="button" className="link-button" data-testid="auth-switch" onClick={() => switchTo(isGuest ? 'upgrade' : 'sign-up')}>
                Create an account
              </button>
            </>
          ) : (
            <>
              Already have an account?{' '}
              <button type="button" className="link-button" data-testid="auth-switch" onClick={() => switchTo('sign-in')}>
                Sign in
              </button>
            </>
          )}
        </p>
      </form>
    </Modal>
  );
}
