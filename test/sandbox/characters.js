// @ts-check
'use strict';
/**
 * Characters ("custom references", Soul ID). Status by wall clock over `characterSeconds`:
 * not_ready (first 10%), queued (to 30%), in_progress, then completed (or failed when the
 * name carries [sandbox:failed]).
 */
const crypto = require('crypto');
const { isoMicros } = require('./jobs');
const { parsePromptTokens } = require('./prompt-tokens');

const PHASES = Object.freeze([
	['not_ready', 0],
	['queued', 0.1],
	['in_progress', 0.3],
]);
const FAIL_REASON = 'Training failed: no face detected in the input images (sandbox)';

/**
 * @typedef {{id: string, keyId: string, name: string, inputImages: any[], createdAt: number,
 *   durationMs: number, outcome: 'completed'|'failed'}} CharacterRecord
 */

class CharacterStore {
	constructor() {
		/** @type {Map<string, CharacterRecord>} */
		this.items = new Map();
	}

	/** @param {{keyId: string, name: string, inputImages: any[], seconds: number}} spec */
	create(spec) {
		const tokens = parsePromptTokens(spec.name);
		const seconds = tokens.seconds ?? spec.seconds;
		/** @type {CharacterRecord} */
		const c = {
			id: crypto.randomUUID(),
			keyId: spec.keyId,
			name: spec.name,
			inputImages: spec.inputImages,
			createdAt: Date.now(),
			durationMs: Math.max(0, Math.round(seconds * 1000)),
			outcome: tokens.outcome && tokens.outcome !== 'completed' ? 'failed' : 'completed',
		};
		this.items.set(c.id, c);
		return c;
	}

	/** @param {string} id */
	get(id) {
		return this.items.get(id);
	}

	/** @param {string} id */
	delete(id) {
		return this.items.delete(id);
	}

	/** Newest first. @param {string} keyId */
	listFor(keyId) {
		return [...this.items.values()].filter((c) => c.keyId === keyId).sort((a, b) => b.createdAt - a.createdAt);
	}

	/** @param {CharacterRecord} c @param {number} [now] @returns {{status: string, since: number}} */
	static state(c, now = Date.now()) {
		const elapsed = now - c.createdAt;
		if (elapsed >= c.durationMs) return { status: c.outcome, since: c.createdAt + c.durationMs };
		let current = { status: 'not_ready', since: c.createdAt };
		for (const [status, frac] of PHASES) {
			const at = c.createdAt + Math.round(c.durationMs * /** @type {number} */ (frac));
			if (now >= at) current = { status: /** @type {string} */ (status), since: at };
		}
		return current;
	}

	/** @param {CharacterRecord} c @param {string} base @param {number} [now] */
	static toJson(c, base, now = Date.now()) {
		const { status, since } = CharacterStore.state(c, now);
		return {
			id: c.id,
			name: c.name,
			status,
			thumbnail_url: status === 'completed' ? `${base}/files/characters/${c.id}/thumbnail.png` : null,
			fail_reason: status === 'failed' ? FAIL_REASON : null,
			created_at: isoMicros(c.createdAt),
			updated_at: isoMicros(since),
		};
	}
}

module.exports = { CharacterStore };
