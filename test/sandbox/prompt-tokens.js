// @ts-check
'use strict';
/**
 * Magic tokens in a prompt (or a character name) that steer the sandbox without code:
 *   [sandbox:failed] [sandbox:nsfw] [sandbox:canceled] [sandbox:completed]  outcome of every job
 *   [sandbox:outcomes=completed,nsfw,failed]  outcome per job of a batch (cycled)
 *   [sandbox:seconds=N]   duration of the job set (decimals allowed)
 *   [sandbox:stagger=N]   job k ends N*k seconds after job 0
 * Case-insensitive; several tokens may be combined.
 */

const OUTCOMES = Object.freeze(['completed', 'failed', 'nsfw', 'canceled']);

/** @typedef {{outcome?: string, outcomes?: string[], seconds?: number, stagger?: number}} PromptDirectives */

/** @param {string} s */
function normalizeOutcome(s) {
	const o = s.trim().toLowerCase();
	if (o === 'cancelled') return 'canceled';
	return OUTCOMES.includes(o) ? o : undefined;
}

/**
 * @param {unknown} text
 * @returns {PromptDirectives}
 */
function parsePromptTokens(text) {
	/** @type {PromptDirectives} */
	const out = {};
	if (typeof text !== 'string') return out;
	const re = /\[sandbox:([a-z_]+)(?:=([^\]]*))?\]/gi;
	let m;
	while ((m = re.exec(text))) {
		const key = m[1].toLowerCase();
		const val = m[2];
		if (val === undefined) {
			const o = normalizeOutcome(key);
			if (o) out.outcome = o;
		} else if (key === 'seconds' || key === 'stagger') {
			const n = Number(val);
			if (Number.isFinite(n) && n >= 0) out[key] = n;
		} else if (key === 'outcomes') {
			const list = val.split(',').map(normalizeOutcome).filter(Boolean);
			if (list.length) out.outcomes = /** @type {string[]} */ (list);
		}
	}
	return out;
}

module.exports = { OUTCOMES, parsePromptTokens, normalizeOutcome };
