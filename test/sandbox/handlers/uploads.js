// @ts-check
'use strict';
/** POST /files/generate-upload-url (auth) and the presigned PUT (no Higgsfield auth). */
const { validateUploadRequest } = require('../schemas');
const { s3Error } = require('../uploads');
const { HttpError, readJson, readBody, sendJson, sendBytes, MAX_UPLOAD_BYTES } = require('../http-util');
const crypto = require('crypto');

/** @param {import('../server').Sandbox} sb @param {import('../http-util').Exchange} ex */
async function generateUploadUrl(sb, ex) {
	const body = await readJson(ex);
	const errors = validateUploadRequest(body);
	if (errors.length) throw new HttpError(422, errors);
	sendJson(ex, 200, sb.uploads.create(body.content_type, sb.options.uploadUrlSeconds, sb.base));
}

/** @param {import('../server').Sandbox} sb @param {import('../http-util').Exchange} ex */
async function putUpload(sb, ex) {
	// Read the whole body first so a refusal reaches the client as a 403, not as a reset.
	const data = await readBody(ex.req, MAX_UPLOAD_BYTES);
	if (ex.entry) ex.entry.body = { bytes: data.length };
	const { record, error } = sb.uploads.checkPut(ex.params.file, ex.url.searchParams, ex.req.headers);
	if (error || !record) {
		const e = error || { code: 'AccessDenied', message: 'Access Denied' };
		return sendBytes(ex, 403, s3Error(e.code, e.message), 'application/xml');
	}
	sb.uploads.store(record, data);
	sendBytes(ex, 200, '', 'text/plain', { ETag: `"${crypto.createHash('md5').update(data).digest('hex')}"` });
}

module.exports = { generateUploadUrl, putUpload };
