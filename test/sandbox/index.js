// @ts-check
'use strict';
/**
 * Higgsfield sandbox: a faithful local fake of the Higgsfield v1 API (the v1 API documentation; see README.md here).
 *   const { startSandbox } = require('./test/sandbox');
 *   const sb = await startSandbox({ jobSeconds: 0.2 });  // sb.url, sb.log, sb.configure(), sb.close() ...
 */
const { Sandbox, startSandbox } = require('./server');
const { MOTIONS, STYLES } = require('./catalog');
const { makePng, makeWav } = require('./media');
const { SOUL_SIZES, DOP_MODELS, UPLOAD_CONTENT_TYPES } = require('./schemas');
const { defaults } = require('./options');

module.exports = {
	startSandbox,
	Sandbox,
	MOTIONS,
	STYLES,
	SOUL_SIZES,
	DOP_MODELS,
	UPLOAD_CONTENT_TYPES,
	makePng,
	makeWav,
	defaultOptions: defaults,
};
