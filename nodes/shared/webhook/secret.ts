/**
 * The webhook secret: where it comes from and how a received one is checked.
 *
 * Higgsfield sends the secret itself (not a signature) in the X-Webhook-Secret-Key header, so a
 * receiver compares it in constant time. Both sides are hashed to fixed-length SHA-256 digests
 * first: timingSafeEqual then never throws on a length mismatch and the time taken does not tell
 * how long the secret is.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../transport';

/** Lower case, as Node.js (and so n8n) hands request headers over. */
export const WEBHOOK_SECRET_HEADER = 'x-webhook-secret-key';

type CredentialContext = IExecuteFunctions | IWebhookFunctions;

interface WebhookCredentials {
	apiSecret: string;
	webhookSecret: string;
	webhookSigningSecret: string;
}

const cache = new WeakMap<object, Promise<WebhookCredentials>>();

async function webhookCredentials(ctx: CredentialContext): Promise<WebhookCredentials> {
	let cached = cache.get(ctx);
	if (!cached) {
		cached = ctx.getCredentials(CREDENTIAL_NAME).then((data) => ({
			apiSecret: String(data.apiSecret ?? '').trim(),
			webhookSecret: String(data.webhookSecret ?? '').trim(),
			webhookSigningSecret: String(data.webhookSigningSecret ?? '').trim(),
		}));
		cache.set(ctx, cached);
	}
	return await cached;
}

/** The Webhook Secret of the credential, or '' when none is set. */
export async function credentialWebhookSecret(ctx: CredentialContext): Promise<string> {
	return (await webhookCredentials(ctx)).webhookSecret;
}

/** The Webhook Signing Secret (whsec_...) of the credential, or '' when none is set. */
export async function credentialSigningSecret(ctx: CredentialContext): Promise<string> {
	return (await webhookCredentials(ctx)).webhookSigningSecret;
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether a received header value is exactly the expected secret. An empty expected secret
 * matches nothing, and so does a repeated header (an array) or a missing one.
 */
export function secretMatches(received: unknown, expected: string): boolean {
	if (expected === '' || typeof received !== 'string') return false;
	// compare digests, never the raw values: equal lengths always, so no early exit and no throw
	return timingSafeEqual(digest(received), digest(expected));
}

/** The X-Webhook-Secret-Key header of the request being handled (undefined when absent). */
export function receivedSecret(ctx: IWebhookFunctions): unknown {
	return ctx.getHeaderData()[WEBHOOK_SECRET_HEADER];
}

/**
 * The secret for one waiting execution of one node (Completion: Wait for Webhook). It is derived
 * from the credential's API secret, so it needs no storage: the resume webhook computes it again.
 * A leaked value opens only that one execution, and it never reveals the API secret.
 */
export async function executionSecret(ctx: CredentialContext): Promise<string> {
	const { apiSecret } = await webhookCredentials(ctx);
	return createHmac('sha256', apiSecret)
		.update(`higgsfield-wait-for-webhook:${ctx.getExecutionId()}:${ctx.getNode().id}`)
		.digest('hex');
}
