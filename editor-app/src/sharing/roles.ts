import { canEditContent } from '@copycloud/protocol';
import type { DocumentRole } from '../documents/documents-api.js';

/** Editors and owners may create invite links (the API refuses others with 403): the protocol's editing rule. */
export function roleAtLeastEditor(role: DocumentRole): boolean {
  return canEditContent(role);
}
