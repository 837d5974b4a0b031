import type { HocuspocusProvider } from '@hocuspocus/provider';
import { initialsOf } from '../identity/guest-identity.js';
import { usePresence } from './use-presence.js';

export function PresenceList({ provider }: { provider: HocuspocusProvider }) {
  const users = usePresence(provider);
  return (
    <ul className="presence" data-testid="presence" aria-label="People in this document">
      {users.map((user) => (
        <li
          key={user.clientId}
          className="presence__avatar"
          style={{ backgroundColor: user.color }}
          title={user.isSelf ? `${user.name} (you)` : user.name}
          data-testid="presence-user"
          data-name={user.name}
          data-self={user.isSelf}
        >
          {initialsOf(user.name)}
        </li>
      ))}
    </ul>
  );
}
