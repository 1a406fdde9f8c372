// @ts-check
'use strict';
/**
 * The model-request API: POST /{model_id}, GET /requests/{id}/status, POST /requests/{id}/cancel,
 * DELETE /requests/{id}, and the output files GET /files/requests/{id}/{n}.{png|mp4|wav}.
 */
const { RequestStore, fingerprintOf } = require('../requests');
const { isHiggsfieldModel } = require('../request-models');
const { fastApiErrors, jsonSchemaError } = require('../request-validation');
const { parsePromptTokens } = require('../prompt-tokens');
const { concurrencyDetail } = require('./generation');
const { makePng, makeWav, asset, streamLargeMp4 } = require('../media');
const { HttpError, readBody, sendJson, sendBytes, markStatus, drop } = require('../http-util');

/** @typedef {import('../server').Sandbox} Sandbox */
/** @typedef {import('../http-util').Exchange} Exchange */

const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;
const MIN_EXPIRES_AFTER = 3600;
/** Credits per output unit (images: per image). @type {Readonly<Record<string, number>>} */
const PRICES = Object.freeze({ images: 2, video: 10, audio: 2, audios: 2 });
const QUEUE_FULL_DETAIL = 'Account request queue is full; retry later';

/** @param {any} detail @param {string} [code] */
const coded = (detail, code) => (code ? { detail, code } : { detail });

/** @param {Exchange} ex @param {number} status @param {any} body @param {Record<string, string>} [headers] */
function fail(ex, status, body, headers) {
	sendJson(ex, status, body, headers);
}

/** @param {string} raw @returns {any} */
function parseJsonBody(raw) {
	if (!raw.trim()) throw new HttpError(422, [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
	try {
		return JSON.parse(raw);
	} catch (e) {
		throw new HttpError(422, [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: /** @type {Error} */ (e).message } }]);
	}
}

/** @param {string|null} v @returns {boolean} */
function isWebhookUrl(v) {
	if (v === null) return true;
	try {
		const u = new URL(v);
		return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
	} catch {
		return false;
	}
}

/** @param {any} body @param {string} output */
function outputCount(body, output) {
	if (output !== 'images' && output !== 'audios') return 1;
	const n = [body.num_images, body.batch_size].find((x) => Number.isInteger(x) && x > 0);
	return Math.min(8, n || 1);
}

