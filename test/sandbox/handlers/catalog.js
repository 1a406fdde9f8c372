// @ts-check
'use strict';
/** GET /v1/motions and GET /v1/text2image/soul-styles (free catalogue endpoints). */
const { motionsBody, stylesBody } = require('../catalog');
const { sendJson } = require('../http-util');

/** @param {import('../server').Sandbox} sb @param {import('../http-util').Exchange} ex */
async function getMotions(sb, ex) {
	sendJson(ex, 200, motionsBody(sb.base));
}

/** @param {import('../server').Sandbox} sb @param {import('../http-util').Exchange} ex */
async function getStyles(sb, ex) {
	sendJson(ex, 200, stylesBody(sb.base));
}

module.exports = { getMotions, getStyles };
