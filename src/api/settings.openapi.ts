import { z } from 'zod';
import { REPLY_LANGUAGES, type ReplyLanguage } from '../../workflows/inbound-keywords';
import { ACCOUNT_TEXTS, LOCALIZABLE_TEXTS, type AccountTextName } from '../consent/template-rules';
import * as responses from '../openapi/response-schemas';
import { WEEKDAYS } from '../sending-window/state-rules';
import { admin, agent, BAD_BODY, json, OPT_IN_TEMPLATE, type RouterOpenApi } from '../openapi/operation-spec';
import { a2pStatusSchema, accountTextSchema, messagingSettingsSchema, sendingWindowSchema } from './settings';

const accountTextName = z.enum(Object.keys(ACCOUNT_TEXTS) as [keyof typeof ACCOUNT_TEXTS]);
const nameParam = {
  name: {
    schema: accountTextName,
    description: 'which account text; a2p and messaging have their own operations',
  },
};
/** 200 of GET /v1/settings/sending-window: the window as stored, `noSendDays` always present. */
const sendingWindowResultSchema = z.object({
  start: z.string().describe("'HH:MM'"),
  end: z.string().describe("'HH:MM', exclusive"),
  noSendDays: z.array(z.enum(WEEKDAYS)),
});
/** 200 of PUT /v1/settings/sending-window. */
const sendingWindowUpdatedSchema = sendingWindowResultSchema.extend({
  replanned: z.number().int().describe('numbers whose waiting texts are planned again'),
});

/** Query of the account-text operations. */
const accountTextQuerySchema = z.object({ language: z.enum(REPLY_LANGUAGES).optional() });
/**
 * What DELETE accepts, as src/api/settings.ts checks it by hand: only a text that answers replies has other
 * languages (LOCALIZABLE_TEXTS), and only those (not the main `en` text) can be removed.
 */
const localizableNameParam = {
  name: {
    schema: z.enum([...LOCALIZABLE_TEXTS] as [AccountTextName, ...AccountTextName[]]),
    description: 'which account text: only the texts that answer a reply have other languages',
  },
};
const removeLanguageQuerySchema = z.object({
  language: z.enum(REPLY_LANGUAGES.filter((language) => language !== 'en') as [ReplyLanguage, ...ReplyLanguage[]]),
});
const languageDescription =
  'en (the main text, the default), es or fr: the language of the replies this text answers (docs/keywords.md)';

