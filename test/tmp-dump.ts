import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/openapi';
import { renderDocsPage } from '../src/openapi/docs-page';
const d = buildOpenApiDocument();
writeFileSync(process.argv[2]!, JSON.stringify(d, null, 2));
writeFileSync(process.argv[3]!, renderDocsPage(d));
