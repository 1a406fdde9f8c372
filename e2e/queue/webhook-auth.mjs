// How the suite's webhooks are authenticated, in one place: the credential's webhook fields, and how the
// sandbox delivers a right or a wrong one. Today (main): the legacy shared secret, sent by the sandbox as
// X-Webhook-Secret-Key. When the credential gains Standard Webhooks signing (webhookSigningSecret,
// whsec_...), change these functions only.

export const WEBHOOK_SECRET = 'queue-e2e-webhook-secret-4b1d9e';
export const WRONG_SECRET = 'not-the-webhook-secret';

/** Fields added to the sandbox credential (`n8n import:credentials` data). */
export function credentialWebhookFields() {
	return { webhookSecret: WEBHOOK_SECRET };
}

/**
 * Body of the sandbox's `POST /__sandbox/deliver/<jobSetId>`: the sandbox delivers the job set to `url`
 * the way Higgsfield does. `ownSecret`: the job set's own webhook secret (Wait for Webhook's per-execution
 * secret); `wrong`: a delivery that must be refused.
 */
export function deliveryTo(url, { wrong = false, ownSecret = false } = {}) {
	if (wrong) return { url, secret: WRONG_SECRET };
	if (ownSecret) return { url };
	return { url, secret: WEBHOOK_SECRET };
}
