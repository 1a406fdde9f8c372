// @ts-check
'use strict';
/** GET /v1/job-sets/{job_set_id}. */
const V = require('../validation');
const { JobStore } = require('../jobs');
const { HttpError, sendJson } = require('../http-util');

const TERMINAL = new Set(['completed', 'failed', 'nsfw', 'canceled']);

/** @param {import('../server').Sandbox} sb @param {import('../http-util').Exchange} ex */
async function getJobSet(sb, ex) {
	const raw = ex.params.id;
	/** @type {V.PydError[]} */
	const errs = [];
	if (!V.uuid(raw, ['path', 'job_set_id'], errs)) throw new HttpError(422, errs);
	const set = sb.jobs.get(/** @type {string} */ (V.normalizeUuid(raw)));
	if (!set) throw new HttpError(404, 'Job set not found');
	const body = JobStore.toJson(set, sb.base);
	if (ex.entry) {
		ex.entry.jobSetId = set.id;
		ex.entry.completedJobs = body.jobs.filter((j) => TERMINAL.has(j.status)).map((j) => j.id);
	}
	sendJson(ex, 200, body);
}

module.exports = { getJobSet, TERMINAL };