/** The OpenAPI description of /v1/settings (src/api/settings.ts). */
export const settingsOpenApi: RouterOpenApi = {
  operations: [
    {
      method: 'get',
      path: '/v1/settings/a2p',
      operationId: 'getA2pStatus',
      summary: "The account's A2P 10DLC status",
      description: 'Nothing is sent for an account whose status is not `verified`.',
      tag: 'settings',
      access: admin,
      responses: { 200: { description: 'the status', content: json(responses.a2pSettingSchema) } },
      errors: { 404: 'the account no longer exists' },
    },
    {
      method: 'put',
      path: '/v1/settings/a2p',
      operationId: 'setA2pStatus',
      summary: "Set the account's A2P 10DLC status",
      description: 'Recorded in the ledger. Leads whose opt-in was `not_sent` get it at their next message.',
      tag: 'settings',
      access: admin,
      requestBody: {
        required: true,
        content: json(a2pStatusSchema, {
          verified: { summary: 'The campaign was approved', value: { status: 'verified' } },
        }),
      },
      responses: { 200: { description: 'the new status', content: json(responses.a2pSettingSchema) } },
      errors: { 400: BAD_BODY, 413: 'body larger than 256 kB' },
    },
    {
      method: 'get',
      path: '/v1/settings/messaging',
      operationId: 'getMessagingSettings',
      summary: 'Hold limit and account keywords',
      description: "How long a held text waits for START, and the account's keywords on top of the built-in ones.",
      tag: 'settings',
      access: agent,
      responses: { 200: { description: 'the settings', content: json(responses.messagingSettingsResultSchema) } },
      errors: { 404: 'the account no longer exists' },
    },
    {
      method: 'put',
      path: '/v1/settings/messaging',
      operationId: 'setMessagingSettings',
      summary: 'Change the hold limit or the account keywords',
      description: 'Fields left out keep their value. A keyword list replaces the previous list.',
      tag: 'settings',
      access: admin,
      requestBody: {
        required: true,
        content: json(messagingSettingsSchema, {
          spanishKeywords: {
            summary: 'Two weeks, and Spanish keywords',
            value: { holdLimitDays: 14, keywords: { optOut: ['ALTO', 'PARAR'], optIn: ['SI'], help: ['AYUDA'] } },
          },
        }),
      },
      responses: { 200: { description: 'the settings now', content: json(responses.messagingSettingsResultSchema) } },
      errors: { 400: BAD_BODY, 404: 'the account no longer exists', 413: 'body larger than 256 kB' },
    },
    // The sending window (quiet hours), src/api/settings.ts `/sending-window`.
    {
      method: 'get',
      path: '/v1/settings/sending-window',
      operationId: 'getSendingWindow',
      summary: "The account's sending window",
      description:
        "The hours, in each recipient's local time, in which texts go out, and the weekdays on which none do. It " +
        'narrows the federal 08:00-21:00 window; state rules apply on top (docs/quiet-hours.md).',
      tag: 'settings',
      access: agent,
      responses: { 200: { description: 'the window', content: json(sendingWindowResultSchema) } },
      errors: { 404: 'the account no longer exists' },
    },
    {
      method: 'put',
      path: '/v1/settings/sending-window',
      operationId: 'setSendingWindow',
      summary: "Change the account's sending window",
      description:
        'Checked after parsing (400 `invalid_sending_window`): `start` and `end` are 24-hour `HH:MM`, `start` is ' +
        'earlier than `end`, the window lies inside 08:00-21:00 (47 CFR 64.1200(c)(1)), and `noSendDays` leaves at ' +
        "least one day open. Texts already waiting for the old window are planned again by their numbers' " +
        'workflows; `replanned` counts those numbers.',
      tag: 'settings',
      access: admin,
      requestBody: {
        required: true,
        content: json(sendingWindowSchema, {
          weekdays: {
            summary: 'Nine to five, not on weekends',
            value: { start: '09:00', end: '17:00', noSendDays: ['sat', 'sun'] },
          },
        }),
      },
      responses: { 200: { description: 'the window now', content: json(sendingWindowUpdatedSchema) } },
      errors: {
        400: `${BAD_BODY}, or the window breaks a rule (error invalid_sending_window)`,
        404: 'the account no longer exists',
        413: 'body larger than 256 kB',
      },
    },
    {
      method: 'get',
      path: '/v1/settings/{name}',
      operationId: 'getAccountText',
      summary: 'An account text (opt-in template, HELP reply, confirmations, clarification)',
      description:
        'The text and a preview of exactly what goes out (footer included) with its SMS segment count. With ' +
        '`language`, the text that answers a reply in that language; `isFallback` is true when the account has none ' +
        'and such a reply is answered with the main (English) text.',
      tag: 'settings',
      access: agent,
      pathParams: nameParam,
      query: { schema: accountTextQuerySchema, descriptions: { language: languageDescription } },
      responses: { 200: { description: 'the text', content: json(responses.accountTextResultSchema) } },
      errors: {
        400: 'the language is not one of en, es, fr, or it is not en for the opt-in template (it has no other languages)',
        404: 'no such setting',
      },
    },
    {
      method: 'put',
      path: '/v1/settings/{name}',
      operationId: 'setAccountText',
      summary: 'Change an account text',
      description:
        'Checked against carrier rules after parsing (400 `invalid_template` lists each problem): at most 3 segments ' +
        'with the footer; the opt-in must say to reply START and "Msg & data rates may apply"; the HELP reply must ' +
        'say how to opt out (STOP) and "Msg & data rates may apply"; the opt-out confirmation must carry no link; ' +
        'the opt-in confirmation must say "Msg & data rates may apply" and how to get HELP; the clarification must say ' +
        "how to reply STOP and START. A text in another `language` is checked with that language's words (e.g. " +
        '"Pueden aplicarse tarifas de mensajes y datos", ALTO, AYUDA). Only the texts that answer a reply have ' +
        'languages (help-reply, opt-out-confirmation, opt-in-confirmation, clarification): 400 for the opt-in template.',
      tag: 'settings',
      access: admin,
      pathParams: nameParam,
      query: { schema: accountTextQuerySchema, descriptions: { language: languageDescription } },
      requestBody: {
        required: true,
        content: json(accountTextSchema, {
          optInTemplate: { summary: 'An opt-in template (name opt-in-template)', value: { template: OPT_IN_TEMPLATE } },
          helpReply: {
            summary: 'A HELP reply (name help-reply)',
            value: {
              template: 'Acme Realty: call 555-0100 for help. Msg & data rates may apply. Reply STOP to opt out.',
            },
          },
        }),
      },
      responses: { 200: { description: 'the text now', content: json(responses.accountTextResultSchema) } },
      errors: {
        400: `${BAD_BODY}, or the text breaks a rule (error invalid_template), or the language is not one of en, es, fr`,
        404: 'no such setting',
        413: 'body larger than 256 kB',
      },
    },
    {
      method: 'delete',
      path: '/v1/settings/{name}',
      operationId: 'removeLocalizedAccountText',
      summary: 'Remove an account text in another language',
      description: 'Replies in that language are answered with the main (English) text again.',
      tag: 'settings',
      access: admin,
      pathParams: localizableNameParam,
      query: { schema: removeLanguageQuerySchema, descriptions: { language: 'the language of the text to remove' } },
      responses: { 204: { description: 'removed' } },
      errors: { 400: 'no language, `en`, or a text that has no other languages', 404: 'no such setting' },
    },
  ],
  requestSchemas: {
    SendingWindowRequest: sendingWindowSchema,
    A2pStatusRequest: a2pStatusSchema,
    MessagingSettingsRequest: messagingSettingsSchema,
    AccountTextRequest: accountTextSchema,
  },
  responseSchemas: {
    SendingWindow: sendingWindowResultSchema,
    SendingWindowUpdated: sendingWindowUpdatedSchema,
    A2pSetting: responses.a2pSettingSchema,
    MessagingSettings: responses.messagingSettingsResultSchema,
    AccountText: responses.accountTextResultSchema,
  },
};
