#!/usr/bin/env node
// @ts-check
'use strict';
/** Standalone sandbox: `node test/sandbox/cli.js --port 4010 --job-seconds 5 ...` (see --help). */
const { startSandbox } = require('./server');

/** flag -> [option name, parser, help] */
const FLAGS = {
	'--port': ['port', Number, 'port to listen on (default 0 = random free port)'],
	'--api-key': ['apiKey', String, 'accepted key id (default hf-sandbox-key)'],
	'--api-secret': ['apiSecret', String, 'accepted key secret (default hf-sandbox-secret)'],
	'--job-seconds': ['jobSeconds', Number, 'duration of a job set (default 2)'],
	'--character-seconds': ['characterSeconds', Number, 'training time of a character (default 3)'],
	'--concurrency': ['concurrency', Number, 'job sets in flight per key before 400 (default 4)'],
	'--soul-1080p-concurrency': ['soul1080pConcurrency', Number, 'extra cap for Soul 1080p job sets (default off)'],
	'--credits': ['credits', (/** @type {string} */ v) => (/^inf/i.test(v) ? Infinity : Number(v)), 'credit balance (default Infinity)'],
	'--webhook-duplicates': ['webhookDuplicates', Number, 'extra identical webhook deliveries (default 0)'],
	'--seed': ['seed', Number, 'PRNG seed for fault injection (default 1)'],
	'--fault-rate-get': ['faultRateGet', Number, 'probability of a fault on API GETs (kinds 500,503,429,drop,slow)'],
	'--fault-kinds-get': ['faultKindsGet', (/** @type {string} */ v) => v.split(','), 'comma-separated GET fault kinds'],
	'--fault-rate-post': ['faultRatePost', Number, 'probability of a fault on generation POSTs'],
	'--fault-kinds-post': ['faultKindsPost', (/** @type {string} */ v) => v.split(','), 'comma-separated POST fault kinds (concurrency,429,500,refuse,dropAfterAccept)'],
	'--slow-ms': ['slowMs', Number, 'delay of the "slow" fault (default 1500)'],
	'--outcome': ['outcome', String, 'default job outcome: completed|failed|nsfw|canceled'],
	'--large-result-bytes': ['largeResultBytes', Number, 'stream video raw results of this many bytes'],
	'--public-url': ['publicUrl', String, 'base of the URLs handed out (default http://127.0.0.1:PORT)'],
	'--request-limit-mode': ['requestLimitMode', String, 'request API over the limit: queue (default; 429 when the queue is full) | reject (older 400)'],
	'--request-queue-size': ['requestQueueSize', Number, 'waiting places of the request queue (default 2 x concurrency)'],
	'--request-queued-seconds': ['requestQueuedSeconds', Number, 'least time a request stays queued (default 0)'],
	'--retention-seconds': ['retentionSeconds', Number, 'output retention of the request API (default 604800)'],
	'--blocked-models': ['blockedModels', (/** @type {string} */ v) => v.split(','), 'comma-separated model ids answering 423 model_blocked'],
	'--webhook-signing-secret': ['webhookSigningSecret', (/** @type {string} */ v) => v.split(','), 'whsec_... signing secret(s); two comma-separated = a rotation (both sign)'],
	'--webhook-retries': ['webhookRetries', Number, 'request-API webhook retries on network errors/5xx (default 2)'],
	'--webhook-retry-delay-ms': ['webhookRetryDelayMs', Number, 'delay between those retries (default 1000)'],
};

function usage() {
	const lines = Object.entries(FLAGS).map(([f, [, , help]]) => `  ${f.padEnd(26)} ${help}`);
	return ['Usage: node test/sandbox/cli.js [options]', '', ...lines, `  ${'--help'.padEnd(26)} show this help`].join('\n');
}

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, any>} */
	const raw = {};
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		if (arg === '--help' || arg === '-h') return { help: true };
		let value;
		const eq = arg.indexOf('=');
		if (eq > 0) {
			value = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		}
		const spec = FLAGS[/** @type {keyof typeof FLAGS} */ (arg)];
		if (!spec) throw new Error(`unknown option ${arg}`);
		if (value === undefined) value = argv[++i];
		if (value === undefined) throw new Error(`option ${arg} needs a value`);
		const parsed = /** @type {Function} */ (spec[1])(value);
		if (typeof parsed === 'number' && Number.isNaN(parsed)) throw new Error(`option ${arg}: not a number: ${value}`);
		raw[/** @type {string} */ (spec[0])] = parsed;
	}
	const { faultRateGet, faultKindsGet, faultRatePost, faultKindsPost, slowMs, ...opts } = raw;
	opts.faults = {
		get: faultRateGet ? { rate: faultRateGet, kinds: faultKindsGet, slowMs } : null,
		post: faultRatePost ? { rate: faultRatePost, kinds: faultKindsPost } : null,
	};
	return { opts };
}

async function main() {
	let parsed;
	try {
		parsed = parseArgs(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`${/** @type {Error} */ (e).message}\n\n${usage()}\n`);
		process.exit(2);
	}
	if ('help' in parsed) {
		process.stdout.write(`${usage()}\n`);
		return;
	}
	const sb = await startSandbox(parsed.opts);
	process.stdout.write(`Higgsfield sandbox listening on ${sb.url}\n`);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		sb.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

function run() {
	main().catch((e) => {
		process.stderr.write(`sandbox failed to start: ${e && e.stack ? e.stack : e}\n`);
		process.exit(1);
	});
}

if (require.main === module) run();

module.exports = { parseArgs, usage, run };
