/**
 * The one place that decides whether a webhook call really comes from Higgsfield, for the
 * Higgsfield Trigger and for the resume of Completion "Wait for Webhook":
 * 1. a Webhook Signing Secret (whsec_...) is set: the Standard Webhooks signature must verify
 *    (standardWebhooks.ts) over the exact raw bytes n8n received;
 * 2. else a legacy secret is set: the X-Webhook-Secret-Key header must carry it (secret.ts);
 * 3. neither: every call is refused.
 * Refusals are answered 401 by the caller and start nothing. No message names a secret.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { receivedSecret, secretMatches } from './secret';
import {
	WEBHOOK_ID_HEADER,
	WEBHOOK_SIGNATURE_HEADER,
	WEBHOOK_TIMESTAMP_HEADER,
	verifySignature,
} from './standardWebhooks';

export interface ExpectedSecrets {
	/** the credential's Webhook Signing Secret, '' when none */
	signingSecret: string;
	/** the legacy X-Webhook-Secret-Key value, '' when none */
	legacySecret: string;
	/**
	 * Also accept the legacy header when a signing secret is set and the call carries no signature
	 * (the resume of a v1 wait, whose legacy secret is one of its own execution).
	 */
	legacyAlongsideSignature?: boolean;
}

export type Verdict =
	| { ok: true; scheme: 'signature'; webhookId: string }
	| { ok: true; scheme: 'legacy' }
	| { ok: false; reason: string };

export const LEGACY_UNAUTHORIZED = 'Unauthorized: the X-Webhook-Secret-Key header is missing or wrong';
export const NOT_CONFIGURED =
	'Unauthorized: the Higgsfield credential has neither a Webhook Signing Secret nor a Webhook Secret, so every call is refused';

/** n8n's request object, with the bytes its body parser read (`rawBody`, n8n's rawBodyReader). */
interface RequestWithRawBody {
	rawBody?: unknown;
	readRawBody?: () => Promise<void>;
}

/**
 * The exact bytes of the request body as n8n received them. n8n reads them before it parses the
 * body of a webhook node (packages/cli middlewares/body-parser: `req.rawBody`); when it did not
 * (a body type it does not parse), they are read here the same way. Undefined when unavailable.
 */
export async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = ctx.getRequestObject() as unknown as RequestWithRawBody;
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		try {
			await request.readRawBody();
		} catch {
			return undefined;
		}
	}
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
	// a call without a body: n8n leaves rawBody unset, and the signed content ends with ''
	return request.rawBody === undefined && Number(ctx.getHeaderData()['content-length'] ?? 0) === 0 ? Buffer.alloc(0) : undefined;
}

function header(ctx: IWebhookFunctions, name: string): unknown {
	return ctx.getHeaderData()[name];
}

/** Whether this call carries any Standard Webhooks header. */
function carriesSignature(ctx: IWebhookFunctions): boolean {
	return [WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER].some((name) => header(ctx, name) !== undefined);
}

export async function verifyDelivery(ctx: IWebhookFunctions, expected: ExpectedSecrets, now: number = Date.now()): Promise<Verdict> {
	const { signingSecret, legacySecret } = expected;
	const legacyAllowed = legacySecret !== '' && (signingSecret === '' || (expected.legacyAlongsideSignature === true && !carriesSignature(ctx)));
	if (signingSecret !== '' && !legacyAllowed) {
		const rawBody = await rawBodyOf(ctx);
		if (rawBody === undefined) return { ok: false, reason: 'Unauthorized: the raw request body is not available to check its signature' };
		const check = verifySignature(
			{
				id: header(ctx, WEBHOOK_ID_HEADER),
				timestamp: header(ctx, WEBHOOK_TIMESTAMP_HEADER),
				signature: header(ctx, WEBHOOK_SIGNATURE_HEADER),
				rawBody,
			},
			signingSecret,
			now,
		);
		return check.ok ? { ok: true, scheme: 'signature', webhookId: check.id } : { ok: false, reason: `Unauthorized: ${check.reason}` };
	}
	if (legacyAllowed) {
		return secretMatches(receivedSecret(ctx), legacySecret) ? { ok: true, scheme: 'legacy' } : { ok: false, reason: LEGACY_UNAUTHORIZED };
	}
	return { ok: false, reason: NOT_CONFIGURED };
}