/** POST /{model_id} @param {Sandbox} sb @param {Exchange} ex */
async function submit(sb, ex) {
	const raw = (await readBody(ex.req, 1 << 20)).toString('utf8');
	const modelId = ex.params.model;
	if (ex.entry) ex.entry.model = modelId;
	const model = sb.requestModels().get(modelId);
	if (!model) return fail(ex, 404, coded(`Model '${modelId}' not found`, 'model_not_found'));
	const body = parseJsonBody(raw);
	if (ex.entry) ex.entry.body = body;
	const o = sb.options;
	if ((o.blockedModels || []).includes(modelId)) return fail(ex, 423, coded(`Model '${modelId}' is temporarily blocked`, 'model_blocked'));

	const keyHeader = ex.req.headers['idempotency-key'];
	const key = keyHeader === undefined ? null : String(keyHeader);
	if (key !== null && !IDEMPOTENCY_KEY_RE.test(key)) throw new HttpError(422, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
	if (ex.entry) ex.entry.idempotencyKey = key;

	const expHeader = ex.req.headers['hf-expires-after'];
	let expiresAfter = null;
	if (expHeader !== undefined) {
		const n = Number(expHeader);
		if (!/^\d+$/.test(String(expHeader).trim()) || n < MIN_EXPIRES_AFTER || n > o.retentionSeconds) {
			throw new HttpError(422, `Hf-Expires-After must be a whole number of seconds from ${MIN_EXPIRES_AFTER} to ${o.retentionSeconds}`);
		}
		expiresAfter = n;
	}
	const webhook = ex.url.searchParams.get('hf_webhook');
	if (!isWebhookUrl(webhook)) throw new HttpError(422, 'hf_webhook must be an absolute https URL without credentials');

	const lookup = (/** @type {string} */ u) => sb.uploads.contentTypeOf(u);
	if (isHiggsfieldModel(modelId)) {
		const errs = fastApiErrors(model.args, body, lookup);
		if (errs.length) throw new HttpError(422, errs);
	} else {
		const e = jsonSchemaError(model.args, body, lookup);
		if (e) throw new HttpError(400, e);
	}

	const keyId = /** @type {string} */ (ex.keyId);
	if (key !== null) {
		const hit = sb.requests.lookupKey(keyId, key, fingerprintOf(modelId, body, webhook, expiresAfter));
		if (hit && 'mismatch' in hit) throw new HttpError(422, 'Idempotency-Key was already used with a different request (model, body, webhook or Hf-Expires-After)');
		if (hit) {
			if (ex.entry) {
				ex.entry.replay = true;
				ex.entry.requestId = hit.rec.id;
			}
			return answer(sb, ex, hit.rec, { 'Idempotent-Replayed': 'true' });
		}
	}

	const admit = sb.requests.admission();
	if (!admit.ok) {
		if (admit.status === 429) return fail(ex, 429, coded(QUEUE_FULL_DETAIL, 'account_queue_full'), { 'Retry-After': String(admit.retryAfter) });
		return fail(ex, 400, coded(concurrencyDetail(sb.requests.limit)));
	}
	const count = outputCount(body, model.output);
	const price = (model.price ?? PRICES[model.output] ?? 1) * count;
	if (!sb.tryCharge(price)) return fail(ex, 403, coded('Not enough credits', 'not_enough_credits'));

	const tokens = parsePromptTokens(body.prompt);
	const rec = sb.requests.create({
		keyId,
		model: modelId,
		output: model.output,
		body,
		webhook,
		idempotencyKey: key,
		expiresAfter,
		seconds: tokens.seconds ?? o.jobSeconds,
		outcome: tokens.outcome ?? (tokens.outcomes ? tokens.outcomes[0] : o.outcome),
		outputCount: count,
		price,
	});
	if (ex.entry) {
		ex.entry.accepted = true;
		ex.entry.requestId = rec.id;
	}
	return answer(sb, ex, rec);
}

/** Send the submit answer, honouring the after-acceptance faults. @param {Sandbox} sb @param {Exchange} ex @param {import('../requests').RequestRecord} rec @param {Record<string, string>} [headers] */
async function answer(sb, ex, rec, headers) {
	const kind = ex.fault && ex.fault.kind;
	if (kind === 'dropAfterAccept') return drop(ex);
	if (kind === 'slowAfterAccept') await sb.sleep(/** @type {import('../faults').Fault} */ (ex.fault).slowMs);
	sendJson(ex, 200, RequestStore.toJson(rec, sb.base), headers);
}

/** @param {Sandbox} sb @param {Exchange} ex */
function findRequest(sb, ex) {
	const rec = sb.requests.get(ex.params.id);
	if (!rec) throw new HttpError(404, 'Request not found');
	if (ex.entry) ex.entry.requestId = rec.id;
	return rec;
}

/** GET /requests/{id}/status @param {Sandbox} sb @param {Exchange} ex */
async function status(sb, ex) {
	const rec = findRequest(sb, ex);
	const body = RequestStore.toJson(rec, sb.base);
	if (ex.entry) ex.entry.requestStatus = body.status;
	sendJson(ex, 200, body);
}

/** POST /requests/{id}/cancel: 202 while queued, 400 once started. @param {Sandbox} sb @param {Exchange} ex */
async function cancel(sb, ex) {
	await readBody(ex.req, 1 << 16).catch(() => Buffer.alloc(0));
	const rec = findRequest(sb, ex);
	if (!sb.requests.cancel(rec)) throw new HttpError(400, `Request ${rec.id} can no longer be canceled (status: ${RequestStore.statusOf(rec)})`);
	markStatus(ex, 202);
	if (ex.res.headersSent || ex.res.destroyed) return;
	ex.res.writeHead(202, { 'Content-Length': '0' });
	ex.res.end();
}

/** DELETE /requests/{id}: deletes a finished request's data; repeating answers the same. @param {Sandbox} sb @param {Exchange} ex */
async function remove(sb, ex) {
	const rec = findRequest(sb, ex);
	if (!RequestStore.isTerminal(rec)) throw new HttpError(400, `Request ${rec.id} is not finished (status: ${RequestStore.statusOf(rec)}); cancel it or wait`);
	if (rec.deletedAt === null) {
		rec.deletedAt = Date.now();
		rec.body = null;
	}
	sendJson(ex, 200, { request_id: rec.id, deleted: true });
}

/** GET /files/requests/{id}/{n}.{png|mp4|wav} @param {Sandbox} sb @param {Exchange} ex */
async function getOutput(sb, ex) {
	const { id, index, ext } = ex.params;
	const rec = sb.requests.get(id);
	const n = Number(index);
	if (!rec || !RequestStore.outputsAvailable(rec) || n >= Math.max(1, rec.outputCount)) throw new HttpError(404, 'Not Found');
	if (ex.entry) ex.entry.requestId = rec.id;
	if (ext === 'png' && rec.output === 'images') return sendBytes(ex, 200, makePng({ width: 256, height: 256, seed: `${rec.id}/${n}` }), 'image/png');
	if (ext === 'wav' && (rec.output === 'audio' || rec.output === 'audios')) {
		return sendBytes(ex, 200, makeWav({ seconds: 1, frequency: 220 + 110 * n }), 'audio/wav');
	}
	if (ext === 'mp4' && rec.output === 'video') {
		const total = sb.options.largeResultBytes;
		if (total > 0) {
			markStatus(ex, 200);
			ex.res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(total) });
			if (ex.req.method === 'HEAD') return void ex.res.end();
			return streamLargeMp4(ex.res, total);
		}
		return sendBytes(ex, 200, asset(rec.model === 'higgsfield-ai/speak' ? 'speak-raw.mp4' : 'video-raw.mp4'), 'video/mp4');
	}
	throw new HttpError(404, 'Not Found');
}

module.exports = { submit, status, cancel, remove, getOutput, QUEUE_FULL_DETAIL };
