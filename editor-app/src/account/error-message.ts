import { AuthRequestError } from '../session/auth-session.js';

/**
 * What to tell the user when an API call failed. The auth service answers
 * `{error, message}` with a message meant for people; validation messages
 * ("invalid request body: email: must be an email address") are reworded to
 * read as a sentence about the field.
 */
export function errorMessageOf(error: unknown): string {
  if (error instanceof AuthRequestError) {
    const validation = /^invalid request body: (.*)$/.exec(error.message);
    if (validation?.[1]) {
      return validation[1]
        .split('; ')
        .map((issue) => sentence(issue.replace(/^([A-Za-z]+): /, '$1 ')))
        .join(' ');
    }
    return sentence(error.message);
  }
  if (error instanceof TypeError) return 'Could not reach the server. Check your connection and try again.';
  return sentence(error instanceof Error ? error.message : String(error));
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'Something went wrong.';
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
