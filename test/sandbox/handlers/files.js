// @ts-check
'use strict';
/** GET /files/...: generated results, uploaded files, character thumbnails, catalogue previews. */
const { makePng, asset, streamLargeMp4 } = require('../media');
const { findMotion, findStyle } = require('../catalog');
const { markStatus, sendBytes, HttpError } = require('../http-util');

/** @typedef {import('../server').Sandbox} Sandbox */
/** @typedef {import('../http-util').Exchange} Exchange */

const notFound = () => new HttpError(404, 'Not Found');
const VIDEO_ASSETS = Object.freeze({
	dop: { raw: 'video-raw.mp4', min: 'video-min.mp4' },
	speak: { raw: 'speak-raw.mp4', min: 'speak-min.mp4' },
});

/** Stream `total` bytes of MP4 without holding them in memory. @param {Exchange} ex @param {number} total */
async function sendLargeMp4(ex, total) {
	markStatus(ex, 200);
	ex.res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(total) });
	if (ex.req.method === 'HEAD') return void ex.res.end();
	await streamLargeMp4(ex.res, total);
}

/** /files/results/{jobId}/{raw|min}.{png|mp4} @param {Sandbox} sb @param {Exchange} ex */
async function getResult(sb, ex) {
	const { jobId, variant, ext } = ex.params;
	const found = sb.jobs.findJob(jobId);
	if (!found) throw notFound();
	sb.jobs.refresh(found.set);
	if (found.job.completedAt === null || found.job.outcome !== 'completed') throw notFound();
	if (ex.entry) ex.entry.jobSetId = found.set.id;
	const kind = found.set.kind;
	if (kind === 'soul') {
		if (ext !== 'png') throw notFound();
		const size = variant === 'raw' ? 256 : 64;
		return sendBytes(ex, 200, makePng({ width: size, height: size, seed: jobId }), 'image/png');
	}
	if (ext !== 'mp4') throw notFound();
	if (variant === 'raw' && sb.options.largeResultBytes > 0) return sendLargeMp4(ex, sb.options.largeResultBytes);
	sendBytes(ex, 200, asset(VIDEO_ASSETS[kind][/** @type {'raw'|'min'} */ (variant)]), 'video/mp4');
}

/** /files/uploads/{file} @param {Sandbox} sb @param {Exchange} ex */
async function getUpload(sb, ex) {
	const rec = sb.uploads.byFile(ex.params.file);
	if (!rec || !rec.data) throw notFound();
	sendBytes(ex, 200, rec.data, rec.contentType);
}

/** /files/characters/{id}/thumbnail.png @param {Sandbox} sb @param {Exchange} ex */
async function getThumbnail(sb, ex) {
	const c = sb.characters.get(ex.params.id);
	if (!c || sb.characterState(c).status !== 'completed') throw notFound();
	sendBytes(ex, 200, makePng({ width: 128, height: 128, seed: c.id }), 'image/png');
}

/** /files/previews/{motions|styles}/{id}.{mp4|png} @param {Sandbox} sb @param {Exchange} ex */
async function getPreview(sb, ex) {
	const { group, id, ext } = ex.params;
	if (group === 'motions' && ext === 'mp4' && findMotion(id)) return sendBytes(ex, 200, asset('video-min.mp4'), 'video/mp4');
	if (group === 'styles' && ext === 'png' && findStyle(id)) return sendBytes(ex, 200, makePng({ width: 96, height: 96, seed: id }), 'image/png');
	throw notFound();
}

module.exports = { getResult, getUpload, getThumbnail, getPreview };
