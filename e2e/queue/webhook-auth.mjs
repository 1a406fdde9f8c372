// How the suite's webhooks are authenticated, in one place: the credential's webhook fields, the sandbox's
// signing option, and how the sandbox delivers a right or a wrong call. Deliveries are signed the Standard
// Webhooks way (the credential's Webhook Signing Secret, whsec_...; the sandbox signs every delivery with
// it); v1 job sets also carry the legacy X-Webhook-Secret-Key (the credential's Webhook Secret, sent by
// Send Webhook; Wait for Webhook sends its execution's own). A wrong call is wrong in both ways.

export const WEBHOOK_SECRET = 'queue-e2e-webhook-secret-4b1d9e';
/** whsec_ + base64 of 32 fixed bytes */
export const SIGNING_SECRET = `whsec_${Buffer.alloc(32, 'queue-e2e-signing').toString('base64')}`;
const WRONG_SECRET = 'not-the-webhook-secret';
const WRONG_SIGNING_SECRET = `whsec_${Buffer.alloc(32, 'not-the-signing-secret').toString('base64')}`;

/** Fields added to the sandbox credential (`n8n import:credentials` data). */
export function credentialWebhookFields() {
	return { webhookSecret: WEBHOOK_SECRET, webhookSigningSecret: SIGNING_SECRET };
}

/** Sandbox command-line options: sign every delivery with the account's signing secret. */
export function sandboxWebhookArgs() {
	return ['--webhook-signing-secret', SIGNING_SECRET];
}

/**
 * Body of the sandbox's `POST /__sandbox/deliver/<jobSetId>` (a new event) or `redeliver/<webhookId>`
 * (the same event again): the sandbox calls `url` the way Higgsfield does. `ownSecret`: the job set's own
 * legacy secret (Wait for Webhook's per-execution one); `wrong`: a call that must be refused.
 */
export function deliveryTo(url, { wrong = false, ownSecret = false } = {}) {
	if (wrong) return { url, secret: WRONG_SECRET, signingSecret: WRONG_SIGNING_SECRET };
	if (ownSecret) return { url };
	return { url, secret: WEBHOOK_SECRET };
}
