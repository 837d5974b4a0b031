import type { ListedCommentThread } from '@copycloud/protocol';
import type { ExportFormat } from './export.js';

/**
 * The document's comment threads as an appendix to a Markdown or HTML export
 * (`?comments=true`), the way Google Docs exports comments after the text:
 * numbered, each with the words it is on (or "text deleted" when detached),
 * every comment with its author and time, and who resolved it. Deleted
 * comments and deleted threads are left out. Everything is escaped: comment
 * text is never markup.
 */
export function commentsAppendix(threads: readonly ListedCommentThread[], format: ExportFormat): string {
  const shown = threads.filter((t) => t.replies.length > 0 && !t.replies[0]!.deleted);
  if (shown.length === 0) return '';
  switch (format) {
    case 'md':
      return markdownAppendix(shown);
    case 'html':
      return htmlAppendix(shown);
    default: {
      const unreachable: never = format;
      throw new Error(`unknown export format ${String(unreachable)}`);
    }
  }
}

/** Appends the appendix to an exported body (before `</body>` in a full HTML page, if there is one). */
export function withCommentsAppendix(body: string, threads: readonly ListedCommentThread[], format: ExportFormat): string {
  const appendix = commentsAppendix(threads, format);
  if (!appendix) return body;
  if (format === 'html') {
    const end = body.lastIndexOf('</body>');
    return end >= 0 ? `${body.slice(0, end)}${appendix}${body.slice(end)}` : `${body}${appendix}`;
  }
  return `${body.replace(/\s+$/, '')}\n\n${appendix}`;
}

function status(thread: ListedCommentThread): string[] {
  const notes: string[] = [];
  if (thread.detached) notes.push('text deleted');
  if (thread.resolved) notes.push(thread.resolvedBy ? `resolved by ${thread.resolvedBy.name}` : 'resolved');
  return notes;
}

function markdownAppendix(threads: readonly ListedCommentThread[]): string {
  const lines = ['---', '', '## Comments', ''];
  threads.forEach((thread, index) => {
    const notes = status(thread);
    lines.push(`${index + 1}. On “${md(thread.quote)}”${notes.length ? ` (${notes.join(', ')})` : ''}`);
    for (const reply of thread.replies) {
      if (reply.deleted) continue;
      lines.push(`   - **${md(reply.authorName || 'Someone')}** (${day(reply.createdAt)}): ${md(reply.body).replace(/\n/g, ' ')}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

function htmlAppendix(threads: readonly ListedCommentThread[]): string {
  const items = threads.map((thread) => {
    const notes = status(thread);
    const replies = thread.replies
      .filter((r) => !r.deleted)
      .map((r) => `<li><strong>${html(r.authorName || 'Someone')}</strong> <time datetime="${html(r.createdAt)}">${html(day(r.createdAt))}</time>: ${html(r.body)}</li>`)
      .join('');
    return `<li><blockquote>${html(thread.quote)}</blockquote>${notes.length ? `<p><em>${html(notes.join(', '))}</em></p>` : ''}<ul>${replies}</ul></li>`;
  });
  return `<hr><section class="comments"><h2>Comments</h2><ol>${items.join('')}</ol></section>`;
}

function day(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Markdown-inert text: backslash-escapes what could start markup, and HTML. */
function md(text: string): string {
  return text.replace(/[\\`*_[\]{}()#+\-.!|>~<&]/g, (c) => (c === '<' ? '&lt;' : c === '&' ? '&amp;' : c === '>' ? '&gt;' : `\\${c}`));
}
