import type { DocumentRole } from '../documents/documents-api.js';

/** Editors and owners may create invite links (the API refuses others with 403). */
export function roleAtLeastEditor(role: DocumentRole): boolean {
  return role === 'owner' || role === 'editor';
}
