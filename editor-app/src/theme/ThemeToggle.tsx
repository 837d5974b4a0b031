import { createContext, useContext, useId, useSyncExternalStore } from 'react';
import { THEME_CHOICES, type ThemeChoice, type ThemePreference } from './theme-preference.js';
import './theme-toggle.css';

/** The browser's theme choice, provided once at the root (main.tsx). */
export const ThemeContext = createContext<ThemePreference | null>(null);

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** System / Light / Dark, remembered in this browser. Nothing without a provider (tests that render parts). */
export function ThemeToggle() {
  const preference = useContext(ThemeContext);
  if (!preference) return null;
  return <ThemeSelect preference={preference} />;
}

function ThemeSelect({ preference }: { preference: ThemePreference }) {
  const choice = useSyncExternalStore(preference.subscribe, preference.getSnapshot);
  const id = useId();
  return (
    <div className="theme-toggle">
      <label htmlFor={id} className="theme-toggle__label">
        Theme
      </label>
      <select
        id={id}
        className="theme-toggle__select"
        data-testid="theme-select"
        value={choice}
        onChange={(event) => preference.set(event.target.value as ThemeChoice)}
      >
        {THEME_CHOICES.map((option) => (
          <option key={option} value={option}>
            {LABELS[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
