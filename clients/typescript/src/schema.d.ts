/**
 * GENERATED FILE: do not edit. openapi-typescript 7 generated it from the OpenAPI document this service serves at
 * /openapi.json (buildOpenApiDocument() in src/openapi.ts). Regenerate after any API change with:
 *
 *   npm run client:generate
 */

export interface paths {
    "/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's latest texts
         * @description Texts in both directions across all leads, newest first, with their statuses: what the console's Messaging Center shows and polls. `status` keeps one text status; `optIn` keeps the opt-in texts whose lead stands at that opt-in status (each opt-in text carries it as `optIn`: `sent` while it waits, `accepted` after START, `rejected` after STOP, `not_sent` when it could not go out).
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["listRecentMessages"];
        put?: never;
        /**
         * Queue a text for a lead
         * @description Queues a composed `body`, or a `templateId` with its `variables`, for a lead. The number's consent workflow decides: a new lead first gets the Opt-In template and the text is held until the number replies START; an `accepted` lead gets it now; a number on Do Not Contact is `blocked`; an account that is not A2P verified fails with `a2p_not_verified`. Give exactly one of `body` and `templateId`; `variables` go with `templateId`. A repeated `idempotencyKey` answers 200 with the first result and `duplicate: true`.
         *
         *     Any API key (role `agent` or `admin`).
         */
        post: operations["queueMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find leads: the recent ones, or by the start of their ID or by number
         * @description The account's leads, newest change first, one row per lead and number (a lead that changed number has two), with the opt-in status. Without `q` (or with a blank one): the most recent. With `q`: the leads whose ID starts with it (case-sensitive, taken literally), and, when it is a valid phone number in any common format, the leads on that number.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["listLeads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/leads/{leadId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A lead's text history
         * @description The lead's texts in both directions, oldest first, with statuses: the opt-in, held and sent texts, confirmations and HELP replies, and the replies from its number.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["getLeadMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/leads/{leadId}/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A lead's consent
         * @description The opt-in status (`not_sent` with the reason, `sent`, `accepted`, `rejected`), whether the number is on Do Not Contact, and the lead's consent ledger rows.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["getLeadConsent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/do-not-contact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Look up a number, or page through the Do Not Contact list
         * @description With `phone`: whether that number is on the list (`DoNotContactLookup`). Without: the list, newest first, `limit` entries at a time (`DoNotContactPage`).
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["searchDoNotContact"];
        put?: never;
        /**
         * Add a number to the Do Not Contact list
         * @description Records a revocation received by any reasonable means (FCC): by SMS, phone call, email, the web or an operator. The number's held texts are cancelled and nothing more is sent to it until it replies START.
         *
         *     Any API key (role `agent` or `admin`).
         */
        post: operations["addDoNotContact"];
        /**
         * Remove a mistaken Do Not Contact entry
         * @description Removes a number added by mistake, with the reason (kept in the ledger). Leads rejected on that number get a fresh opt-in at their next message. The body is JSON even though the method is DELETE.
         *
         *     Needs an API key with role `admin`.
         */
        delete: operations["removeDoNotContact"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/do-not-contact/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find a number or a lead, with every lead on the number and its opt-in
         * @description `q` is read both ways, since a lead ID may look like a number: as a phone number (any common format, normalised to E.164) and as a lead ID (exact), which stands for every number that lead has texted. For each number: whether it is on the Do Not Contact list (why and when), and every lead on it with its opt-in status (`not_sent` with the reason, `sent`, `accepted`, `rejected`). Neither a valid number nor a known lead: `numbers` is empty.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["searchDoNotContactLeads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/do-not-contact/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a suppression list (CSV)
         * @description A CSV with a `phone` column (header optional) and optional `source` and `reason` columns. Every row is checked first: with bad rows nothing is imported (422 lists them) unless `skipInvalid=true`. The import is one transaction. With `Accept: application/x-ndjson` the answer streams one progress line per batch, then the summary. Imported numbers are blocked at once.
         *
         *     Needs an API key with role `admin`.
         */
        post: operations["importDoNotContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consent-events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export a number's consent history
         * @description Every consent ledger row for the number, oldest first, as JSON lines (one `ConsentExportLine` each), streamed as an attachment. This is the evidence a regulator or a court asks for.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["exportConsentEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/a2p": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's A2P 10DLC status
         * @description Nothing is sent for an account whose status is not `verified`.
         *
         *     Needs an API key with role `admin`.
         */
        get: operations["getA2pStatus"];
        /**
         * Set the account's A2P 10DLC status
         * @description Recorded in the ledger. Leads whose opt-in was `not_sent` get it at their next message.
         *
         *     Needs an API key with role `admin`.
         */
        put: operations["setA2pStatus"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/messaging": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Hold limit and account keywords
         * @description How long a held text waits for START, and the account's keywords on top of the built-in ones.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["getMessagingSettings"];
        /**
         * Change the hold limit or the account keywords
         * @description Fields left out keep their value. A keyword list replaces the previous list.
         *
         *     Needs an API key with role `admin`.
         */
        put: operations["setMessagingSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/sending-window": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's sending window
         * @description The hours, in each recipient's local time, in which texts go out, and the weekdays on which none do. It narrows the federal 08:00-21:00 window; state rules apply on top (docs/quiet-hours.md).
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["getSendingWindow"];
        /**
         * Change the account's sending window
         * @description Checked after parsing (400 `invalid_sending_window`): `start` and `end` are 24-hour `HH:MM`, `start` is earlier than `end`, the window lies inside 08:00-21:00 (47 CFR 64.1200(c)(1)), and `noSendDays` leaves at least one day open. Texts already waiting for the old window are planned again by their numbers' workflows; `replanned` counts those numbers.
         *
         *     Needs an API key with role `admin`.
         */
        put: operations["setSendingWindow"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An account text (opt-in template, HELP reply, confirmations, clarification)
         * @description The text and a preview of exactly what goes out (footer included) with its SMS segment count. With `language`, the text that answers a reply in that language; `isFallback` is true when the account has none and such a reply is answered with the main (English) text.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["getAccountText"];
        /**
         * Change an account text
         * @description Checked against carrier rules after parsing (400 `invalid_template` lists each problem): at most 3 segments with the footer; the opt-in must say to reply START and "Msg & data rates may apply"; the HELP reply must say how to opt out (STOP) and "Msg & data rates may apply"; the opt-out confirmation must carry no link; the opt-in confirmation must say "Msg & data rates may apply" and how to get HELP; the clarification must say how to reply STOP and START. A text in another `language` is checked with that language's words (e.g. "Pueden aplicarse tarifas de mensajes y datos", ALTO, AYUDA). Only the texts that answer a reply have languages (help-reply, opt-out-confirmation, opt-in-confirmation, clarification): 400 for the opt-in template.
         *
         *     Needs an API key with role `admin`.
         */
        put: operations["setAccountText"];
        post?: never;
        /**
         * Remove an account text in another language
         * @description Replies in that language are answered with the main (English) text again.
         *
         *     Needs an API key with role `admin`.
         */
        delete: operations["removeLocalizedAccountText"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's SMS Text templates
         * @description Each with the `{{variables}}` it uses and a preview.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["listTemplates"];
        put?: never;
        /**
         * Create a template
         * @description Names are unique within the account. Variables are written `{{name}}`.
         *
         *     Needs an API key with role `admin`.
         */
        post: operations["createTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{templateId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One template
         * @description The template with its variables and preview.
         *
         *     Any API key (role `agent` or `admin`).
         */
        get: operations["getTemplate"];
        /**
         * Rename a template or change its body
         * @description Give `name`, `body` or both.
         *
         *     Needs an API key with role `admin`.
         */
        put: operations["updateTemplate"];
        post?: never;
        /**
         * Delete a template
         * @description Texts already queued from it are not affected.
         *
         *     Needs an API key with role `admin`.
         */
        delete: operations["deleteTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's event endpoints
         * @description Each with its health; never its secret.
         *
         *     Needs an API key with role `admin`.
         */
        get: operations["listEventEndpoints"];
        put?: never;
        /**
         * Register an endpoint for pushed events
         * @description Every event of the account (see `webhooks`) is posted to it, signed per the Standard Webhooks specification with the `secret` in the answer, which is shown only here. In production the URL must be https on a public address (EVENT_ENDPOINTS_ALLOW_PRIVATE lifts the address rule). At most 10 per account.
         *
         *     Needs an API key with role `admin`.
         */
        post: operations["createEventEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-endpoints/{endpointId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One endpoint and its health
         * @description Failing after 3 failed attempts in a row, until the next acknowledged delivery.
         *
         *     Needs an API key with role `admin`.
         */
        get: operations["getEventEndpoint"];
        put?: never;
        post?: never;
        /**
         * Stop pushing events to an endpoint
         * @description Deliveries still waiting end `cancelled`.
         *
         *     Needs an API key with role `admin`.
         */
        delete: operations["deleteEventEndpoint"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-endpoints/{endpointId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new signing secret
         * @description The answer shows the new secret once. For 24 hours every delivery carries two signatures, one per secret, so the receiver can switch at any moment in that time.
         *
         *     Needs an API key with role `admin`.
         */
        post: operations["rotateEventEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-endpoints/{endpointId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The endpoint's recent deliveries
         * @description Newest event first, each with its attempts and the last answer.
         *
         *     Needs an API key with role `admin`.
         */
        get: operations["listEventDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-endpoints/{endpointId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deliver events again
         * @description Without `webhookIds`: the oldest 1,000 deliveries that ended `failed` (`remaining` says how many are left for the next call). With them: those events, whatever their state. Each goes out again with its own `webhook-id`, in order per number among the events still waiting.
         *
         *     Needs an API key with role `admin`.
         */
        post: operations["replayEventDeliveries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/codec/decode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decrypt Temporal payloads (codec server)
         * @description Temporal's remote codec protocol: the Web UI and `temporal --codec-endpoint <API>/v1/codec --codec-auth 'Bearer <operator key>'` POST a Payloads message in proto JSON (`metadata` values and `data` in base64). Every payload the service sends to Temporal is encrypted with AES-256-GCM (`binary/encrypted`, with the key id in `encryption-key-id`), so this is how an operator reads phone numbers and texts in a history. CORS admits the origin of `TEMPORAL_UI_URL`; a preflight needs no key. Each call is logged with the key that made it. Payloads that are not encrypted come back unchanged; the answer keeps the order of the request.
         *
         *     Needs an API key with role `admin`.
         */
        post: operations["decodePayloads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/codec/encode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Encrypt Temporal payloads (codec server)
         * @description Temporal's remote codec protocol: the Web UI and `temporal --codec-endpoint <API>/v1/codec --codec-auth 'Bearer <operator key>'` POST a Payloads message in proto JSON (`metadata` values and `data` in base64). Every payload the service sends to Temporal is encrypted with AES-256-GCM (`binary/encrypted`, with the key id in `encryption-key-id`), so this is how an operator reads phone numbers and texts in a history. CORS admits the origin of `TEMPORAL_UI_URL`; a preflight needs no key. Each call is logged with the key that made it. The Web UI encodes this way what an operator types to start or signal a workflow; the newest key (the first of PAYLOAD_ENCRYPTION_KEYS) encrypts.
         *
         *     Needs an API key with role `admin`.
         */
        post: operations["encodePayloads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/codec/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Page to open a codec session for the Temporal Web UI
         * @description An HTML form (no scripts) where an operator pastes an admin API key. The Web UI cannot send our key, so the session cookie carries it to /v1/codec/decode once "Include cross-origin credentials" is on in the UI.
         */
        get: operations["getCodecSessionPage"];
        put?: never;
        /**
         * Open a codec session (sets an HttpOnly, SameSite=Strict cookie for /v1/codec, 8 hours)
         * @description Form post of `apiKey`; only an active operator key opens a session. Answers the page again.
         */
        post: operations["openCodecSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/vonage/inbound": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Vonage: an inbound message
         * @description A reply from a number, sent by the Vonage Messages API in the v1 or the v0.1 webhook format, on any channel. SMS, MMS, RCS, WhatsApp and Viber senders are phone numbers and are handled alike: the account is found by `to`, and the text read is the message text, an image, video or file caption, or the title of a tapped reply or button (none for stickers, locations and the like: such a message is stored and changes nothing). STOP (and the other opt-out words) commits the Do Not Contact row before the 200; START, HELP and ordinary replies reach the number's workflow. A redelivered `message_uuid`, a message to a number no account owns, or one from a Messenger id (not a phone number) answers 200 and changes nothing. Only `message_uuid`, `to` and `from` are required; every other field is optional and extra fields are ignored.
         */
        post: operations["receiveInboundMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/vonage/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Vonage: a status callback
         * @description A delivery receipt (`submitted`, `delivered`, `rejected`, `undeliverable`, `read`) for a text we sent, in the v1 or the v0.1 webhook format (v0.1 `error` `{code, reason}` is read like v1 `{title, detail}`). The account is found by `from` (our sending number); the text by `message_uuid`, else by `client_ref` (our message id). A carrier-level opt-out puts the number on Do Not Contact. Any other status answers 200 and changes nothing. Only `message_uuid`, `to` and `from` are required.
         */
        post: operations["receiveMessageStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description The process is up; checks nothing else.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description 200 when Postgres and Temporal both answer, else 503 with which one failed.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description HTTP latency by route, webhook outcomes, and texts, held texts and consent events counted in Postgres.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This OpenAPI document
         * @description OpenAPI 3.1, generated from the schemas the routes validate with.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document as a web page
         * @description Server-rendered HTML, no scripts.
         */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The console
         * @description One HTML page (scripts and styles under /console/, no inline code, nothing from a CDN). It signs in with an admin or agent API key kept in the tab's sessionStorage and calls this API with it: Messaging Center, lead details with the text history, the Do Not Contact list and the account texts. The key decides what it may do; the page itself is public.
         */
        get: operations["getConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/config.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The console's configuration
         * @description Where the Temporal Web UI is, so the console can link a lead to its workflow.
         */
        get: operations["getConsoleConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of the console's scripts or its stylesheet
         * @description An ES module (`text/javascript`) or `style.css`. Only the listed files are served.
         */
        get: operations["getConsoleAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "lead.consent.changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A lead's opt-in status changed
         * @description Sent, accepted (START), rejected (STOP or a carrier opt-out) or back to not sent. One event per lead: a STOP to a number with two leads sends two.
         *
         *     Posted to each of the account's event endpoints, at least once, in order per number. Answer any 2xx to acknowledge; anything else (or no answer within 10 s) is retried with backoff for 25 hours.
         */
        post: operations["event_lead_consent_changed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "message.status.changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An outbound text changed state
         * @description Every state a CRM acts on: held (waiting for opt-in), scheduled (waiting for the sending window), sent, delivered, failed, blocked, cancelled, expired.
         *
         *     Posted to each of the account's event endpoints, at least once, in order per number. Answer any 2xx to acknowledge; anything else (or no answer within 10 s) is retried with backoff for 25 hours.
         */
        post: operations["event_message_status_changed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "do_not_contact.changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A number was added to or removed from the Do Not Contact list
         * @description By a STOP or START reply, a carrier opt-out, the API, the console, the CLI or an import.
         *
         *     Posted to each of the account's event endpoints, at least once, in order per number. Answer any 2xx to acknowledge; anything else (or no answer within 10 s) is retried with backoff for 25 hours.
         */
        post: operations["event_do_not_contact_changed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        QueueMessageRequest: {
            leadId: string;
            /**
             * Format: phone
             * @description A phone number libphonenumber (full metadata) finds valid, at most 32 characters. E.164 (`+14155550123`) or digits with the country code (`14155550123`, as Vonage writes it) always work for a US number whose area code is in service; a number without `+` is read as US, and common notations such as `(415) 555-0123` or `415.555.0123` are read too. Anything else answers 400 `invalid_phone`.
             * @example +14155550123
             */
            phone: string;
            body?: string;
            /** Format: uuid */
            templateId?: string;
            variables?: {
                [key: string]: string;
            };
            idempotencyKey?: string & (unknown & unknown);
            /**
             * @description the lead's IANA time zone, from the CRM's address; wins over the number's area code for quiet hours
             * @enum {string}
             */
            timeZone?: "Africa/Abidjan" | "Africa/Accra" | "Africa/Addis_Ababa" | "Africa/Algiers" | "Africa/Asmera" | "Africa/Bamako" | "Africa/Bangui" | "Africa/Banjul" | "Africa/Bissau" | "Africa/Blantyre" | "Africa/Brazzaville" | "Africa/Bujumbura" | "Africa/Cairo" | "Africa/Casablanca" | "Africa/Ceuta" | "Africa/Conakry" | "Africa/Dakar" | "Africa/Dar_es_Salaam" | "Africa/Djibouti" | "Africa/Douala" | "Africa/El_Aaiun" | "Africa/Freetown" | "Africa/Gaborone" | "Africa/Harare" | "Africa/Johannesburg" | "Africa/Juba" | "Africa/Kampala" | "Africa/Khartoum" | "Africa/Kigali" | "Africa/Kinshasa" | "Africa/Lagos" | "Africa/Libreville" | "Africa/Lome" | "Africa/Luanda" | "Africa/Lubumbashi" | "Africa/Lusaka" | "Africa/Malabo" | "Africa/Maputo" | "Africa/Maseru" | "Africa/Mbabane" | "Africa/Mogadishu" | "Africa/Monrovia" | "Africa/Nairobi" | "Africa/Ndjamena" | "Africa/Niamey" | "Africa/Nouakchott" | "Africa/Ouagadougou" | "Africa/Porto-Novo" | "Africa/Sao_Tome" | "Africa/Tripoli" | "Africa/Tunis" | "Africa/Windhoek" | "America/Adak" | "America/Anchorage" | "America/Anguilla" | "America/Antigua" | "America/Araguaina" | "America/Argentina/La_Rioja" | "America/Argentina/Rio_Gallegos" | "America/Argentina/Salta" | "America/Argentina/San_Juan" | "America/Argentina/San_Luis" | "America/Argentina/Tucuman" | "America/Argentina/Ushuaia" | "America/Aruba" | "America/Asuncion" | "America/Bahia" | "America/Bahia_Banderas" | "America/Barbados" | "America/Belem" | "America/Belize" | "America/Blanc-Sablon" | "America/Boa_Vista" | "America/Bogota" | "America/Boise" | "America/Buenos_Aires" | "America/Cambridge_Bay" | "America/Campo_Grande" | "America/Cancun" | "America/Caracas" | "America/Catamarca" | "America/Cayenne" | "America/Cayman" | "America/Chicago" | "America/Chihuahua" | "America/Ciudad_Juarez" | "America/Coral_Harbour" | "America/Cordoba" | "America/Costa_Rica" | "America/Coyhaique" | "America/Creston" | "America/Cuiaba" | "America/Curacao" | "America/Danmarkshavn" | "America/Dawson" | "America/Dawson_Creek" | "America/Denver" | "America/Detroit" | "America/Dominica" | "America/Edmonton" | "America/Eirunepe" | "America/El_Salvador" | "America/Fort_Nelson" | "America/Fortaleza" | "America/Glace_Bay" | "America/Godthab" | "America/Goose_Bay" | "America/Grand_Turk" | "America/Grenada" | "America/Guadeloupe" | "America/Guatemala" | "America/Guayaquil" | "America/Guyana" | "America/Halifax" | "America/Havana" | "America/Hermosillo" | "America/Indiana/Knox" | "America/Indiana/Marengo" | "America/Indiana/Petersburg" | "America/Indiana/Tell_City" | "America/Indiana/Vevay" | "America/Indiana/Vincennes" | "America/Indiana/Winamac" | "America/Indianapolis" | "America/Inuvik" | "America/Iqaluit" | "America/Jamaica" | "America/Jujuy" | "America/Juneau" | "America/Kentucky/Monticello" | "America/Kralendijk" | "America/La_Paz" | "America/Lima" | "America/Los_Angeles" | "America/Louisville" | "America/Lower_Princes" | "America/Maceio" | "America/Managua" | "America/Manaus" | "America/Marigot" | "America/Martinique" | "America/Matamoros" | "America/Mazatlan" | "America/Mendoza" | "America/Menominee" | "America/Merida" | "America/Metlakatla" | "America/Mexico_City" | "America/Miquelon" | "America/Moncton" | "America/Monterrey" | "America/Montevideo" | "America/Montserrat" | "America/Nassau" | "America/New_York" | "America/Nome" | "America/Noronha" | "America/North_Dakota/Beulah" | "America/North_Dakota/Center" | "America/North_Dakota/New_Salem" | "America/Ojinaga" | "America/Panama" | "America/Paramaribo" | "America/Phoenix" | "America/Port-au-Prince" | "America/Port_of_Spain" | "America/Porto_Velho" | "America/Puerto_Rico" | "America/Punta_Arenas" | "America/Rankin_Inlet" | "America/Recife" | "America/Regina" | "America/Resolute" | "America/Rio_Branco" | "America/Santarem" | "America/Santiago" | "America/Santo_Domingo" | "America/Sao_Paulo" | "America/Scoresbysund" | "America/Sitka" | "America/St_Barthelemy" | "America/St_Johns" | "America/St_Kitts" | "America/St_Lucia" | "America/St_Thomas" | "America/St_Vincent" | "America/Swift_Current" | "America/Tegucigalpa" | "America/Thule" | "America/Tijuana" | "America/Toronto" | "America/Tortola" | "America/Vancouver" | "America/Whitehorse" | "America/Winnipeg" | "America/Yakutat" | "Antarctica/Casey" | "Antarctica/Davis" | "Antarctica/DumontDUrville" | "Antarctica/Macquarie" | "Antarctica/Mawson" | "Antarctica/McMurdo" | "Antarctica/Palmer" | "Antarctica/Rothera" | "Antarctica/Syowa" | "Antarctica/Troll" | "Antarctica/Vostok" | "Arctic/Longyearbyen" | "Asia/Aden" | "Asia/Almaty" | "Asia/Amman" | "Asia/Anadyr" | "Asia/Aqtau" | "Asia/Aqtobe" | "Asia/Ashgabat" | "Asia/Atyrau" | "Asia/Baghdad" | "Asia/Bahrain" | "Asia/Baku" | "Asia/Bangkok" | "Asia/Barnaul" | "Asia/Beirut" | "Asia/Bishkek" | "Asia/Brunei" | "Asia/Calcutta" | "Asia/Chita" | "Asia/Colombo" | "Asia/Damascus" | "Asia/Dhaka" | "Asia/Dili" | "Asia/Dubai" | "Asia/Dushanbe" | "Asia/Famagusta" | "Asia/Gaza" | "Asia/Hebron" | "Asia/Hong_Kong" | "Asia/Hovd" | "Asia/Irkutsk" | "Asia/Jakarta" | "Asia/Jayapura" | "Asia/Jerusalem" | "Asia/Kabul" | "Asia/Kamchatka" | "Asia/Karachi" | "Asia/Katmandu" | "Asia/Khandyga" | "Asia/Krasnoyarsk" | "Asia/Kuala_Lumpur" | "Asia/Kuching" | "Asia/Kuwait" | "Asia/Macau" | "Asia/Magadan" | "Asia/Makassar" | "Asia/Manila" | "Asia/Muscat" | "Asia/Nicosia" | "Asia/Novokuznetsk" | "Asia/Novosibirsk" | "Asia/Omsk" | "Asia/Oral" | "Asia/Phnom_Penh" | "Asia/Pontianak" | "Asia/Pyongyang" | "Asia/Qatar" | "Asia/Qostanay" | "Asia/Qyzylorda" | "Asia/Rangoon" | "Asia/Riyadh" | "Asia/Saigon" | "Asia/Sakhalin" | "Asia/Samarkand" | "Asia/Seoul" | "Asia/Shanghai" | "Asia/Singapore" | "Asia/Srednekolymsk" | "Asia/Taipei" | "Asia/Tashkent" | "Asia/Tbilisi" | "Asia/Tehran" | "Asia/Thimphu" | "Asia/Tokyo" | "Asia/Tomsk" | "Asia/Ulaanbaatar" | "Asia/Urumqi" | "Asia/Ust-Nera" | "Asia/Vientiane" | "Asia/Vladivostok" | "Asia/Yakutsk" | "Asia/Yekaterinburg" | "Asia/Yerevan" | "Atlantic/Azores" | "Atlantic/Bermuda" | "Atlantic/Canary" | "Atlantic/Cape_Verde" | "Atlantic/Faeroe" | "Atlantic/Madeira" | "Atlantic/Reykjavik" | "Atlantic/South_Georgia" | "Atlantic/St_Helena" | "Atlantic/Stanley" | "Australia/Adelaide" | "Australia/Brisbane" | "Australia/Broken_Hill" | "Australia/Darwin" | "Australia/Eucla" | "Australia/Hobart" | "Australia/Lindeman" | "Australia/Lord_Howe" | "Australia/Melbourne" | "Australia/Perth" | "Australia/Sydney" | "Europe/Amsterdam" | "Europe/Andorra" | "Europe/Astrakhan" | "Europe/Athens" | "Europe/Belgrade" | "Europe/Berlin" | "Europe/Bratislava" | "Europe/Brussels" | "Europe/Bucharest" | "Europe/Budapest" | "Europe/Busingen" | "Europe/Chisinau" | "Europe/Copenhagen" | "Europe/Dublin" | "Europe/Gibraltar" | "Europe/Guernsey" | "Europe/Helsinki" | "Europe/Isle_of_Man" | "Europe/Istanbul" | "Europe/Jersey" | "Europe/Kaliningrad" | "Europe/Kiev" | "Europe/Kirov" | "Europe/Lisbon" | "Europe/Ljubljana" | "Europe/London" | "Europe/Luxembourg" | "Europe/Madrid" | "Europe/Malta" | "Europe/Mariehamn" | "Europe/Minsk" | "Europe/Monaco" | "Europe/Moscow" | "Europe/Oslo" | "Europe/Paris" | "Europe/Podgorica" | "Europe/Prague" | "Europe/Riga" | "Europe/Rome" | "Europe/Samara" | "Europe/San_Marino" | "Europe/Sarajevo" | "Europe/Saratov" | "Europe/Simferopol" | "Europe/Skopje" | "Europe/Sofia" | "Europe/Stockholm" | "Europe/Tallinn" | "Europe/Tirane" | "Europe/Ulyanovsk" | "Europe/Vaduz" | "Europe/Vatican" | "Europe/Vienna" | "Europe/Vilnius" | "Europe/Volgograd" | "Europe/Warsaw" | "Europe/Zagreb" | "Europe/Zurich" | "Indian/Antananarivo" | "Indian/Chagos" | "Indian/Christmas" | "Indian/Cocos" | "Indian/Comoro" | "Indian/Kerguelen" | "Indian/Mahe" | "Indian/Maldives" | "Indian/Mauritius" | "Indian/Mayotte" | "Indian/Reunion" | "Pacific/Apia" | "Pacific/Auckland" | "Pacific/Bougainville" | "Pacific/Chatham" | "Pacific/Easter" | "Pacific/Efate" | "Pacific/Enderbury" | "Pacific/Fakaofo" | "Pacific/Fiji" | "Pacific/Funafuti" | "Pacific/Galapagos" | "Pacific/Gambier" | "Pacific/Guadalcanal" | "Pacific/Guam" | "Pacific/Honolulu" | "Pacific/Kiritimati" | "Pacific/Kosrae" | "Pacific/Kwajalein" | "Pacific/Majuro" | "Pacific/Marquesas" | "Pacific/Midway" | "Pacific/Nauru" | "Pacific/Niue" | "Pacific/Norfolk" | "Pacific/Noumea" | "Pacific/Pago_Pago" | "Pacific/Palau" | "Pacific/Pitcairn" | "Pacific/Ponape" | "Pacific/Port_Moresby" | "Pacific/Rarotonga" | "Pacific/Saipan" | "Pacific/Tahiti" | "Pacific/Tarawa" | "Pacific/Tongatapu" | "Pacific/Truk" | "Pacific/Wake" | "Pacific/Wallis";
            /** @description the lead's US state (two letters); the state's quiet-hours rules apply on top of the window */
            state?: string;
        } & ({
            templateId?: never;
            variables?: never;
        } | {
            body?: never;
        });
        AddDoNotContactRequest: {
            /**
             * Format: phone
             * @description A phone number libphonenumber (full metadata) finds valid, at most 32 characters. E.164 (`+14155550123`) or digits with the country code (`14155550123`, as Vonage writes it) always work for a US number whose area code is in service; a number without `+` is read as US, and common notations such as `(415) 555-0123` or `415.555.0123` are read too. Anything else answers 400 `invalid_phone`.
             * @example +14155550123
             */
            phone: string;
            /** @enum {string} */
            source: "sms" | "phone_call" | "email" | "web" | "operator";
            reason?: string;
        };
        RemoveDoNotContactRequest: {
            /**
             * Format: phone
             * @description A phone number libphonenumber (full metadata) finds valid, at most 32 characters. E.164 (`+14155550123`) or digits with the country code (`14155550123`, as Vonage writes it) always work for a US number whose area code is in service; a number without `+` is read as US, and common notations such as `(415) 555-0123` or `415.555.0123` are read too. Anything else answers 400 `invalid_phone`.
             * @example +14155550123
             */
            phone: string;
            reason: string & (unknown & unknown);
        };
        SendingWindowRequest: {
            /** @description 'HH:MM' in the recipient's local time, 24-hour; not before 08:00 */
            start: string;
            /** @description 'HH:MM', exclusive; not after 21:00 and later than start */
            end: string;
            /** @description weekdays on which nothing is sent (sun … sat); at least one day must stay open */
            noSendDays?: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
        };
        A2pStatusRequest: {
            /** @enum {string} */
            status: "unverified" | "pending" | "verified" | "failed";
        };
        MessagingSettingsRequest: {
            holdLimitDays?: number;
            keywords?: {
                optOut?: (string & (unknown & unknown))[];
                optIn?: (string & (unknown & unknown))[];
                help?: (string & (unknown & unknown))[];
            };
        };
        AccountTextRequest: {
            template: string & (unknown & unknown);
        };
        CreateTemplateRequest: {
            name: string & (unknown & unknown);
            body: string & (unknown & unknown);
        };
        UpdateTemplateRequest: {
            name?: string & (unknown & unknown);
            body?: string & (unknown & unknown);
        };
        CreateEventEndpoint: {
            /** Format: uri */
            url: string;
            description?: string;
        };
        ReplayEvents: {
            webhookIds?: string[];
        };
        CodecPayloadsRequest: {
            payloads: ({
                metadata?: {
                    [key: string]: string;
                } | null;
                data?: string | null;
            } & {
                [key: string]: unknown;
            })[];
        };
        /** @description A Vonage Messages API inbound message in the v1 or the v0.1 webhook format, on any channel. Only `message_uuid`, `to` and `from` are required; every other field Vonage sends is accepted. */
        VonageInboundMessage: {
            message_uuid: string;
            to: string | ({
                type?: string;
                number?: string;
                id?: string;
            } & {
                [key: string]: unknown;
            });
            from: string | ({
                type?: string;
                number?: string;
                id?: string;
            } & {
                [key: string]: unknown;
            });
            /** @description v1: sms, mms, rcs, whatsapp, messenger, viber_service */
            channel?: string;
            /** @description v1: text, image, audio, video, file, vcard, reply, button, … */
            message_type?: string;
            timestamp?: string;
            /** @description v1: the text of a text message */
            text?: string;
            /** @description v0.1: `content.type` and the text in `content.text` or a caption in `content.<type>.caption` */
            message?: {
                content?: {
                    type?: string;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description A Vonage Messages API status callback in the v1 or the v0.1 webhook format, on any channel. Only `message_uuid`, `to` and `from` are required; every other field Vonage sends is accepted. */
        VonageMessageStatus: {
            message_uuid: string;
            to: string | ({
                type?: string;
                number?: string;
                id?: string;
            } & {
                [key: string]: unknown;
            });
            from: string | ({
                type?: string;
                number?: string;
                id?: string;
            } & {
                [key: string]: unknown;
            });
            timestamp?: string;
            /** @description submitted, delivered, rejected, undeliverable, read; others are ignored */
            status?: string;
            channel?: string;
            client_ref?: string;
            /** @description v1: RFC 7807 `{type, title, detail, instance}`; v0.1: `{code, reason}` */
            error?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        Error: {
            /** @description machine-readable code, e.g. invalid_request, unauthorized, not_found */
            error: string;
            /** @description human-readable explanation; never contains a phone number */
            message: string;
            /** @description for invalid_request: a list of {path, message}; for missing_variables: {missing}; for invalid_rows: {badRows} */
            details?: unknown;
            /** @description the x-request-id of the request, for support */
            requestId: string;
        };
        WebhookError: {
            /** @description machine-readable code, e.g. invalid_request, unauthorized, not_found */
            error: string;
            /** @description human-readable explanation; never contains a phone number */
            message: string;
            /** @description for invalid_request: a list of {path, message}; for missing_variables: {missing}; for invalid_rows: {badRows} */
            details?: unknown;
            requestId?: string;
        };
        QueueMessageResult: {
            /** Format: uuid */
            messageId: string;
            /** @enum {string} */
            status: "queued" | "held" | "scheduled" | "sending" | "sent" | "delivered" | "failed" | "blocked" | "cancelled" | "expired" | "received";
            /** @enum {string} */
            optIn: "not_sent" | "sent" | "accepted" | "rejected";
            /**
             * @description why the text did not go out (status failed or blocked)
             * @enum {string}
             */
            reason?: "a2p_not_verified" | "invalid_number" | "provider_refused" | "provider_auth_failed" | "insufficient_balance" | "send_outcome_unknown" | "do_not_contact" | "lead_rejected" | "not_opted_in" | "hold_expired" | "opted_out" | "sends_paused" | "outside_sending_window" | "no_sending_window";
            /** @description quiet hours: when a `scheduled` text goes out, or when a held text's opt-in goes out, in the recipient's window */
            sendAt?: string;
            /** @description true when the idempotencyKey (or the retried call) was seen before */
            duplicate: boolean;
        };
        RecentMessages: {
            /** @description newest first */
            messages: {
                messageId: string;
                /** @enum {string} */
                direction: "outbound" | "inbound";
                /** @description lead, opt_in, opt_out_confirmation, opt_in_confirmation, help_reply, clarification (outbound); inbound */
                kind: string;
                leadId: string | null;
                /** @description the text as sent, footer included */
                body: string;
                /** @enum {string} */
                status: "queued" | "held" | "scheduled" | "sending" | "sent" | "delivered" | "failed" | "blocked" | "cancelled" | "expired" | "received";
                reason: ("a2p_not_verified" | "invalid_number" | "provider_refused" | "provider_auth_failed" | "insufficient_balance" | "send_outcome_unknown" | "do_not_contact" | "lead_rejected" | "not_opted_in" | "hold_expired" | "opted_out" | "sends_paused" | "outside_sending_window" | "no_sending_window") | null;
                providerMessageId: string | null;
                /** @description ISO 8601 timestamp */
                createdAt: string;
                sentAt: string | null;
                deliveredAt: string | null;
                /** @description quiet hours: when a `scheduled` text goes out */
                sendAt: string | null;
                /** @description E.164: the lead's number, or the number a reply came from */
                phone: string;
                /** @description for an opt-in text, how its lead stands on it; null for other texts */
                optIn: ("not_sent" | "sent" | "accepted" | "rejected") | null;
            }[];
        };
        LeadSummary: {
            leadId: string;
            /** @description E.164 */
            phone: string;
            /** @enum {string} */
            status: "not_sent" | "sent" | "accepted" | "rejected";
            /** @description why the opt-in was not sent (status not_sent); null otherwise */
            reason: ("a2p_not_verified" | "invalid_number" | "provider_refused" | "provider_auth_failed" | "insufficient_balance" | "send_outcome_unknown" | "do_not_contact" | "lead_rejected" | "not_opted_in" | "hold_expired" | "opted_out" | "sends_paused" | "outside_sending_window" | "no_sending_window") | null;
            /** @description when the lead's opt-in status last changed */
            updatedAt: string;
        };
        LeadList: {
            /** @description newest change first */
            leads: components["schemas"]["LeadSummary"][];
        };
        Message: {
            messageId: string;
            /** @enum {string} */
            direction: "outbound" | "inbound";
            /** @description lead, opt_in, opt_out_confirmation, opt_in_confirmation, help_reply, clarification (outbound); inbound */
            kind: string;
            leadId: string | null;
            /** @description the text as sent, footer included */
            body: string;
            /** @enum {string} */
            status: "queued" | "held" | "scheduled" | "sending" | "sent" | "delivered" | "failed" | "blocked" | "cancelled" | "expired" | "received";
            reason: ("a2p_not_verified" | "invalid_number" | "provider_refused" | "provider_auth_failed" | "insufficient_balance" | "send_outcome_unknown" | "do_not_contact" | "lead_rejected" | "not_opted_in" | "hold_expired" | "opted_out" | "sends_paused" | "outside_sending_window" | "no_sending_window") | null;
            providerMessageId: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            sentAt: string | null;
            deliveredAt: string | null;
            /** @description quiet hours: when a `scheduled` text goes out */
            sendAt: string | null;
        };
        LeadMessages: {
            leadId: string;
            /** @enum {string} */
            optIn: "not_sent" | "sent" | "accepted" | "rejected";
            /** @description oldest first */
            messages: components["schemas"]["Message"][];
        };
        ConsentEvent: {
            eventId: string;
            /** @description e.g. opt_in_sent, opted_in, opted_out, do_not_contact_added, do_not_contact_removed */
            eventType: string;
            source: string;
            leadId: string | null;
            /** @description the inbound text, verbatim, for a consent change by SMS */
            rawText: string | null;
            providerMessageId: string | null;
            /** @description the opt-in text the lead was shown */
            optInText: string | null;
            actor: string | null;
            messageId: string | null;
            details: unknown;
            /** @description ISO 8601 timestamp */
            occurredAt: string;
            /** @description ISO 8601 timestamp */
            recordedAt: string;
        };
        LeadConsent: {
            leadId: string;
            /** @enum {string} */
            status: "not_sent" | "sent" | "accepted" | "rejected";
            /** @description E.164 */
            phone: string;
            /**
             * @description why the opt-in was not sent (status not_sent)
             * @enum {string}
             */
            reason?: "a2p_not_verified" | "invalid_number" | "provider_refused" | "provider_auth_failed" | "insufficient_balance" | "send_outcome_unknown" | "do_not_contact" | "lead_rejected" | "not_opted_in" | "hold_expired" | "opted_out" | "sends_paused" | "outside_sending_window" | "no_sending_window";
            isOnDoNotContact: boolean;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
            events: components["schemas"]["ConsentEvent"][];
        };
        DoNotContactEntry: {
            /** @description E.164 */
            phone: string;
            /** @enum {string} */
            source: "sms" | "phone_call" | "email" | "web" | "operator" | "carrier" | "import";
            reason: string | null;
            /** @description the API key id or the system that added it */
            actor: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
        };
        DoNotContactLookup: {
            /** @description the number, normalised to E.164 */
            phone: string;
            isOnDoNotContact: boolean;
            entry?: components["schemas"]["DoNotContactEntry"];
        };
        DoNotContactPage: {
            items: components["schemas"]["DoNotContactEntry"][];
            /** @description pass as cursor for the next page; absent on the last page */
            nextCursor?: string;
        };
        DoNotContactSearchResult: components["schemas"]["DoNotContactLookup"] | components["schemas"]["DoNotContactPage"];
        DoNotContactLeadSearch: {
            /** @description `q` as it was read (trimmed) */
            query: string;
            /** @description the number `q` is, when it is a valid phone number, then each number the lead with ID `q` has texted */
            numbers: {
                /** @description the number, normalised to E.164 */
                phone: string;
                isOnDoNotContact: boolean;
                entry?: components["schemas"]["DoNotContactEntry"];
                /** @description every lead that texted the number, newest change first */
                leads: components["schemas"]["LeadSummary"][];
            }[];
        };
        DoNotContactAdded: {
            /** @description E.164 */
            phone: string;
            /** @enum {string} */
            source: "sms" | "phone_call" | "email" | "web" | "operator" | "carrier" | "import";
            reason: string | null;
            /** @description the API key id or the system that added it */
            actor: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description false when the number was already listed (nothing changed) */
            isNew: boolean;
        };
        DoNotContactImportSummary: {
            /** @description data rows in the file */
            rows: number;
            added: number;
            alreadyListed: number;
            duplicatesInFile: number;
            /** @description rows skipped with ?skipInvalid=true */
            badRows: {
                line: number;
                value: string;
                error: string;
            }[];
        };
        ConsentExportLine: {
            eventId: string;
            /** @description e.g. opt_in_sent, opted_in, opted_out, do_not_contact_added, do_not_contact_removed */
            eventType: string;
            source: string;
            leadId: string | null;
            /** @description the inbound text, verbatim, for a consent change by SMS */
            rawText: string | null;
            providerMessageId: string | null;
            /** @description the opt-in text the lead was shown */
            optInText: string | null;
            actor: string | null;
            messageId: string | null;
            details: unknown;
            /** @description ISO 8601 timestamp */
            occurredAt: string;
            /** @description ISO 8601 timestamp */
            recordedAt: string;
            /** @description E.164 */
            phone: string;
        };
        SendingWindow: {
            /** @description 'HH:MM' */
            start: string;
            /** @description 'HH:MM', exclusive */
            end: string;
            noSendDays: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
        };
        SendingWindowUpdated: {
            /** @description 'HH:MM' */
            start: string;
            /** @description 'HH:MM', exclusive */
            end: string;
            noSendDays: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
            /** @description numbers whose waiting texts are planned again */
            replanned: number;
        };
        A2pSetting: {
            /** @enum {string} */
            status: "unverified" | "pending" | "verified" | "failed";
        };
        MessagingSettings: {
            /** @description how long a text waits for START before it expires */
            holdLimitDays: number;
            /** @description the account's keywords, on top of the built-in ones */
            keywords: {
                optOut?: string[];
                optIn?: string[];
                help?: string[];
            };
        };
        AccountText: {
            template: string;
            preview: {
                /** @description exactly what goes out, footer included */
                text: string;
                /** @enum {string} */
                encoding: "GSM-7" | "UCS-2";
                units: number;
                /** @description SMS segments billed */
                segments: number;
            };
            /** @enum {string} */
            language: "en" | "es" | "fr";
            isFallback: boolean;
        };
        Template: {
            /** Format: uuid */
            templateId: string;
            name: string;
            body: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
            /** @description the {{variables}} the body uses */
            variables: string[];
            preview: {
                /** @description exactly what goes out, footer included */
                text: string;
                /** @enum {string} */
                encoding: "GSM-7" | "UCS-2";
                units: number;
                /** @description SMS segments billed */
                segments: number;
            };
        };
        TemplateList: {
            templates: components["schemas"]["Template"][];
        };
        EventEndpoint: {
            /** Format: uuid */
            id: string;
            url: string;
            description: string | null;
            /**
             * @description failing after 3 failed attempts in a row, until the next 2xx
             * @enum {string}
             */
            health: "healthy" | "failing";
            failingSince: string | null;
            consecutiveFailures: number;
            lastSuccessAt: string | null;
            lastFailureAt: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
        };
        EventEndpointWithSecret: {
            /** Format: uuid */
            id: string;
            url: string;
            description: string | null;
            /**
             * @description failing after 3 failed attempts in a row, until the next 2xx
             * @enum {string}
             */
            health: "healthy" | "failing";
            failingSince: string | null;
            consecutiveFailures: number;
            lastSuccessAt: string | null;
            lastFailureAt: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description `whsec_` and base64: the Standard Webhooks signing secret, shown only in this answer */
            secret: string;
        };
        EventEndpointList: {
            endpoints: components["schemas"]["EventEndpoint"][];
        };
        EventDeliveryList: {
            /** @description newest event first */
            deliveries: {
                /** @description the `webhook-id` header of every attempt */
                webhookId: string;
                type: string;
                /** @description ISO 8601 timestamp */
                occurredAt: string;
                /** @enum {string} */
                status: "pending" | "delivered" | "failed" | "cancelled";
                attempts: number;
                lastAttemptAt: string | null;
                lastStatusCode: number | null;
                lastError: string | null;
                deliveredAt: string | null;
            }[];
        };
        ReplayResult: {
            /** @description deliveries queued again (at most 1,000 a call) */
            replayed: number;
            /** @description failed deliveries still waiting for a replay: call again while above 0 */
            remaining: number;
        };
        CrmEvent: components["schemas"]["LeadConsentChangedEvent"] | components["schemas"]["MessageStatusChangedEvent"] | components["schemas"]["DoNotContactChangedEvent"];
        LeadConsentChangedEvent: {
            /** @constant */
            type: "lead.consent.changed";
            /** @description when the change happened, ISO 8601 */
            timestamp: string;
            data: {
                leadId: string;
                /** @description E.164 */
                phone: string;
                /** @enum {string} */
                status: "not_sent" | "sent" | "accepted" | "rejected";
                /** @enum {string} */
                previousStatus: "not_sent" | "sent" | "accepted" | "rejected";
                /** @description why, when the status says less than the whole story (e.g. hold_expired) */
                reason: string | null;
                /**
                 * @description how the change arrived: sms (a reply), api, operator, carrier, system …
                 * @enum {string}
                 */
                source: "sms" | "phone_call" | "email" | "web" | "operator" | "carrier" | "import" | "api" | "system";
            };
        };
        MessageStatusChangedEvent: {
            /** @constant */
            type: "message.status.changed";
            /** @description when the change happened, ISO 8601 */
            timestamp: string;
            data: {
                /** Format: uuid */
                messageId: string;
                /** @description null for texts that answer a number rather than a lead (HELP) */
                leadId: string | null;
                /** @enum {string} */
                kind: "lead" | "opt_in" | "opt_out_confirmation" | "opt_in_confirmation" | "help_reply" | "clarification";
                /** @enum {string} */
                status: "held" | "scheduled" | "sent" | "delivered" | "failed" | "blocked" | "cancelled" | "expired";
                /** @description why a text was held, blocked, failed, cancelled or expired */
                reason: string | null;
                /** @description for `scheduled`: when the recipient’s sending window opens */
                sendAt: string | null;
            };
        };
        DoNotContactChangedEvent: {
            /** @constant */
            type: "do_not_contact.changed";
            /** @description when the change happened, ISO 8601 */
            timestamp: string;
            data: {
                /** @description E.164 */
                phone: string;
                /** @enum {string} */
                change: "added" | "removed";
                /** @enum {string} */
                source: "sms" | "phone_call" | "email" | "web" | "operator" | "carrier" | "import";
            };
        };
        CodecPayloads: {
            payloads: ({
                metadata?: {
                    [key: string]: string;
                } | null;
                data?: string | null;
            } & {
                [key: string]: unknown;
            })[];
        };
        WebhookAck: {
            /**
             * @description accepted/duplicate (inbound), applied (status), ignored (see `reason`, or an unknown message)
             * @enum {string}
             */
            status: "accepted" | "duplicate" | "ignored" | "applied";
            /**
             * @description how an accepted inbound text was classified
             * @enum {string}
             */
            intent?: "opt_out" | "opt_in" | "help" | "unclear" | "other";
            /**
             * @description why a webhook was acknowledged without effect
             * @enum {string}
             */
            reason?: "unknown_number" | "not_a_phone_channel" | "sender_not_a_phone_number" | "unknown_status";
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not_ready";
            postgres: boolean;
            temporal: boolean;
        };
        ConsoleConfig: {
            /** @description the Temporal Web UI, for the link to a lead's workflow; null if unset */
            temporalUiUrl: string | null;
            /** @description the namespace the workflows run in */
            temporalNamespace: string;
        };
    };
    responses: {
        /** @description the request is invalid */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description missing, malformed or unknown API key */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the key does not have a role this operation accepts */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description not found */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description conflicts with an existing resource */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the body is too large */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description understood but refused */
        UnprocessableEntity: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
        TooManyRequests: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Postgres or Temporal is unavailable; retry later */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the body is not JSON or fails validation; Vonage should not retry */
        WebhookBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["WebhookError"];
            };
        };
        /** @description the signature is refused; Vonage stops retrying */
        WebhookUnauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["WebhookError"];
            };
        };
        /** @description the body is too large */
        WebhookPayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["WebhookError"];
            };
        };
        /** @description unsigned, or a dependency is unavailable; Vonage retries */
        WebhookUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["WebhookError"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listRecentMessages: {
        parameters: {
            query?: {
                /** @description `limit`: how many texts, newest first; `status`: only texts with this status; `optIn`: only opt-in texts whose lead has this opt-in status; not with status */
                filter?: {
                    /**
                     * @description how many texts, newest first
                     * @default 50
                     */
                    limit?: number;
                    /**
                     * @description only texts with this status
                     * @enum {string}
                     */
                    status?: "queued" | "held" | "sending" | "sent" | "delivered" | "failed" | "blocked" | "cancelled" | "expired" | "received";
                    /**
                     * @description only opt-in texts whose lead has this opt-in status; not with status
                     * @enum {string}
                     */
                    optIn?: "not_sent" | "sent" | "accepted" | "rejected";
                };
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the texts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecentMessages"];
                };
            };
            /** @description invalid query (an unknown status, limit out of 1-200, or both status and optIn) */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    queueMessage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueueMessageRequest"];
            };
        };
        responses: {
            /** @description the idempotencyKey was seen before: the first result, with duplicate true */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueMessageResult"];
                };
            };
            /** @description the workflow's decision */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueMessageResult"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path); or the phone is not a valid number, template variables are missing, or the text (after the template is filled in) is longer than 947 characters, which with the opt-out footer is the 1000 a Vonage SMS can carry */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description no such template */
            404: components["responses"]["NotFound"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description the consent workflow rejected the message */
            422: components["responses"]["UnprocessableEntity"];
            /** @description this API key went over its requests or its sends a minute (texts cost money); retry after `Retry-After` */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listLeads: {
        parameters: {
            query?: {
                /** @description the start of a lead ID, or a phone number; trimmed; blank or absent for the recent leads */
                q?: string;
                /** @description at most this many leads */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the leads found (possibly none) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadList"];
                };
            };
            /** @description `q` is longer than 128 characters or contains NUL, or `limit` is not 1 to 200 */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getLeadMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the CRM's id of the lead */
                leadId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the history */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadMessages"];
                };
            };
            /** @description leadId is empty or longer than 128 characters */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description no such lead */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getLeadConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the CRM's id of the lead */
                leadId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the consent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadConsent"];
                };
            };
            /** @description leadId is empty or longer than 128 characters */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description no such lead */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    searchDoNotContact: {
        parameters: {
            query?: {
                /** @description the number to look up, any common format (normalised to E.164) */
                phone?: string;
                /** @description page size, without phone */
                limit?: number;
                /** @description the `nextCursor` of the previous page, as given (opaque); any other value answers 400 */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a lookup (with phone) or a page (without) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoNotContactSearchResult"];
                };
            };
            /** @description invalid query, phone or cursor */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    addDoNotContact: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddDoNotContactRequest"];
            };
        };
        responses: {
            /** @description already listed; nothing changed (isNew false) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoNotContactAdded"];
                };
            };
            /** @description added */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoNotContactAdded"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path), or the phone is not a valid number */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    removeDoNotContact: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RemoveDoNotContactRequest"];
            };
        };
        responses: {
            /** @description removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description the body fails validation (`details` lists each problem with its path), or the phone is not a valid number */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description the number is not on the list */
            404: components["responses"]["NotFound"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    searchDoNotContactLeads: {
        parameters: {
            query: {
                /** @description a phone number in any common format, or a lead ID; not blank, at most 128 characters */
                q: string & (unknown & unknown);
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the numbers found (possibly none) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoNotContactLeadSearch"];
                };
            };
            /** @description `q` is missing, blank, longer than 128 characters or contains NUL */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    importDoNotContact: {
        parameters: {
            query?: {
                /** @description `true`: import the valid rows and list the bad ones instead of refusing the file (any other value: refuse) */
                skipInvalid?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description imported */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoNotContactImportSummary"];
                    "application/x-ndjson": string;
                };
            };
            /** @description no CSV body, or the CSV cannot be parsed */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description more than 100,000 rows or larger than 8 MB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description some rows are invalid and skipInvalid is not true; details.badRows lists them; nothing was imported */
            422: components["responses"]["UnprocessableEntity"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    exportConsentEvents: {
        parameters: {
            query: {
                /** @description the number, any common format */
                phone: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the ledger as JSON lines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description phone missing or not a valid number */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getA2pStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["A2pSetting"];
                };
            };
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description the account no longer exists */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    setA2pStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["A2pStatusRequest"];
            };
        };
        responses: {
            /** @description the new status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["A2pSetting"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path) */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getMessagingSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagingSettings"];
                };
            };
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the account no longer exists */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    setMessagingSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessagingSettingsRequest"];
            };
        };
        responses: {
            /** @description the settings now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagingSettings"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path) */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description the account no longer exists */
            404: components["responses"]["NotFound"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSendingWindow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the window */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendingWindow"];
                };
            };
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the account no longer exists */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    setSendingWindow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendingWindowRequest"];
            };
        };
        responses: {
            /** @description the window now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendingWindowUpdated"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path), or the window breaks a rule (error invalid_sending_window) */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description the account no longer exists */
            404: components["responses"]["NotFound"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAccountText: {
        parameters: {
            query?: {
                /** @description en (the main text, the default), es or fr: the language of the replies this text answers (docs/keywords.md) */
                language?: "en" | "es" | "fr";
            };
            header?: never;
            path: {
                /** @description which account text; a2p and messaging have their own operations */
                name: "opt-in-template" | "help-reply" | "opt-out-confirmation" | "opt-in-confirmation" | "clarification";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the text */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountText"];
                };
            };
            /** @description the language is not one of en, es, fr, or it is not en for the opt-in template (it has no other languages) */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description no such setting */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    setAccountText: {
        parameters: {
            query?: {
                /** @description en (the main text, the default), es or fr: the language of the replies this text answers (docs/keywords.md) */
                language?: "en" | "es" | "fr";
            };
            header?: never;
            path: {
                /** @description which account text; a2p and messaging have their own operations */
                name: "opt-in-template" | "help-reply" | "opt-out-confirmation" | "opt-in-confirmation" | "clarification";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccountTextRequest"];
            };
        };
        responses: {
            /** @description the text now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountText"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path), or the text breaks a rule (error invalid_template), or the language is not one of en, es, fr */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such setting */
            404: components["responses"]["NotFound"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    removeLocalizedAccountText: {
        parameters: {
            query: {
                /** @description the language of the text to remove */
                language: "es" | "fr";
            };
            header?: never;
            path: {
                /** @description which account text: only the texts that answer a reply have other languages */
                name: "help-reply" | "opt-out-confirmation" | "opt-in-confirmation" | "clarification";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description no language, `en`, or a text that has no other languages */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such setting */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the templates */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateList"];
                };
            };
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTemplateRequest"];
            };
        };
        responses: {
            /** @description created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path) */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description a template with this name exists */
            409: components["responses"]["Conflict"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the template id (UUID) */
                templateId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description templateId is not a UUID */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description no such template */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the template id (UUID) */
                templateId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTemplateRequest"];
            };
        };
        responses: {
            /** @description the template now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path); or templateId is not a UUID */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such template */
            404: components["responses"]["NotFound"];
            /** @description a template with this name exists */
            409: components["responses"]["Conflict"];
            /** @description body larger than 256 kB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the template id (UUID) */
                templateId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description templateId is not a UUID */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such template */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listEventEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the endpoints */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventEndpointList"];
                };
            };
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createEventEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEventEndpoint"];
            };
        };
        responses: {
            /** @description registered; keep the secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventEndpointWithSecret"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path); or a URL this deployment refuses */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description the account has 10 endpoints */
            409: components["responses"]["Conflict"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getEventEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint id (UUID) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventEndpoint"];
                };
            };
            /** @description endpointId is not a UUID */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such endpoint in this account */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteEventEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint id (UUID) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description endpointId is not a UUID */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such endpoint in this account */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rotateEventEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint id (UUID) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description rotated; keep the new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventEndpointWithSecret"];
                };
            };
            /** @description endpointId is not a UUID */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such endpoint in this account */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listEventDeliveries: {
        parameters: {
            query?: {
                /** @description how many */
                limit?: number;
                /** @description only deliveries in this state */
                status?: "pending" | "delivered" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                /** @description the endpoint id (UUID) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventDeliveryList"];
                };
            };
            /** @description invalid endpointId or query */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such endpoint in this account */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    replayEventDeliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint id (UUID) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReplayEvents"];
            };
        };
        responses: {
            /** @description queued again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayResult"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path); or endpointId is not a UUID */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description no such endpoint in this account */
            404: components["responses"]["NotFound"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    decodePayloads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodecPayloadsRequest"];
            };
        };
        responses: {
            /** @description the payloads in clear */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodecPayloads"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path); or a payload was altered, or its key id is not in PAYLOAD_ENCRYPTION_KEYS */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description this API has no payload codec configured */
            404: components["responses"]["NotFound"];
            /** @description body larger than 4 MB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    encodePayloads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodecPayloadsRequest"];
            };
        };
        responses: {
            /** @description the payloads encrypted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodecPayloads"];
                };
            };
            /** @description the body fails validation (`details` lists each problem with its path) */
            400: components["responses"]["BadRequest"];
            /** @description missing, malformed or unknown API key */
            401: components["responses"]["Unauthorized"];
            /** @description the key is not an admin key */
            403: components["responses"]["Forbidden"];
            /** @description this API has no payload codec configured */
            404: components["responses"]["NotFound"];
            /** @description body larger than 4 MB */
            413: components["responses"]["PayloadTooLarge"];
            /** @description this API key went over its requests a minute; retry after `Retry-After` seconds */
            429: components["responses"]["TooManyRequests"];
            /** @description Postgres or Temporal is unavailable; retry later */
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getCodecSessionPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    openCodecSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    apiKey: string;
                };
            };
        };
        responses: {
            /** @description session open; the cookie is set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description the form post cannot be read: the form again, with the reason */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description not an active operator API key: the form again, with the reason */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description the form post is larger than 4 kB: the form again, with the reason */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description a charset other than UTF-8: the form again, with the reason */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description too many tries from this address: the form again, with the reason */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    receiveInboundMessage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VonageInboundMessage"];
            };
        };
        responses: {
            /** @description accepted, a duplicate, or ignored (unknown number, or a sender that is not a phone number) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAck"];
                };
            };
            /** @description the body is not JSON, or it has no `message_uuid`, `to` or `from` */
            400: components["responses"]["WebhookBadRequest"];
            /** @description the signature is refused */
            401: components["responses"]["WebhookUnauthorized"];
            /** @description body larger than 64 kB */
            413: components["responses"]["WebhookPayloadTooLarge"];
            /** @description unsigned (Vonage retries with a signed one), Postgres or Temporal is unavailable, or (`send_in_flight`) an opt-out arrived while a text to the number was still at the provider: the opt-out is already in force, and the redelivery is answered 200 once that text has settled */
            503: components["responses"]["WebhookUnavailable"];
        };
    };
    receiveMessageStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VonageMessageStatus"];
            };
        };
        responses: {
            /** @description applied, or ignored (unknown number or message) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAck"];
                };
            };
            /** @description the body is not JSON, or it has no `message_uuid`, `to` or `from` */
            400: components["responses"]["WebhookBadRequest"];
            /** @description the signature is refused */
            401: components["responses"]["WebhookUnauthorized"];
            /** @description body larger than 64 kB */
            413: components["responses"]["WebhookPayloadTooLarge"];
            /** @description unsigned (Vonage retries with a signed one), or Postgres or Temporal is unavailable */
            503: components["responses"]["WebhookUnavailable"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description not ready */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getConsole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getConsoleConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the configuration */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleConfig"];
                };
            };
        };
    };
    getConsoleAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the file name */
                asset: "style.css" | "app.js" | "api.js" | "dom.js" | "labels.js" | "sms-preview.js" | "settings-view.js" | "messages-view.js" | "lead-view.js" | "lead-search.js" | "do-not-contact-view.js" | "do-not-contact-search.js" | "event-endpoints-view.js" | "event-deliveries.js";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                };
            };
            /** @description no such console file */
            404: components["responses"]["NotFound"];
        };
    };
    event_lead_consent_changed: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (`msg_…`): the same on every retry and replay; dedupe on it. */
                "webhook-id": string;
                /** @description This attempt's time, Unix seconds; refuse one far from your clock. */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret>`, space separated, one per live secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library (npm `standardwebhooks`). */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeadConsentChangedEvent"];
            };
        };
        responses: {
            /** @description acknowledged */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    event_message_status_changed: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (`msg_…`): the same on every retry and replay; dedupe on it. */
                "webhook-id": string;
                /** @description This attempt's time, Unix seconds; refuse one far from your clock. */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret>`, space separated, one per live secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library (npm `standardwebhooks`). */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessageStatusChangedEvent"];
            };
        };
        responses: {
            /** @description acknowledged */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    event_do_not_contact_changed: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (`msg_…`): the same on every retry and replay; dedupe on it. */
                "webhook-id": string;
                /** @description This attempt's time, Unix seconds; refuse one far from your clock. */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret>`, space separated, one per live secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library (npm `standardwebhooks`). */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DoNotContactChangedEvent"];
            };
        };
        responses: {
            /** @description acknowledged */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
