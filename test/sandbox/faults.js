// @ts-check
'use strict';
/**
 * Decides which fault (if any) hits a request: one-shot scripted rules first (in order,
 * matched by method and path prefix), then the seeded random rates of `faults.get` / `faults.post`.
 * Categories: 'get' (API GETs), 'files' (GET /files/..., only with faults.get.includeFiles),
 * 'generation' (generation POSTs, faults.post), 'other' (scripts only).
 */
const { mulberry32 } = require('./prng');

const DEFAULT_GET_KINDS = Object.freeze(['500', '503', '429', 'drop', 'slow']);
const DEFAULT_POST_KINDS = Object.freeze(['concurrency', '429', '500', 'refuse', 'dropAfterAccept']);

/**
 * @typedef {{method?: string, path?: string, fault: string, times?: number, slowMs?: number, retryAfter?: number}} ScriptRule
 * @typedef {{kind: string, slowMs: number, retryAfter: number, scripted: boolean}} Fault
 * @typedef {'get'|'files'|'generation'|'other'} FaultCategory
 */

class FaultPlanner {
	/** @param {() => import('./options').SandboxOptions} getOptions */
	constructor(getOptions) {
		this.getOptions = getOptions;
		/** @type {Array<ScriptRule & {remaining: number}>} */
		this.rules = [];
		/** @type {() => number} */
		this.rngGet = mulberry32(0);
		/** @type {() => number} */
		this.rngPost = mulberry32(0);
		this.reseed(getOptions().seed);
	}

	/** @param {number} seed */
	reseed(seed) {
		this.rngGet = mulberry32(Number(seed) * 2 + 1);
		this.rngPost = mulberry32(Number(seed) * 2 + 2);
	}

	/** Queue one-shot rules. @param {ScriptRule[]} rules */
	script(rules) {
		const list = Array.isArray(rules) ? rules : [rules];
		for (const r of list) {
			if (!r || typeof r.fault !== 'string') throw new Error('each script rule needs a "fault" string');
			this.rules.push({ ...r, remaining: r.times === undefined ? 1 : Number(r.times) });
		}
	}

	clearScript() {
		this.rules = [];
	}

	/**
	 * @param {string} method
	 * @param {string} path
	 * @param {FaultCategory} category
	 * @returns {Fault|null}
	 */
	decide(method, path, category) {
		const opts = this.getOptions();
		const getCfg = opts.faults.get || {};
		const postCfg = opts.faults.post || {};
		const idx = this.rules.findIndex(
			(r) => (!r.method || r.method === '*' || r.method.toUpperCase() === method) && (!r.path || path.startsWith(r.path)),
		);
		if (idx >= 0) {
			const r = this.rules[idx];
			if (--r.remaining <= 0) this.rules.splice(idx, 1);
			const base = method === 'POST' ? postCfg : getCfg;
			return {
				kind: r.fault,
				slowMs: Number(r.slowMs ?? base.slowMs ?? getCfg.slowMs ?? 1500),
				retryAfter: Number(r.retryAfter ?? base.retryAfter ?? getCfg.retryAfter ?? 1),
				scripted: true,
			};
		}
		/** @type {import('./options').FaultRates|null} */
		let cfg = null;
		let rng = this.rngGet;
		let kinds = DEFAULT_GET_KINDS;
		if (category === 'get' || (category === 'files' && getCfg.includeFiles)) cfg = opts.faults.get;
		else if (category === 'generation') {
			cfg = opts.faults.post;
			rng = this.rngPost;
			kinds = DEFAULT_POST_KINDS;
		}
		if (!cfg || !(Number(cfg.rate) > 0)) return null;
		if (rng() >= Number(cfg.rate)) return null;
		const k = cfg.kinds && cfg.kinds.length ? cfg.kinds : kinds;
		return {
			kind: String(k[Math.floor(rng() * k.length)]),
			slowMs: Number(cfg.slowMs ?? 1500),
			retryAfter: Number(cfg.retryAfter ?? 1),
			scripted: false,
		};
	}
}

module.exports = { FaultPlanner, DEFAULT_GET_KINDS, DEFAULT_POST_KINDS };
