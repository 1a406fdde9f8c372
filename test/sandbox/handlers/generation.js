// @ts-check
'use strict';
/** POST /v1/text2image/soul, /v1/image2video/dop, /v1/speak/higgsfield. */
const { validateGeneration } = require('../schemas');
const { normalizeUuid } = require('../validation');
const { findMotion, findStyle } = require('../catalog');
const { parsePromptTokens } = require('../prompt-tokens');
const { priceOf } = require('../pricing');
const { JobStore } = require('../jobs');
const { HttpError, readJson, sendJson, drop } = require('../http-util');

/** @typedef {import('../server').Sandbox} Sandbox */
/** @typedef {import('../http-util').Exchange} Exchange */

const concurrencyDetail = (/** @type {number} */ n) => `Maximum number of concurrent requests (${n}) has been reached`;

/**
 * Checks the 422 schema cannot express (references to catalogues and characters): 400s.
 * @param {Sandbox} sb @param {'soul'|'dop'|'speak'} kind @param {any} params
 */
function checkReferences(sb, kind, params) {
	if (kind === 'soul') {
		if (params.style_id !== undefined && !findStyle(/** @type {string} */ (normalizeUuid(params.style_id)))) {
			throw new HttpError(400, 'style not found');
		}
		if (params.custom_reference_id !== undefined) {
			const id = /** @type {string} */ (normalizeUuid(params.custom_reference_id));
			const c = sb.characters.get(id);
			if (!c) throw new HttpError(400, `Custom reference not found: ${id}`);
			const { status } = sb.characterState(c);
			if (status !== 'completed') {
				throw new HttpError(400, `Custom reference ${id} is not ready (status: ${status}); only completed characters can be used`);
			}
		}
	}
	if (kind === 'dop') {
		const motions = (params.motions || []).map((/** @type {any} */ m) => {
			const found = findMotion(/** @type {string} */ (normalizeUuid(m.id)));
			if (!found) throw new HttpError(400, `Motion not found: ${m.id}`);
			return found;
		});
		if (params.input_images_end && params.input_images_end.length && !motions.some((/** @type {any} */ m) => m.start_end_frame)) {
			throw new HttpError(400, 'input_images_end is only supported with a motion whose start_end_frame is true');
		}
	}
}

/** The 400 concurrency answers, or null when a new job set may start. @param {Sandbox} sb @param {string} keyId @param {'soul'|'dop'|'speak'} kind @param {any} params */
function concurrencyRefusal(sb, keyId, kind, params) {
	const o = sb.options;
	if (sb.jobs.inFlight(keyId) >= o.concurrency) return concurrencyDetail(o.concurrency);
	const cap = o.soul1080pConcurrency;
	if (cap !== null && cap !== undefined && kind === 'soul' && params.quality === '1080p') {
		if (sb.jobs.inFlight(keyId, (s) => s.kind === 'soul' && s.quality === '1080p') >= cap) return concurrencyDetail(cap);
	}
	return null;
}

/** @param {'soul'|'dop'|'speak'} kind */
function generationHandler(kind) {
	/** @param {Sandbox} sb @param {Exchange} ex */
	return async (sb, ex) => {
		const body = await readJson(ex);
		const errors = validateGeneration(kind, body, (url) => sb.uploads.contentTypeOf(url));
		if (errors.length) throw new HttpError(422, errors);
		const params = body.params;
		checkReferences(sb, kind, params);
		const keyId = /** @type {string} */ (ex.keyId);
		const refusal = concurrencyRefusal(sb, keyId, kind, params);
		if (refusal) throw new HttpError(400, refusal);
		const price = priceOf(kind, params);
		if (!sb.tryCharge(price)) throw new HttpError(403, 'Not enough credits');

		const tokens = parsePromptTokens(params.prompt);
		const set = sb.jobs.create({
			kind,
			keyId,
			params,
			webhook: body.webhook ? { url: body.webhook.url, secret: body.webhook.secret } : null,
			jobCount: kind === 'soul' ? params.batch_size || 1 : 1,
			seconds: tokens.seconds ?? sb.options.jobSeconds,
			stagger: tokens.stagger ?? 0,
			outcomes: tokens.outcomes ?? [tokens.outcome ?? sb.options.outcome],
			price,
		});
		if (ex.entry) {
			ex.entry.accepted = true;
			ex.entry.jobSetId = set.id;
		}
		if (ex.fault && ex.fault.kind === 'dropAfterAccept') return drop(ex);
		sendJson(ex, 200, JobStore.toJson(set, sb.base));
	};
}

module.exports = { generationHandler, concurrencyDetail };
