// @ts-check
'use strict';
/** /__sandbox/...: out-of-process control (no auth, not logged, no faults). */
const { readJson, sendJson, HttpError } = require('../http-util');
const { optionsForJson } = require('../options');
const V = require('../validation');
const { RequestStore } = require('../requests');

/** @typedef {import('../server').Sandbox} Sandbox */
/** @typedef {import('../http-util').Exchange} Exchange */

/** @param {Exchange} ex */
async function optionalJson(ex) {
	try {
		return await readJson(ex);
	} catch {
		return undefined;
	}
}

/** @type {Record<string, (sb: Sandbox, ex: Exchange) => Promise<void>>} */
const control = {
	async getLog(sb, ex) {
		sendJson(ex, 200, sb.log);
	},
	async clearLog(sb, ex) {
		sb.clearLog();
		sendJson(ex, 200, {});
	},
	async configure(sb, ex) {
		const patch = await readJson(ex);
		if (!V.isObject(patch)) throw new HttpError(422, 'configure expects a JSON object of options');
		sb.configure(patch);
		sendJson(ex, 200, optionsForJson(sb.options));
	},
	async script(sb, ex) {
		const rules = await readJson(ex);
		try {
			sb.script(rules);
		} catch (e) {
			throw new HttpError(422, /** @type {Error} */ (e).message);
		}
		sendJson(ex, 200, { queued: sb.faults.rules.length });
	},
	async clearScript(sb, ex) {
		sb.faults.clearScript();
		sendJson(ex, 200, {});
	},
	async getWebhooks(sb, ex) {
		sendJson(ex, 200, sb.webhookDeliveries);
	},
	async clearWebhooks(sb, ex) {
		sb.webhookDeliveries.length = 0;
		sendJson(ex, 200, {});
	},
	async deliver(sb, ex) {
		const body = (await optionalJson(ex)) || {};
		const set = sb.jobs.get(String(V.normalizeUuid(ex.params.id)));
		if (!set) throw new HttpError(404, 'Job set not found');
		const url = body.url || (set.webhook && set.webhook.url);
		if (!url) throw new HttpError(422, 'deliver needs {"url", "secret"} (or a job set created with a webhook)');
		const secret = body.secret ?? (set.webhook ? set.webhook.secret : '');
		sendJson(ex, 200, await sb.deliverWebhook(set, url, secret, body));
	},
	async state(sb, ex) {
		sendJson(ex, 200, {
			url: sb.url,
			options: optionsForJson(sb.options),
			scriptQueue: sb.faults.rules,
			jobSets: [...sb.jobSets.values()],
			characters: sb.characters.items.size,
			acceptedSubmissions: sb.acceptedSubmissions().length,
		});
	},
	async getJobSets(sb, ex) {
		sendJson(ex, 200, [...sb.jobSets.values()]);
	},
	async getAccepted(sb, ex) {
		sendJson(ex, 200, sb.acceptedSubmissions());
	},
	async getRequests(sb, ex) {
		sendJson(ex, 200, [...sb.requests.records.values()].map((r) => RequestStore.describe(r)));
	},
	async getRequestStats(sb, ex) {
		sendJson(ex, 200, sb.requestStats());
	},
	async getModels(sb, ex) {
		sendJson(ex, 200, [...sb.requestModels().values()]);
	},
	/** Make a request's outputs expire now (its status still answers; its files 404). */
	async expireRequest(sb, ex) {
		const rec = sb.requests.get(ex.params.id);
		if (!rec) throw new HttpError(404, 'Request not found');
		rec.expiresAtMs = Math.min(rec.expiresAtMs ?? Date.now(), Date.now() - 1);
		sendJson(ex, 200, RequestStore.toJson(rec, sb.base));
	},
	/** Deliver a request's current status body as a NEW event `{url?, signingSecret?, timestampOffsetSeconds?}` (default URL: its hf_webhook). */
	async deliverRequest(sb, ex) {
		const body = (await optionalJson(ex)) || {};
		const rec = sb.requests.get(ex.params.id);
		if (!rec) throw new HttpError(404, 'Request not found');
		const url = body.url || rec.webhook;
		if (!url) throw new HttpError(422, 'deliver needs {"url"} (or a request submitted with hf_webhook)');
		sendJson(ex, 200, await sb.deliverRequestWebhook(rec, url, body));
	},
	/** Send an earlier event again, same webhook-id: `{url?, timestampOffsetSeconds?, signingSecret?}`. */
	async redeliver(sb, ex) {
		const body = (await optionalJson(ex)) || {};
		const p = sb.redeliver(ex.params.id, body);
		if (!p) throw new HttpError(404, 'Webhook event not found');
		sendJson(ex, 200, await p);
	},
};

module.exports = { control };
