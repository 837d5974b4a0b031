import type { HocuspocusProvider } from '@hocuspocus/provider';
import { initialsOf } from '../identity/guest-identity.js';
import { readableTextOn } from '../theme/contrast.js';
import { usePresence } from './use-presence.js';
import './presence.css';

/**
 * Everyone in the document as coloured initials; the full name shows on hover
 * (and on keyboard focus) and is each avatar's accessible name.
 */
export function PresenceList({ provider }: { provider: HocuspocusProvider }) {
  const users = usePresence(provider);
  return (
    <ul className="presence" data-testid="presence" aria-label="People in this document">
      {users.map((user) => {
        const name = user.isSelf ? `${user.name} (you)` : user.name;
        return (
          <li
            key={user.clientId}
            className="presence__avatar"
            style={{ backgroundColor: user.color, color: readableTextOn(user.color) }}
            data-testid="presence-user"
            data-name={user.name}
            data-self={user.isSelf}
          >
            <span aria-hidden="true">{initialsOf(user.name)}</span>
            <span className="presence__name">
              {name}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
