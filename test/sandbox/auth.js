// @ts-check
'use strict';
/**
 * Higgsfield authentication: `hf-api-key` + `hf-secret` headers, or `Authorization: Key <id>:<secret>`.
 * Returns the key id (the per-key identity used for the concurrency cap) or an error detail.
 */
const crypto = require('crypto');

/** @param {string} a @param {string} b */
function safeEqual(a, b) {
	const x = Buffer.from(String(a));
	const y = Buffer.from(String(b));
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * @param {import('http').IncomingHttpHeaders} headers
 * @param {{apiKey: string, apiSecret: string}} opts
 * @returns {{keyId: string} | {error: string}}
 */
function authenticate(headers, opts) {
	let id;
	let secret;
	const authz = headers.authorization;
	if (typeof authz === 'string' && authz.trim()) {
		const m = /^Key\s+([^:\s]+):(\S+)\s*$/i.exec(authz.trim());
		if (!m) return { error: 'Invalid Authorization header: expected "Key <api key id>:<api key secret>"' };
		[, id, secret] = m;
	} else if (headers['hf-api-key'] !== undefined || headers['hf-secret'] !== undefined) {
		id = String(headers['hf-api-key'] ?? '');
		secret = String(headers['hf-secret'] ?? '');
		if (!id || !secret) return { error: 'Both hf-api-key and hf-secret headers are required' };
	} else {
		return { error: 'Not authenticated' };
	}
	const okId = safeEqual(id, opts.apiKey);
	const okSecret = safeEqual(secret, opts.apiSecret);
	if (!okId || !okSecret) return { error: 'Invalid API key or secret' };
	return { keyId: id };
}

module.exports = { authenticate, safeEqual };
