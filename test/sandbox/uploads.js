// @ts-check
'use strict';
/**
 * Presigned uploads, S3 style: `generate-upload-url` hands out a one-shot PUT URL that expires
 * and demands exactly the signed headers (Content-Type, x-amz-tagging); the bytes are then served
 * at the public URL with the stored content type.
 */
const crypto = require('crypto');

/** @type {Readonly<Record<string, string>>} */
const EXTENSIONS = Object.freeze({
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'video/mp4': 'mp4',
});
const TAGGING = 'retention=temporary&source=api-upload';
const AUTH_HEADERS = Object.freeze(['hf-api-key', 'hf-secret', 'authorization']);
const UPLOAD_PREFIX = '/s3/higgsfield-uploads/';
const PUBLIC_PREFIX = '/files/uploads/';

/**
 * @typedef {{id: string, file: string, signature: string, contentType: string, tagging: string,
 *   expiresAt: number, used: boolean, data: Buffer|null}} UploadRecord
 */

/** @param {string} code @param {string} message */
function s3Error(code, message) {
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		`<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${crypto.randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`
	);
}

class UploadStore {
	constructor() {
		/** @type {Map<string, UploadRecord>} */
		this.items = new Map();
	}

	/** @param {string} contentType @param {number} ttlSeconds @param {string} base */
	create(contentType, ttlSeconds, base) {
		const id = crypto.randomUUID();
		const file = `${id}.${EXTENSIONS[contentType] || 'bin'}`;
		/** @type {UploadRecord} */
		const rec = {
			id,
			file,
			signature: crypto.randomBytes(32).toString('hex'),
			contentType,
			tagging: TAGGING,
			expiresAt: Date.now() + ttlSeconds * 1000,
			used: false,
			data: null,
		};
		this.items.set(file, rec);
		const q = new URLSearchParams({
			'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
			'X-Amz-Date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
			'X-Amz-Expires': String(ttlSeconds),
			'X-Amz-SignedHeaders': 'content-type;host;x-amz-tagging',
			'X-Amz-Signature': rec.signature,
		});
		return {
			upload_url: `${base}${UPLOAD_PREFIX}${file}?${q}`,
			public_url: `${base}${PUBLIC_PREFIX}${file}`,
			upload_headers: { 'Content-Type': contentType, 'x-amz-tagging': TAGGING },
		};
	}

	/**
	 * Check a PUT; returns null when allowed, else the S3 error to answer with 403.
	 * @param {string} file @param {URLSearchParams} query @param {Record<string, any>} headers lower-cased
	 * @returns {{record: UploadRecord|null, error: {code: string, message: string}|null}}
	 */
	checkPut(file, query, headers) {
		const rec = this.items.get(file) || null;
		const deny = (/** @type {string} */ code, /** @type {string} */ message) => ({ record: rec, error: { code, message } });
		if (!rec || query.get('X-Amz-Signature') !== rec.signature) {
			return deny('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
		}
		if (Date.now() > rec.expiresAt) return deny('AccessDenied', 'Request has expired');
		if (rec.used) return deny('AccessDenied', 'Request has expired (this presigned URL was already used)');
		const auth = AUTH_HEADERS.filter((h) => headers[h] !== undefined);
		if (auth.length) {
			return deny('InvalidRequest', `Only one auth mechanism allowed; unexpected header(s): ${auth.join(', ')}`);
		}
		if (headers['content-type'] !== rec.contentType || headers['x-amz-tagging'] !== rec.tagging) {
			const bad = headers['content-type'] !== rec.contentType ? 'Content-Type' : 'x-amz-tagging';
			return deny('SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided. Check your key and signing method. (signed header ${bad} missing or different)`);
		}
		return { record: rec, error: null };
	}

	/** @param {UploadRecord} rec @param {Buffer} data */
	store(rec, data) {
		rec.data = data;
		rec.used = true;
	}

	/** The uploaded file behind a public URL path (`/files/uploads/<file>`). @param {string} file */
	byFile(file) {
		return this.items.get(file);
	}

	/** Stored (or declared) content type of a URL pointing at a sandbox upload, else undefined. @param {string} url */
	contentTypeOf(url) {
		let p;
		try {
			p = new URL(url).pathname;
		} catch {
			return undefined;
		}
		if (!p.startsWith(PUBLIC_PREFIX)) return undefined;
		const rec = this.items.get(p.slice(PUBLIC_PREFIX.length));
		return rec ? rec.contentType : undefined;
	}
}

module.exports = { UploadStore, s3Error, UPLOAD_PREFIX, PUBLIC_PREFIX, TAGGING };
