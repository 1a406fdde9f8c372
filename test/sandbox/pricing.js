// @ts-check
'use strict';
/** Credit prices (the contract's older price points). Failed, nsfw and canceled jobs are refunded. */

/** @type {Readonly<Record<string, number>>} */
const SOUL_PER_IMAGE = Object.freeze({ '720p': 1.5, '1080p': 3 });
/** @type {Readonly<Record<string, number>>} */
const DOP = Object.freeze({ 'dop-lite': 2, 'dop-turbo': 6.5, 'dop-preview': 9 });
/** @type {Readonly<Record<string, number>>} */
const SPEAK_PER_5S = Object.freeze({ mid: 11, high: 18 });
const CHARACTER = 40;

/**
 * Price of a whole job set.
 * @param {'soul'|'dop'|'speak'} kind
 * @param {Record<string, any>} params validated params
 */
function priceOf(kind, params) {
	if (kind === 'soul') return (SOUL_PER_IMAGE[params.quality] ?? 3) * (params.batch_size || 1);
	if (kind === 'dop') return DOP[params.model] ?? 9;
	return (SPEAK_PER_5S[params.quality] ?? 18) * ((params.duration || 5) / 5);
}

module.exports = { priceOf, CHARACTER_PRICE: CHARACTER };
