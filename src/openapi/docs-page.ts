import type {
  HttpMethod,
  JsonSchema,
  OpenApiDocument,
  OpenApiMediaType,
  OpenApiOperation,
  OpenApiReference,
} from '../openapi';

/**
 * Renders the OpenAPI document as one self-contained HTML page: no scripts (helmet's CSP forbids inline ones, and
 * a reference page needs none), no external assets. Schemas open with <details>, which works without JavaScript.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const operations = listOperations(document);
  const nav = document.tags
    .map((tag) => {
      const items = operations
        .filter((op) => op.operation.tags.includes(tag.name))
        .map(
          (op) =>
            `<li><a href="#op-${escapeHtml(op.operation.operationId)}">${methodBadge(op.method)} ` +
            `<code>${escapeHtml(op.path)}</code></a> ${escapeHtml(op.operation.summary)}</li>`,
        )
        .join('\n');
      return `<li><a href="#tag-${escapeHtml(tag.name)}">${escapeHtml(tag.name)}</a><ul>${items}</ul></li>`;
    })
    .join('\n');
  const sections = document.tags
    .map((tag) => {
      const articles = operations
        .filter((op) => op.operation.tags.includes(tag.name))
        .map((op) => renderOperation(document, op))
        .join('\n');
      return (
        `<section id="tag-${escapeHtml(tag.name)}"><h2>${escapeHtml(tag.name)}</h2>` +
        `<p>${inlineText(tag.description)}</p>\n${articles}</section>`
      );
    })
    .join('\n');
  const security = Object.entries(document.components.securitySchemes)
    .map(
      ([name, scheme]) =>
        `<h3 id="auth-${escapeHtml(name)}">${escapeHtml(name)}</h3>` +
        `<p>HTTP ${escapeHtml(scheme.scheme)}${scheme.bearerFormat ? ` (${escapeHtml(scheme.bearerFormat)})` : ''}</p>` +
        paragraphs(scheme.description),
    )
    .join('\n');
  const sharedResponses = Object.entries(document.components.responses)
    .map(
      ([name, response]) =>
        `<h3 id="response-${escapeHtml(name)}">${escapeHtml(name)}</h3>${paragraphs(response.description)}` +
        renderContent(document, response.content ?? {}),
    )
    .join('\n');
  const schemas = Object.entries(document.components.schemas)
    .map(([name, schema]) => `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3>${renderJson(schema)}`)
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} API</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
${paragraphs(document.info.description)}
<p>OpenAPI ${escapeHtml(document.openapi)} document: <a href="/openapi.json">/openapi.json</a></p>
</header>
<nav><h2>Operations</h2><ul>${nav}</ul><p><a href="#authentication">Authentication</a> · <a href="#responses">Shared responses</a> · <a href="#schemas">Schemas</a></p></nav>
<main>
<section id="authentication"><h2>Authentication</h2>${security}</section>
${sections}
<section id="responses"><h2>Shared responses</h2>${sharedResponses}</section>
<section id="schemas"><h2>Schemas</h2>${schemas}</section>
</main>
</body>
</html>
`;
}

interface ListedOperation {
  path: string;
  method: HttpMethod;
  operation: OpenApiOperation;
}

function listOperations(document: OpenApiDocument): ListedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method: method as HttpMethod, operation })),
  );
}

function renderOperation(document: OpenApiDocument, { path, method, operation }: ListedOperation): string {
  const parts = [
    `<article id="op-${escapeHtml(operation.operationId)}">`,
    `<h3>${methodBadge(method)} <code>${escapeHtml(path)}</code></h3>`,
    `<p class="summary">${escapeHtml(operation.summary)} <span class="id">${escapeHtml(operation.operationId)}</span></p>`,
    paragraphs(operation.description),
    `<p><strong>Authentication:</strong> ${renderSecurity(operation)}</p>`,
  ];
  if (operation.parameters?.length) {
    const rows = operation.parameters
      .map(
        (parameter) =>
          `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${parameter.in}</td>` +
          `<td>${parameter.required ? 'yes' : 'no'}</td><td><code>${escapeHtml(JSON.stringify(parameter.schema))}</code></td>` +
          `<td>${inlineText(parameter.description ?? '')}</td></tr>`,
      )
      .join('');
    parts.push(
      '<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>required</th><th>schema</th>' +
        `<th>description</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  if (operation.requestBody) {
    parts.push(
      `<h4>Request body${operation.requestBody.required ? ' (required)' : ''}</h4>`,
      operation.requestBody.description ? paragraphs(operation.requestBody.description) : '',
      renderContent(document, operation.requestBody.content),
    );
  }
  parts.push('<h4>Responses</h4><dl class="responses">');
  for (const [status, entry] of Object.entries(operation.responses)) {
    parts.push(
      `<dt><span class="status s${status[0]}">${escapeHtml(status)}</span> ${inlineText(entry.description ?? '')}</dt>`,
      `<dd>${'$ref' in entry ? renderSharedResponse(entry) : renderContent(document, entry.content ?? {})}</dd>`,
    );
  }
  parts.push('</dl></article>');
  return parts.join('\n');
}

function renderSecurity(operation: OpenApiOperation): string {
  const schemes = operation.security.flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return 'none';
  const links = schemes.map((name) => `<a href="#auth-${escapeHtml(name)}">${escapeHtml(name)}</a>`).join(', ');
  const roles = operation['x-roles'] ? `; roles: ${operation['x-roles'].map(escapeHtml).join(', ')}` : '';
  return links + roles;
}

function renderContent(document: OpenApiDocument, content: Record<string, OpenApiMediaType>): string {
  return Object.entries(content)
    .map(([mediaType, media]) => {
      const parts = [
        `<p class="media"><code>${escapeHtml(mediaType)}</code></p>`,
        renderSchema(document, media.schema),
      ];
      if (media['x-line-schema']) {
        parts.push('<p>Each line:</p>', renderSchema(document, media['x-line-schema']));
      }
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        const value = typeof example.value === 'string' ? example.value : JSON.stringify(example.value, null, 2);
        parts.push(
          `<p class="example">Example <code>${escapeHtml(name)}</code>: ${escapeHtml(example.summary)}</p>`,
          `<pre>${escapeHtml(value)}</pre>`,
        );
      }
      return parts.join('\n');
    })
    .join('\n');
}

/** A component reference opens to the component's schema; an inline schema is shown as it is. */
function renderSchema(document: OpenApiDocument, schema: JsonSchema): string {
  const name = componentName(schema);
  const component = name ? document.components.schemas[name] : undefined;
  if (name && component) {
    return (
      `<details><summary>schema <a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a></summary>` +
      `${renderJson(component)}</details>`
    );
  }
  return renderJson(schema);
}

