// @ts-check
'use strict';
/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): headers `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature` (space-separated `v1,<base64>`),
 * the signature being base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")) with
 * key = base64-decode(secret without its `whsec_` prefix). Several secrets (a rotation: old and
 * new) give several signatures, in the order given.
 */
const crypto = require('crypto');

const PREFIX = 'whsec_';

/** @param {string} secret @returns {Buffer} */
function secretKey(secret) {
	const s = String(secret);
	return Buffer.from(s.startsWith(PREFIX) ? s.slice(PREFIX.length) : s, 'base64');
}

/**
 * One `v1,<base64>` signature.
 * @param {string} secret @param {string} id @param {number|string} timestamp @param {Buffer|string} body
 */
function sign(secret, id, timestamp, body) {
	const mac = crypto.createHmac('sha256', secretKey(secret));
	mac.update(`${id}.${timestamp}.`);
	mac.update(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
	return `v1,${mac.digest('base64')}`;
}

/** The secrets an option holds: a string, a list (rotation), or none. @param {string|string[]|null|undefined} v @returns {string[]} */
function signingSecrets(v) {
	if (!v) return [];
	return (Array.isArray(v) ? v : String(v).split(/[\s,]+/)).map(String).filter(Boolean);
}

/**
 * The three Standard Webhooks headers for a delivery.
 * @param {string[]} secrets @param {string} id @param {number} timestamp @param {Buffer} body
 * @returns {Record<string, string>}
 */
function signatureHeaders(secrets, id, timestamp, body) {
	return {
		'webhook-id': id,
		'webhook-timestamp': String(timestamp),
		'webhook-signature': secrets.map((s) => sign(s, id, timestamp, body)).join(' '),
	};
}

/** A fresh `msg_...` event id. */
const newWebhookId = () => `msg_${crypto.randomUUID().replace(/-/g, '')}`;

/** A fresh random signing secret (`whsec_` + base64 of 24 bytes). */
const newSigningSecret = () => `${PREFIX}${crypto.randomBytes(24).toString('base64')}`;

module.exports = { sign, signatureHeaders, signingSecrets, secretKey, newWebhookId, newSigningSecret };
