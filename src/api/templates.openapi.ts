import * as responses from '../openapi/response-schemas';
import {
  admin,
  agent,
  BAD_BODY,
  EXAMPLE_PREVIEW,
  EXAMPLE_TEMPLATE_ID,
  json,
  type RouterOpenApi,
} from '../openapi/operation-spec';
import { createTemplateSchema, templateIdSchema, updateTemplateSchema } from './templates';

const templateIdParam = { templateId: { schema: templateIdSchema, description: 'the template id (UUID)' } };

/** The OpenAPI description of /v1/templates (src/api/templates.ts). */
export const templatesOpenApi: RouterOpenApi = {
  operations: [
    {
      method: 'get',
      path: '/v1/templates',
      operationId: 'listTemplates',
      summary: "The account's SMS Text templates",
      description: 'Each with the `{{variables}}` it uses and a preview.',
      tag: 'templates',
      access: agent,
      responses: { 200: { description: 'the templates', content: json(responses.templateListSchema) } },
      errors: {},
    },
    {
      method: 'post',
      path: '/v1/templates',
      operationId: 'createTemplate',
      summary: 'Create a template',
      description: 'Names are unique within the account. Variables are written `{{name}}`.',
      tag: 'templates',
      access: admin,
      requestBody: {
        required: true,
        content: json(createTemplateSchema, {
          showingReminder: {
            summary: 'A reminder with three variables',
            value: {
              name: 'showing-reminder',
              body: 'Hi {{firstName}}, reminder: showing at {{address}} tomorrow at {{time}}.',
            },
          },
        }),
      },
      responses: {
        201: {
          description: 'created',
          content: json(responses.templateViewSchema, {
            created: {
              summary: 'The new template',
              value: {
                templateId: EXAMPLE_TEMPLATE_ID,
                name: 'showing-reminder',
                body: 'Hi {{firstName}}, reminder: showing at {{address}} tomorrow at {{time}}.',
                createdAt: '2026-11-27T12:00:00.000Z',
                updatedAt: '2026-11-27T12:00:00.000Z',
                variables: ['firstName', 'address', 'time'],
                preview: EXAMPLE_PREVIEW,
              },
            },
          }),
        },
      },
      errors: { 400: BAD_BODY, 409: 'a template with this name exists', 413: 'body larger than 256 kB' },
    },
    {
      method: 'get',
      path: '/v1/templates/{templateId}',
      operationId: 'getTemplate',
      summary: 'One template',
      description: 'The template with its variables and preview.',
      tag: 'templates',
      access: agent,
      pathParams: templateIdParam,
      responses: { 200: { description: 'the template', content: json(responses.templateViewSchema) } },
      errors: { 400: 'templateId is not a UUID', 404: 'no such template' },
    },
    {
      method: 'put',
      path: '/v1/templates/{templateId}',
      operationId: 'updateTemplate',
      summary: 'Rename a template or change its body',
      description: 'Give `name`, `body` or both.',
      tag: 'templates',
      access: admin,
      pathParams: templateIdParam,
      requestBody: {
        required: true,
        content: json(updateTemplateSchema, {
          newBody: {
            summary: 'A new body',
            value: { body: 'Hi {{firstName}}, see you at {{address}} at {{time}} tomorrow.' },
          },
        }),
      },
      responses: { 200: { description: 'the template now', content: json(responses.templateViewSchema) } },
      errors: {
        400: `${BAD_BODY}; or templateId is not a UUID`,
        404: 'no such template',
        409: 'a template with this name exists',
        413: 'body larger than 256 kB',
      },
    },
    {
      method: 'delete',
      path: '/v1/templates/{templateId}',
      operationId: 'deleteTemplate',
      summary: 'Delete a template',
      description: 'Texts already queued from it are not affected.',
      tag: 'templates',
      access: admin,
      pathParams: templateIdParam,
      responses: { 204: { description: 'deleted' } },
      errors: { 400: 'templateId is not a UUID', 404: 'no such template' },
    },
  ],
  requestSchemas: { CreateTemplateRequest: createTemplateSchema, UpdateTemplateRequest: updateTemplateSchema },
  responseSchemas: { Template: responses.templateViewSchema, TemplateList: responses.templateListSchema },
};