function componentName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/')
    ? ref.slice('#/components/schemas/'.length)
    : undefined;
}

/** Shared (error) responses are listed once under Responses; an operation links to them. */
function renderSharedResponse(entry: OpenApiReference): string {
  const name = entry.$ref.slice('#/components/responses/'.length);
  return `<p class="media">see <a href="#response-${escapeHtml(name)}">${escapeHtml(name)}</a></p>`;
}

/** Pretty JSON with every schema reference turned into a link to its component. */
function renderJson(value: unknown): string {
  const html = escapeHtml(JSON.stringify(value, null, 2)).replace(
    /&quot;#\/components\/schemas\/([\w.-]+)&quot;/g,
    '&quot;<a href="#schema-$1">#/components/schemas/$1</a>&quot;',
  );
  return `<pre>${html}</pre>`;
}

function methodBadge(method: HttpMethod): string {
  return `<span class="method ${method}">${method.toUpperCase()}</span>`;
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${inlineText(paragraph)}</p>`)
    .join('\n');
}

/** Escapes, then shows `backticked` words as code, as the descriptions write them. */
function inlineText(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #1d1d1f; max-width: 72rem; margin: 0 auto; padding: 0 1.5rem 4rem; }
header { border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
h1 small { font-size: 0.5em; color: #666; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #eee; }
article { border: 1px solid #e3e3e3; border-radius: 6px; padding: 0 1rem 1rem; margin: 1.25rem 0; }
article h3 { margin-bottom: 0.25rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: 0.75rem; border-radius: 4px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #e3e3e3; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td code { word-break: break-all; }
.method { display: inline-block; min-width: 4.2em; text-align: center; border-radius: 4px; color: #fff;
  font: bold 12px/1.8 ui-monospace, monospace; }
.get { background: #2f6fdd; } .post { background: #1f8a4c; } .put { background: #b26b00; } .delete { background: #c0392b; }
.summary { font-weight: 600; margin-top: 0; }
.id { font-weight: normal; color: #777; font-size: 0.85em; margin-left: 0.5em; }
.status { display: inline-block; min-width: 2.5em; font-weight: bold; }
.s2 { color: #1f8a4c; } .s4 { color: #b26b00; } .s5 { color: #c0392b; }
dl.responses dd { margin-left: 2.5em; }
nav ul ul { margin: 0.2rem 0 0.6rem; }
details summary { cursor: pointer; }
`;
