/**
 * Standard Webhooks signature check (https://www.standardwebhooks.com), as Higgsfield signs its
 * deliveries: headers `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature` (a
 * space-separated list of `v1,<base64>`), each signature being base64(HMAC-SHA256(key,
 * `{id}.{timestamp}.{raw body}`)) with key = base64-decode(the secret without its `whsec_` prefix).
 *
 * Verification only: this package never signs anything (the sandbox and the tests do).
 * - the content is the exact bytes received, never a re-serialised body;
 * - the timestamp must be within TOLERANCE_SECONDS of now, in the past or in the future;
 * - any listed `v1` signature may match (during a secret rotation Higgsfield signs with both);
 * - every candidate is compared in constant time, and all candidates are compared.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
export const TOLERANCE_SECONDS = 5 * 60;

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** an HMAC-SHA256 is 32 bytes: 44 base64 characters */
const SIGNATURE_BYTES = 32;

export interface SignedDelivery {
	id: unknown;
	timestamp: unknown;
	signature: unknown;
	rawBody: Buffer;
}

export type SignatureCheck = { ok: true; id: string } | { ok: false; reason: string };

/** The HMAC key of a `whsec_...` secret, or undefined when it is not one (never says why in detail: it is secret). */
export function signingKey(secret: string): Buffer | undefined {
	const body = secret.trim().startsWith(SECRET_PREFIX) ? secret.trim().slice(SECRET_PREFIX.length) : secret.trim();
	if (body === '' || !BASE64.test(body)) return undefined;
	const key = Buffer.from(body, 'base64');
	return key.length > 0 ? key : undefined;
}

/** Whether a text is usable as a signing secret (`whsec_` followed by base64). */
export function isSigningSecret(secret: string): boolean {
	return signingKey(secret) !== undefined;
}

/** The `v1` signatures of a header, decoded; entries of other versions or malformed ones are left out. */
export function v1Signatures(header: string): Buffer[] {
	return header
		.split(' ')
		.filter((entry) => entry.startsWith('v1,'))
		.map((entry) => entry.slice(3))
		.filter((value) => BASE64.test(value) && value !== '')
		.map((value) => Buffer.from(value, 'base64'))
		.filter((bytes) => bytes.length === SIGNATURE_BYTES);
}

function single(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Checks one delivery against one secret. `now` is in milliseconds (a parameter so the shared test
 * vectors, signed at a fixed time, can be checked).
 */
export function verifySignature(delivery: SignedDelivery, secret: string, now: number = Date.now()): SignatureCheck {
	const id = single(delivery.id);
	const timestamp = single(delivery.timestamp);
	const header = single(delivery.signature);
	if (id === undefined || timestamp === undefined || header === undefined) {
		return { ok: false, reason: 'a webhook-id, webhook-timestamp or webhook-signature header is missing' };
	}
	if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'the webhook-timestamp header is not a unix time in seconds' };
	if (Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
		return { ok: false, reason: 'the webhook-timestamp is more than 5 minutes away from now' };
	}
	const candidates = v1Signatures(header);
	if (candidates.length === 0) return { ok: false, reason: 'the webhook-signature header has no well-formed v1 signature' };
	const key = signingKey(secret);
	if (key === undefined) return { ok: false, reason: 'the Webhook Signing Secret of the credential is not a whsec_ secret' };
	const expected = createHmac('sha256', key)
		.update(`${id}.${timestamp}.`, 'utf8')
		.update(delivery.rawBody)
		.digest();
	// compare every candidate (no early exit), each in constant time
	let matched = false;
	for (const candidate of candidates) matched = timingSafeEqual(candidate, expected) || matched;
	return matched ? { ok: true, id } : { ok: false, reason: 'no webhook-signature matches' };
}
