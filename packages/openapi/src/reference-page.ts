import { HTTP_METHODS, type JsonSchema, type OpenApiDocument, type Operation } from './types.js';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The little Markdown the fragments use: paragraphs, `- ` lists, `code`, **bold**. */
function renderMarkdown(markdown: string): string {
  const inline = (text: string) =>
    escapeHtml(text)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  return markdown
    .trim()
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((line) => line.startsWith('- ') || line.startsWith('  '))) {
        const items: string[] = [];
        for (const line of lines) {
          if (line.startsWith('- ')) items.push(line.slice(2));
          else items[items.length - 1] += ` ${line.trim()}`;
        }
        return `<ul>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
      }
      if (lines[0]!.startsWith('#')) return `<h3>${inline(lines[0]!.replace(/^#+\s*/, ''))}</h3>${lines.length > 1 ? `<p>${inline(lines.slice(1).join(' '))}</p>` : ''}`;
      return `<p>${inline(lines.join(' '))}</p>`;
    })
    .join('\n');
}

/** Schemas as indented JSON, with `$ref`s to components shown by name. */
function renderSchema(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  return `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`;
}

const anchorOf = (method: string, path: string) => `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

function renderOperation(method: string, path: string, op: Operation): string {
  const auth = op.security && op.security.length === 0 ? 'no token' : 'bearer access token';
  const parts = [
    `<section class="op" id="${anchorOf(method, path)}">`,
    `<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>`,
    `<p class="summary">${escapeHtml(op.summary)} <span class="auth">${auth}</span></p>`,
  ];
  if (op.description) parts.push(renderMarkdown(op.description));
  if (op.parameters?.length) {
    parts.push('<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>');
    for (const p of op.parameters) {
      parts.push(
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${escapeHtml(JSON.stringify(p.schema))}</code></td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  if (op.requestBody) {
    parts.push(`<h4>Request body${op.requestBody.required ? '' : ' (optional)'}</h4>`);
    if (op.requestBody.description) parts.push(renderMarkdown(op.requestBody.description));
    for (const [type, media] of Object.entries(op.requestBody.content)) parts.push(`<p><code>${escapeHtml(type)}</code></p>`, renderSchema(media.schema));
  }
  parts.push('<h4>Responses</h4><dl>');
  for (const [status, response] of Object.entries(op.responses)) {
    parts.push(`<dt><strong>${escapeHtml(status)}</strong> ${escapeHtml(response.description)}</dt><dd>`);
    for (const [type, media] of Object.entries(response.content ?? {})) parts.push(`<p><code>${escapeHtml(type)}</code></p>`, renderSchema(media.schema));
    parts.push('</dd>');
  }
  parts.push('</dl></section>');
  return parts.join('\n');
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1d1d1f}
code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f7;padding:.6rem;overflow:auto;border-radius:4px;max-height:24rem}
.method{display:inline-block;min-width:4.5rem;text-align:center;border-radius:3px;color:#fff;font-size:13px;padding:1px 6px}
.get{background:#2b7bb9}.post{background:#2f9e44}.put{background:#d9480f}.delete{background:#c92a2a}.patch{background:#862e9c}
.op{border-top:1px solid #ddd;padding:.5rem 0}.auth{color:#666;font-size:13px;margin-left:.5rem}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
nav ul{columns:2}`;

/**
 * The API reference as one self-contained HTML page: rendered on the server
 * from the document, no script and nothing loaded from elsewhere (the route
 * sends a CSP that forbids it).
 */
export function renderReferencePage(document: OpenApiDocument, options: { specUrl: string }): string {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const tag of document.tags) byTag.set(tag.name, []);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const nav: string[] = [];
  const body: string[] = [];
  for (const [tag, ops] of byTag) {
    if (ops.length === 0) continue;
    const description = document.tags.find((t) => t.name === tag)?.description;
    body.push(`<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>`, description ? renderMarkdown(description) : '');
    for (const { method, path, op } of ops) {
      nav.push(`<li><a href="#${anchorOf(method, path)}">${method.toUpperCase()} ${escapeHtml(path)}</a></li>`);
      body.push(renderOperation(method, path, op));
    }
  }
  const websockets = document['x-websockets'] ?? [];
  const wsSection = websockets.length
    ? `<h2 id="websockets">WebSocket endpoints</h2>${websockets
        .map(
          (ws) =>
            `<section class="op"><h3><span class="method get">WS</span> <code>${escapeHtml(ws.path)}</code></h3><p class="summary">${escapeHtml(ws.protocol)}</p>${renderMarkdown(ws.description)}${
              ws.query ? `<ul>${Object.entries(ws.query).map(([k, v]) => `<li><code>${escapeHtml(k)}</code>: ${escapeHtml(v)}</li>`).join('')}</ul>` : ''
            }</section>`,
        )
        .join('\n')}`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>OpenAPI ${document.openapi} document: <a href="${escapeHtml(options.specUrl)}">${escapeHtml(options.specUrl)}</a></p>
${document.info.description ? renderMarkdown(document.info.description) : ''}
<nav><h2>Operations</h2><ul>${nav.join('')}${websockets.length ? '<li><a href="#websockets">WebSocket endpoints</a></li>' : ''}</ul></nav>
${body.join('\n')}
${wsSection}
</body></html>`;
}
