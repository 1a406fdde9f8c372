// @ts-check
'use strict';
/**
 * Node built-ins for tests, in plain JS (the community lint rules forbid them in TypeScript):
 * how many abort listeners a signal has, and what test/environment.js saw on the real process.
 */
const { getEventListeners } = require('events');

/** @param {AbortSignal} signal */
function abortListenerCount(signal) {
	return getEventListeners(signal, 'abort').length;
}

/** MaxListenersExceededWarning and unhandled rejections seen so far in this test file. @returns {string[]} */
function processProblems() {
	return /** @type {any} */ (globalThis).__hfProcessProblems ?? [];
}

module.exports = { abortListenerCount, processProblems };
