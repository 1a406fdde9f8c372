// @ts-check
'use strict';
/**
 * The route table and its matcher. `auth`: needs Higgsfield credentials. `category`: which fault
 * rates apply (see faults.js). `control`: /__sandbox routes (no log, no auth, no faults).
 */
const { generationHandler } = require('./handlers/generation');
const { getJobSet } = require('./handlers/job-sets');
const { getMotions, getStyles } = require('./handlers/catalog');
const chars = require('./handlers/characters');
const { generateUploadUrl, putUpload } = require('./handlers/uploads');
const files = require('./handlers/files');
const { control } = require('./handlers/control');
const requests = require('./handlers/requests');

/**
 * @typedef {(sb: import('./server').Sandbox, ex: import('./http-util').Exchange) => Promise<void>} Handler
 * @typedef {{method: string, pattern: RegExp, handler: Handler, auth?: boolean, control?: boolean,
 *   category?: import('./faults').FaultCategory, requestApi?: boolean, fallback?: boolean}} Route
 *   `requestApi`: a path of the model-request API (its 429 fault says account_queue_full);
 *   `fallback`: matched last and only for its method (POST /{model_id} takes any other path).
 */

const ID = '(?<id>[^/]+)';

/** @type {Route[]} */
const ROUTES = [
	// control
	{ method: 'GET', pattern: /^\/__sandbox\/log$/, handler: control.getLog, control: true },
	{ method: 'DELETE', pattern: /^\/__sandbox\/log$/, handler: control.clearLog, control: true },
	{ method: 'POST', pattern: /^\/__sandbox\/configure$/, handler: control.configure, control: true },
	{ method: 'POST', pattern: /^\/__sandbox\/script$/, handler: control.script, control: true },
	{ method: 'DELETE', pattern: /^\/__sandbox\/script$/, handler: control.clearScript, control: true },
	{ method: 'GET', pattern: /^\/__sandbox\/webhooks$/, handler: control.getWebhooks, control: true },
	{ method: 'DELETE', pattern: /^\/__sandbox\/webhooks$/, handler: control.clearWebhooks, control: true },
	{ method: 'POST', pattern: new RegExp(`^/__sandbox/deliver/${ID}$`), handler: control.deliver, control: true },
	{ method: 'GET', pattern: /^\/__sandbox\/state$/, handler: control.state, control: true },
	{ method: 'GET', pattern: /^\/__sandbox\/job-sets$/, handler: control.getJobSets, control: true },
	{ method: 'GET', pattern: /^\/__sandbox\/accepted$/, handler: control.getAccepted, control: true },
	{ method: 'GET', pattern: /^\/__sandbox\/requests$/, handler: control.getRequests, control: true },
	{ method: 'GET', pattern: /^\/__sandbox\/request-stats$/, handler: control.getRequestStats, control: true },
	{ method: 'POST', pattern: new RegExp(`^/__sandbox/requests/${ID}/expire$`), handler: control.expireRequest, control: true },
	{ method: 'POST', pattern: new RegExp(`^/__sandbox/requests/${ID}/deliver$`), handler: control.deliverRequest, control: true },
	{ method: 'POST', pattern: new RegExp(`^/__sandbox/redeliver/${ID}$`), handler: control.redeliver, control: true },
	{ method: 'GET', pattern: /^\/__sandbox\/models$/, handler: control.getModels, control: true },

	// generation
	{ method: 'POST', pattern: /^\/v1\/text2image\/soul$/, handler: generationHandler('soul'), auth: true, category: 'generation' },
	{ method: 'POST', pattern: /^\/v1\/image2video\/dop$/, handler: generationHandler('dop'), auth: true, category: 'generation' },
	{ method: 'POST', pattern: /^\/v1\/speak\/higgsfield$/, handler: generationHandler('speak'), auth: true, category: 'generation' },
	{ method: 'GET', pattern: new RegExp(`^/v1/job-sets/${ID}$`), handler: getJobSet, auth: true, category: 'get' },

	// catalogues
	{ method: 'GET', pattern: /^\/v1\/motions$/, handler: getMotions, auth: true, category: 'get' },
	{ method: 'GET', pattern: /^\/v1\/text2image\/soul-styles$/, handler: getStyles, auth: true, category: 'get' },

	// characters
	{ method: 'POST', pattern: /^\/v1\/custom-references$/, handler: chars.createCharacter, auth: true, category: 'other' },
	{ method: 'GET', pattern: /^\/v1\/custom-references\/list$/, handler: chars.listCharacters, auth: true, category: 'get' },
	{ method: 'GET', pattern: new RegExp(`^/v1/custom-references/${ID}$`), handler: chars.getCharacter, auth: true, category: 'get' },
	{ method: 'DELETE', pattern: new RegExp(`^/v1/custom-references/${ID}$`), handler: chars.deleteCharacter, auth: true, category: 'other' },

	// uploads and files
	{ method: 'POST', pattern: /^\/files\/generate-upload-url$/, handler: generateUploadUrl, auth: true, category: 'other' },
	{ method: 'PUT', pattern: /^\/s3\/higgsfield-uploads\/(?<file>[^/]+)$/, handler: putUpload, category: 'other' },
	{ method: 'GET', pattern: /^\/files\/results\/(?<jobId>[0-9a-f-]{36})\/(?<variant>raw|min)\.(?<ext>png|mp4)$/, handler: files.getResult, category: 'files' },
	{ method: 'GET', pattern: /^\/files\/uploads\/(?<file>[^/]+)$/, handler: files.getUpload, category: 'files' },
	{ method: 'GET', pattern: /^\/files\/requests\/(?<id>[0-9a-f-]{36})\/(?<index>\d{1,2})\.(?<ext>png|mp4|wav)$/, handler: requests.getOutput, category: 'files', requestApi: true },
	{ method: 'GET', pattern: new RegExp(`^/files/characters/${ID}/thumbnail\\.png$`), handler: files.getThumbnail, category: 'files' },
	{ method: 'GET', pattern: /^\/files\/previews\/(?<group>motions|styles)\/(?<id>[^/]+)\.(?<ext>mp4|png)$/, handler: files.getPreview, category: 'files' },

	// the model-request API
	{ method: 'GET', pattern: new RegExp(`^/requests/${ID}/status$`), handler: requests.status, auth: true, category: 'get', requestApi: true },
	{ method: 'POST', pattern: new RegExp(`^/requests/${ID}/cancel$`), handler: requests.cancel, auth: true, category: 'other', requestApi: true },
	{ method: 'DELETE', pattern: new RegExp(`^/requests/${ID}$`), handler: requests.remove, auth: true, category: 'other', requestApi: true },
	{
		method: 'POST',
		pattern: /^\/(?<model>(?!(?:__sandbox|v1|files|requests|s3)(?:\/|$))[^/][^?#]*)$/,
		handler: requests.submit,
		auth: true,
		category: 'generation',
		requestApi: true,
		fallback: true,
	},
];

/**
 * @param {string} method @param {string} pathname
 * @returns {{route: Route, params: Record<string, string>} | {status: 404|405, control: boolean}}
 */
function matchRoute(method, pathname) {
	const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
	const m = method === 'HEAD' ? 'GET' : method;
	let pathMatched = false;
	for (const route of ROUTES) {
		if (route.fallback && route.method !== m) continue;
		const r = route.pattern.exec(path);
		if (!r) continue;
		pathMatched = true;
		if (route.method !== m) continue;
		/** @type {Record<string, string>} */
		const params = {};
		for (const [k, v] of Object.entries(r.groups || {})) params[k] = decodeURIComponent(v);
		return { route, params };
	}
	return { status: pathMatched ? 405 : 404, control: path.startsWith('/__sandbox') };
}

module.exports = { ROUTES, matchRoute };
