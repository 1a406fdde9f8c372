/**
 * An independent Standard Webhooks signer, written for the tests from the specification
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md),
 * sharing no code with the package (nodes/shared/webhook/standardWebhooks.ts) nor with the
 * sandbox: it uses WebCrypto (crypto.subtle) where the package uses Node's createHmac.
 *
 *   signed content = `${msg_id}.${timestamp}.${payload}`
 *   signature      = base64(HMAC-SHA256(base64decode(secret without "whsec_"), signed content))
 *   header         = "v1,<signature>" (several, space-separated, during a rotation)
 */
export async function referenceSignature(secret: string, msgId: string, timestamp: string | number, payload: string | Uint8Array): Promise<string> {
	const keyBytes = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (char) => char.charCodeAt(0));
	const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	const prefix = new TextEncoder().encode(`${msgId}.${timestamp}.`);
	const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
	const content = new Uint8Array(prefix.length + body.length);
	content.set(prefix, 0);
	content.set(body, prefix.length);
	const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, content));
	return `v1,${btoa(String.fromCharCode(...mac))}`;
}

/** A fresh whsec_ secret of 24 random bytes. */
export function referenceSecret(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(24));
	return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** The three Standard Webhooks headers of one delivery, signed by the given secrets (all listed). */
export async function signedHeaders(
	secrets: string[],
	body: string,
	options: { id?: string; timestamp?: number } = {},
): Promise<Record<string, string>> {
	const id = options.id ?? `msg_${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
	const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
	const signatures = await Promise.all(secrets.map(async (secret) => await referenceSignature(secret, id, timestamp, body)));
	return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
