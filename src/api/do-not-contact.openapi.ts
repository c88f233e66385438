import { z } from 'zod';
import * as responses from '../openapi/response-schemas';
import { admin, agent, BAD_BODY, EXAMPLE_PHONE, json, type RouterOpenApi } from '../openapi/operation-spec';
import {
  addDoNotContactSchema,
  doNotContactLeadSearchQuerySchema,
  doNotContactQuerySchema,
  removeDoNotContactSchema,
} from './do-not-contact';

const CSV_FIELD = '[ \\t]*(?:"(?:[^"\\r]|"")*"[ \\t]*|[^",\\r\\n]*)';
const CSV_RECORD = `${CSV_FIELD}(?:,${CSV_FIELD})*`;
/**
 * The CSV the import always reads (csv-parse with the route's options): not blank, LF-terminated records of plain or
 * quoted fields. The reader takes more (other line ends, for one), so this is what a caller can rely on.
 */
const CSV_GRAMMAR = `^(?=[\\s\\S]*\\S)${CSV_RECORD}(?:\\n${CSV_RECORD})*$`;

/** The OpenAPI description of /v1/do-not-contact (src/api/do-not-contact.ts). */
export const doNotContactOpenApi: RouterOpenApi = {
  operations: [
    {
      method: 'get',
      path: '/v1/do-not-contact',
      operationId: 'searchDoNotContact',
      summary: 'Look up a number, or page through the Do Not Contact list',
      description:
        'With `phone`: whether that number is on the list (`DoNotContactLookup`). Without: the list, newest first, ' +
        '`limit` entries at a time (`DoNotContactPage`).',
      tag: 'do-not-contact',
      access: agent,
      query: {
        schema: doNotContactQuerySchema,
        descriptions: {
          phone: 'the number to look up, any common format (normalised to E.164)',
          limit: 'page size, without phone',
          cursor: 'the `nextCursor` of the previous page, as given (opaque); any other value answers 400',
        },
      },
      responses: {
        200: {
          description: 'a lookup (with phone) or a page (without)',
          content: json(responses.doNotContactSearchResultSchema, {
            listed: {
              summary: 'A number on the list',
              value: {
                phone: EXAMPLE_PHONE,
                isOnDoNotContact: true,
                entry: {
                  phone: EXAMPLE_PHONE,
                  source: 'sms',
                  reason: null,
                  actor: null,
                  createdAt: '2026-11-27T12:00:05.000Z',
                },
              },
            },
          }),
        },
      },
      errors: { 400: 'invalid query, phone or cursor' },
    },
    {
      method: 'get',
      path: '/v1/do-not-contact/search',
      operationId: 'searchDoNotContactLeads',
      summary: 'Find a number or a lead, with every lead on the number and its opt-in',
      description:
        '`q` is read both ways, since a lead ID may look like a number: as a phone number (any common format, ' +
        'normalised to E.164) and as a lead ID (exact), which stands for every number that lead has texted. For ' +
        'each number: whether it is on the Do Not Contact list (why and when), and every lead on it with its ' +
        'opt-in status (`not_sent` with the reason, `sent`, `accepted`, `rejected`). Neither a valid number nor a ' +
        'known lead: `numbers` is empty.',
      tag: 'do-not-contact',
      access: agent,
      query: {
        schema: doNotContactLeadSearchQuerySchema,
        descriptions: { q: 'a phone number in any common format, or a lead ID; not blank, at most 128 characters' },
      },
      responses: {
        200: {
          description: 'the numbers found (possibly none)',
          content: json(responses.doNotContactLeadSearchSchema, {
            twoLeads: {
              summary: 'A listed number two leads texted',
              value: {
                query: 'lead-1042',
                numbers: [
                  {
                    phone: EXAMPLE_PHONE,
                    isOnDoNotContact: true,
                    entry: {
                      phone: EXAMPLE_PHONE,
                      source: 'sms',
                      reason: 'opt-out reply',
                      actor: null,
                      createdAt: '2026-11-28T09:30:00.000Z',
                    },
                    leads: [
                      {
                        leadId: 'lead-1042',
                        phone: EXAMPLE_PHONE,
                        status: 'rejected',
                        reason: null,
                        updatedAt: '2026-11-28T09:30:00.000Z',
                      },
                      {
                        leadId: 'lead-0977',
                        phone: EXAMPLE_PHONE,
                        status: 'rejected',
                        reason: null,
                        updatedAt: '2026-11-28T09:30:00.000Z',
                      },
                    ],
                  },
                ],
              },
            },
          }),
        },
      },
      errors: { 400: '`q` is missing, blank, longer than 128 characters or contains NUL' },
    },
    {
      method: 'post',
      path: '/v1/do-not-contact',
      operationId: 'addDoNotContact',
      summary: 'Add a number to the Do Not Contact list',
      description:
        'Records a revocation received by any reasonable means (FCC): by SMS, phone call, email, the web or an ' +
        "operator. The number's held texts are cancelled and nothing more is sent to it until it replies START.",
      tag: 'do-not-contact',
      access: agent,
      requestBody: {
        required: true,
        content: json(addDoNotContactSchema, {
          byEmail: {
            summary: 'A lead asked by email not to be texted',
            value: { phone: EXAMPLE_PHONE, source: 'email', reason: 'asked by email on 2026-11-02 not to be texted' },
          },
        }),
      },
      responses: {
        201: { description: 'added', content: json(responses.doNotContactAddedSchema) },
        200: {
          description: 'already listed; nothing changed (isNew false)',
          content: json(responses.doNotContactAddedSchema),
        },
      },
      errors: { 400: `${BAD_BODY}, or the phone is not a valid number`, 413: 'body larger than 256 kB' },
    },
    {
      method: 'delete',
      path: '/v1/do-not-contact',
      operationId: 'removeDoNotContact',
      summary: 'Remove a mistaken Do Not Contact entry',
      description:
        'Removes a number added by mistake, with the reason (kept in the ledger). Leads rejected on that number get ' +
        'a fresh opt-in at their next message. The body is JSON even though the method is DELETE.',
      tag: 'do-not-contact',
      access: admin,
      requestBody: {
        required: true,
        content: json(removeDoNotContactSchema, {
          wrongNumber: {
            summary: 'A typo when the number was added',
            value: { phone: EXAMPLE_PHONE, reason: 'added by mistake: wrong number typed' },
          },
        }),
      },
      responses: { 204: { description: 'removed' } },
      errors: {
        400: `${BAD_BODY}, or the phone is not a valid number`,
        404: 'the number is not on the list',
        413: 'body larger than 256 kB',
      },
    },
    {
      method: 'post',
      path: '/v1/do-not-contact/import',
      operationId: 'importDoNotContact',
      summary: 'Import a suppression list (CSV)',
      description:
        'A CSV with a `phone` column (header optional) and optional `source` and `reason` columns. Every row is ' +
        'checked first: with bad rows nothing is imported (422 lists them) unless `skipInvalid=true`. The import is ' +
        'one transaction. With `Accept: application/x-ndjson` the answer streams one progress line per batch, then ' +
        'the summary. Imported numbers are blocked at once.',
      tag: 'do-not-contact',
      access: admin,
      query: {
        // The route reads `true` and takes any other value as false, so the document does not narrow it to an enum.
        schema: z.object({ skipInvalid: z.string().optional() }),
        descriptions: {
          skipInvalid:
            '`true`: import the valid rows and list the bad ones instead of refusing the file (any other value: refuse)',
        },
      },
      requestBody: {
        required: true,
        content: {
          'text/csv': {
            jsonSchema: {
              type: 'string',
              pattern: CSV_GRAMMAR,
              description:
                'phone[,source,reason] per line; source defaults to import. Not blank; lines end with LF; a field ' +
                'with a comma or a quote is quoted, its quotes doubled (RFC 4180). A CSV the reader cannot parse ' +
                'answers 400 `invalid_csv`.',
            },
            examples: {
              withHeader: {
                summary: 'Three columns with a header',
                value: `phone,source,reason\n${EXAMPLE_PHONE},email,asked by email\n+14155550199,phone_call,\n`,
              },
            },
          },
        },
      },
      responses: {
        200: {
          description: 'imported',
          content: {
            'application/json': { schema: responses.doNotContactImportSummarySchema },
            'application/x-ndjson': {
              jsonSchema: {
                type: 'string',
                description: '{"progress", "total"} per batch, then one line {"done": true, ...summary}',
              },
            },
          },
        },
      },
      errors: {
        400: 'no CSV body, or the CSV cannot be parsed',
        413: 'more than 100,000 rows or larger than 8 MB',
        422: 'some rows are invalid and skipInvalid is not true; details.badRows lists them; nothing was imported',
      },
    },
  ],
  requestSchemas: {
    AddDoNotContactRequest: addDoNotContactSchema,
    RemoveDoNotContactRequest: removeDoNotContactSchema,
  },
  responseSchemas: {
    DoNotContactEntry: responses.doNotContactEntrySchema,
    DoNotContactLookup: responses.doNotContactLookupSchema,
    DoNotContactPage: responses.doNotContactPageSchema,
    DoNotContactSearchResult: responses.doNotContactSearchResultSchema,
    DoNotContactLeadSearch: responses.doNotContactLeadSearchSchema,
    DoNotContactAdded: responses.doNotContactAddedSchema,
    DoNotContactImportSummary: responses.doNotContactImportSummarySchema,
  },
};
