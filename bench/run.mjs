#!/usr/bin/env node
/**
 * npm run bench [-- --items 24 --concurrency 4 --job-seconds 20]
 *
 * Runs the package's nodes in this process through real n8n-core executions (the runner of the
 * jest suite, test/helpers/n8n.ts) against the Higgsfield sandbox, and measures:
 *   batch     N items with Max Concurrent Jobs C, each job taking D seconds on the sandbox, against
 *             the ideal ceil(N/C)*D and against the HTTP Request + Wait loop people build today;
 *   polling   requests per job and the lag between the sandbox finishing a job set and the node
 *             seeing it (both read from the sandbox's own log and clock);
 *   download  peak RSS growth while a large video result (>= 512 MB) is downloaded into n8n's
 *             binary data, kept on the filesystem as in n8n 2.x; the sandbox runs in a child process.
 *   requestApi N items through the Higgsfield node (request API) against the sandbox's account limit
 *             (C running, more queued server-side), each request taking D seconds: wall time against
 *             ceil(N/C)*D, requests per job, completion lag; `--request-sweep` tries several
 *             Max Concurrent Requests values and counts the 429 queue-full answers of each.
 * Prints a table, writes bench/results.json, exits 1 when a target fails. See bench/README.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(import.meta.url);

// ---- options ---------------------------------------------------------------------------------
const FLAGS = {
	'--items': ['items', 24, 'items fed to the node in the batch run'],
	'--concurrency': ['concurrency', 4, 'the node\'s "Max Concurrent Jobs" (and the sandbox\'s per-key cap, at least 4)'],
	'--job-seconds': ['jobSeconds', 20, 'how long each sandbox job takes (D)'],
	'--baseline-poll-seconds': ['baselinePollSeconds', 5, 'Wait node interval of the HTTP Request + Wait baseline'],
	'--large-mb': ['largeMB', 512, 'size of the large result of the download run, in MiB'],
	'--poll-interval': ['pollInterval', undefined, 'node option Poll Interval (s); default: the node\'s default (2)'],
	'--max-poll-interval': ['maxPollInterval', undefined, 'node option Max Poll Interval (s); default: the node\'s default (10)'],
	'--only': ['only', 'batch,baseline,download,requestApi', 'comma-separated parts to run'],
	'--request-concurrency': ['requestConcurrency', undefined, 'the Higgsfield node\'s "Max Concurrent Requests" in the requestApi run; default: the node\'s default'],
	'--request-sweep': ['requestSweep', '', 'comma-separated Max Concurrent Requests values to compare (e.g. 4,8,12,16); adds requestApiSweep'],
	'--out': ['out', join(here, 'results.json'), 'where to write the results'],
};

function parseArgs(argv) {
	const options = Object.fromEntries(Object.values(FLAGS).map(([name, value]) => [name, value]));
	for (let index = 0; index < argv.length; index++) {
		let [flag, value] = argv[index].split(/=(.*)/s, 2);
		if (flag === '--help' || flag === '-h') {
			console.log('Usage: npm run bench -- [options]\n');
			for (const [name, [, fallback, help]] of Object.entries(FLAGS)) console.log(`  ${name.padEnd(26)} ${help} (default ${fallback ?? 'none'})`);
			process.exit(0);
		}
		const spec = FLAGS[flag];
		if (!spec) throw new Error(`unknown option ${flag} (see --help)`);
		value ??= argv[++index];
		if (value === undefined) throw new Error(`option ${flag} needs a value`);
		const [name, fallback] = spec;
		const parsed = typeof fallback === 'string' ? value : Number(value);
		if (typeof parsed === 'number' && !(Number.isFinite(parsed) && parsed > 0)) throw new Error(`option ${flag}: not a positive number: ${value}`);
		options[name] = parsed;
	}
	options.only = new Set(String(options.only).split(','));
	options.items = Math.floor(options.items);
	options.concurrency = Math.floor(options.concurrency);
	return options;
}

let options;
try {
	options = parseArgs(process.argv.slice(2));
} catch (error) {
	console.error(error.message);
	process.exit(2);
}

// ---- n8n-core as n8n 2.x runs it: binary data on the filesystem -------------------------------
// Set before n8n-core loads: its config classes read the environment once.
const work = mkdtempSync(join(tmpdir(), 'hf-bench-'));
Object.assign(process.env, {
	N8N_USER_FOLDER: work,
	N8N_ENCRYPTION_KEY: 'hf-bench-encryption-key',
	N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
	N8N_BINARY_DATA_STORAGE_PATH: join(work, 'binaryData'),
	N8N_RUNNERS_ENABLED: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_LOG_LEVEL: 'silent',
	N8N_DIAGNOSTICS_ENABLED: 'false',
});
require('./ts-register.cjs');
// n8n-core's own copy of the DI container: the one its helpers ask for the binary data service
const { Container } = createRequire(require.resolve('n8n-core'))('@n8n/di');
const { BinaryDataService } = require('n8n-core');
const { runNode } = require('../test/helpers/n8n.ts');
const { DEFAULT_POLLING } = require('../nodes/shared/jobs/watcher.ts');
const { DEFAULT_MAX_CONCURRENT_REQUESTS } = require('../nodes/shared/requestApi/jobs.ts');
const { startSandbox } = require('../test/sandbox');

const binaryData = Container.get(BinaryDataService);
// what n8n's CLI does at start (BaseCommand.initBinaryDataService) for the default filesystem mode
await binaryData.init();

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const AUTH = { 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' };
const SOUL_PARAMETERS = { operation: 'generate', prompt: 'a lighthouse at dusk, film photo', widthAndHeight: '1536x1536', quality: '720p' };
const sleep = (ms) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
const seconds = (ms) => Math.round(ms) / 1000;
const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function nodeOptions() {
	const chosen = { maxConcurrentJobs: options.concurrency };
	if (options.pollInterval !== undefined) chosen.pollInterval = options.pollInterval;
	if (options.maxPollInterval !== undefined) chosen.maxPollInterval = options.maxPollInterval;
	return chosen;
}

/** What the sandbox's log says about a run: requests by kind, per job, and the completion lag. */
function analyseLog(sb, jobSetIds) {
	const log = [...sb.log];
	const kinds = { submit: 0, status: 0, download: 0, other: 0 };
	for (const entry of log) {
		if (entry.method === 'POST' && entry.path.startsWith('/v1/')) kinds.submit++;
		else if (entry.method === 'GET' && entry.path.startsWith('/v1/job-sets/')) kinds.status++;
		else if (entry.method === 'GET' && entry.path.startsWith('/files/results/')) kinds.download++;
		else kinds.other++;
	}
	const jobs = jobSetIds.reduce((sum, id) => sum + sb.jobSets.get(id).jobs.length, 0);
	const seenDoneAt = jobSetIds.map((id) => {
		const set = sb.jobSets.get(id);
		const firstDone = log.find(
			(entry) => entry.method === 'GET' && entry.jobSetId === id && entry.path.startsWith('/v1/job-sets/') && entry.completedJobs?.length === set.jobs.length,
		);
		// a job set already done in its submission answer (never the case here) was seen done at once
		return firstDone ? firstDone.time : set.doneAt;
	});
	const lags = jobSetIds.map((id, index) => (seenDoneAt[index] - sb.jobSets.get(id).doneAt) / 1000);
	// slot handover: from a job set seen done to the submission that took its slot (the k-th
	// accepted submission after the first `concurrency` ones takes the slot of the k-th job set seen done)
	const accepted = log.filter((entry) => entry.accepted).map((entry) => entry.time);
	const freed = [...seenDoneAt].sort((a, b) => a - b);
	const handovers = accepted.slice(options.concurrency).map((time, index) => (time - freed[index]) / 1000);
	return {
		requests: log.length,
		jobs,
		requestsPerJob: round(log.length / jobs, 2),
		requestsByKind: kinds,
		completionLagSeconds: round(median(lags), 3),
		completionLagMaxSeconds: round(Math.max(...lags), 3),
		completionLagsSeconds: lags.map((lag) => round(lag, 3)),
		slotHandoverSeconds: handovers.length ? round(median(handovers), 3) : null,
		maxInFlight: maxInFlight(jobSetIds.map((id) => sb.jobSets.get(id))),
	};
}

/** The most job sets that were unfinished on the sandbox at one time. */
function maxInFlight(sets) {
	const events = sets.flatMap((set) => [
		[set.createdAt, 1],
		[set.doneAt, -1],
	]);
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let current = 0;
	let most = 0;
	for (const [, change] of events) most = Math.max(most, (current += change));
	return most;
}

// ---- batch: the node ----------------------------------------------------------------------------
async function runBatch(sb) {
	sb.clearLog();
	const before = new Set(sb.jobSets.keys());
	const items = Array.from({ length: options.items }, (_, row) => ({ json: { row } }));
	const started = performance.now();
	const { output, error } = await runNode({
		type: 'higgsfieldSoulImage',
		parameters: { ...SOUL_PARAMETERS, download: 'raw', options: nodeOptions() },
		credentials: { baseUrl: sb.url },
		items,
	});
	const wallMs = performance.now() - started;
	if (error) throw new Error(`the batch run failed: ${error.message}`);
	const inOrder = output.length === options.items && output.every((item, index) => item.pairedItem?.item === index && item.json.status === 'completed' && item.binary?.data);
	if (!inOrder) throw new Error(`the batch run returned ${output.length} items, not ${options.items} completed ones in input order`);
	const jobSetIds = [...sb.jobSets.keys()].filter((id) => !before.has(id));
	if (jobSetIds.length !== options.items) throw new Error(`the batch run created ${jobSetIds.length} job sets for ${options.items} items`);
	return { wallSeconds: seconds(wallMs), ...analyseLog(sb, jobSetIds) };
}

// ---- requestApi: the Higgsfield node against the account limit and its server-side queue ------------
/**
 * One run of N items through the Higgsfield node (Generate, Wait by Polling, Download) on a fresh
 * sandbox whose account limit is `options.concurrency` (its queue: twice that), every request D s.
 * @param {number|undefined} maxConcurrentRequests the node option; undefined = the node's default
 */
async function runRequestApi(maxConcurrentRequests) {
	const limit = options.concurrency;
	const sb = await startSandbox({ jobSeconds: options.jobSeconds, concurrency: limit });
	try {
		const items = Array.from({ length: options.items }, (_, row) => ({ json: { prompt: `a lighthouse at dusk, film photo, row ${row}` } }));
		const nodeOpts = {};
		if (maxConcurrentRequests !== undefined) nodeOpts.maxConcurrentJobs = maxConcurrentRequests;
		if (options.pollInterval !== undefined) nodeOpts.pollInterval = options.pollInterval;
		if (options.maxPollInterval !== undefined) nodeOpts.maxPollInterval = options.maxPollInterval;
		const started = performance.now();
		const { output, error } = await runNode({
			type: 'higgsfield',
			executionId: `bench-request-api-${maxConcurrentRequests ?? 'default'}`,
			parameters: {
				resource: 'request',
				operation: 'generate',
				model: { __rl: true, mode: 'list', value: 'nano-banana' },
				modelArguments: { mappingMode: 'defineBelow', value: { prompt: '={{ $json.prompt }}' } },
				options: nodeOpts,
			},
			credentials: { baseUrl: sb.url, headerScheme: 'authorizationKey' },
			items,
		});
		const wallMs = performance.now() - started;
		if (error) throw new Error(`the requestApi run failed: ${error.message}`);
		const ok = output.length === options.items && output.every((item, index) => item.pairedItem?.item === index && item.json.status === 'completed' && item.binary?.data);
		if (!ok) throw new Error(`the requestApi run returned ${output.length} items, not ${options.items} completed ones in input order`);
		const stats = sb.requestStats();
		if (stats.created !== options.items) throw new Error(`the requestApi run created ${stats.created} requests for ${options.items} items`);
		const log = [...sb.log];
		const kinds = { submit: 0, status: 0, download: 0, other: 0 };
		for (const entry of log) {
			if (entry.method === 'POST' && entry.model) kinds.submit++;
			else if (entry.method === 'GET' && entry.path.startsWith('/requests/')) kinds.status++;
			else if (entry.method === 'GET' && entry.path.startsWith('/files/requests/')) kinds.download++;
			else kinds.other++;
		}
		const records = [...sb.requests.records.values()];
		const lags = records.map((rec) => {
			const seen = log.find((entry) => entry.requestId === rec.id && entry.path.endsWith('/status') && entry.requestStatus === 'completed');
			return ((seen ? seen.time : rec.completedAt) - rec.completedAt) / 1000;
		});
		const queuedSeconds = records.map((rec) => (rec.startedAt - rec.createdAt) / 1000);
		return {
			maxConcurrentRequests: maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
			wallSeconds: seconds(wallMs),
			requestsPerJob: round(log.length / options.items, 2),
			requestsByKind: kinds,
			completionLagSeconds: round(median(lags), 3),
			completionLagMaxSeconds: round(Math.max(...lags), 3),
			queueFull429: stats.queueFull,
			replays: stats.replays,
			maxRunning: stats.maxRunning,
			maxInFlight: stats.maxInFlight,
			queuedSecondsMedian: round(median(queuedSeconds), 3),
		};
	} finally {
		await sb.close();
	}
}

// ---- baseline: HTTP Request + Wait + IF, one item after another -----------------------------------
async function baselineItem(sb) {
	const json = async (response) => {
		if (!response.ok) throw new Error(`baseline: ${response.status} ${await response.text()}`);
		return await response.json();
	};
	const headers = { ...AUTH, accept: 'application/json' };
	// HTTP Request: submit
	let jobSet = await json(
		await fetch(`${sb.url}/v1/text2image/soul`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify({ params: { prompt: SOUL_PARAMETERS.prompt, width_and_height: SOUL_PARAMETERS.widthAndHeight, quality: SOUL_PARAMETERS.quality } }),
		}),
	);
	const terminal = ['completed', 'failed', 'nsfw', 'canceled'];
	// Wait -> HTTP Request (status) -> IF not done: back to Wait
	while (!jobSet.jobs.every((job) => terminal.includes(job.status))) {
		await sleep(options.baselinePollSeconds * 1000);
		jobSet = await json(await fetch(`${sb.url}/v1/job-sets/${jobSet.id}`, { headers }));
	}
	// HTTP Request: download the file into binary data
	for (const job of jobSet.jobs) {
		const response = await fetch(job.results.raw.url);
		if (!response.ok) throw new Error(`baseline download: ${response.status}`);
		await response.arrayBuffer();
	}
	return jobSet.id;
}

async function runBaseline(sb) {
	sb.clearLog();
	const started = performance.now();
	const jobSetIds = [];
	for (let row = 0; row < options.items; row++) jobSetIds.push(await baselineItem(sb));
	return { wallSeconds: seconds(performance.now() - started), ...analyseLog(sb, jobSetIds) };
}

// ---- download: a large video into filesystem binary data, sandbox in a child process ---------------
async function startChildSandbox(largeResultBytes) {
	const child = spawn(process.execPath, [join(root, 'test/sandbox/cli.js'), '--port', '0', '--job-seconds', '0.5', '--large-result-bytes', String(largeResultBytes)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise((resolveUrl, reject) => {
		let seen = '';
		child.stdout.on('data', (chunk) => {
			seen += chunk;
			const match = /listening on (http:\/\/\S+)/.exec(seen);
			if (match) resolveUrl(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
	});
	return { url, stop: () => child.kill('SIGTERM') };
}

async function runDownload() {
	const largeResultBytes = Math.round(options.largeMB * 1024 * 1024);
	const sandbox = await startChildSandbox(largeResultBytes);
	const download = async (variant) =>
		await runNode({
			type: 'higgsfieldImageToVideo',
			parameters: { operation: 'generate', model: 'dop-lite', prompt: 'a slow dolly in', startImageUrl: 'https://example.com/start.png', download: variant },
			credentials: { baseUrl: sandbox.url },
		});
	try {
		// warm-up: the same node, wait and download path with the small preview file, so that code
		// loaded and compiled on first use is not counted as memory of the large download
		const warmUp = await download('min');
		if (warmUp.error) throw new Error(`the warm-up run failed: ${warmUp.error.message}`);
		collectGarbage();
		await sleep(200);
		const samples = [];
		for (let sample = 0; sample < 5; sample++) {
			samples.push(process.memoryUsage.rss());
			await sleep(20);
		}
		const baselineRss = median(samples);
		let peakRss = baselineRss;
		const sampler = setInterval(() => {
			peakRss = Math.max(peakRss, process.memoryUsage.rss());
		}, 50);
		const started = performance.now();
		let result;
		try {
			result = await download('raw');
		} finally {
			clearInterval(sampler);
		}
		peakRss = Math.max(peakRss, process.memoryUsage.rss());
		const wallMs = performance.now() - started;
		if (result.error) throw new Error(`the download run failed: ${result.error.message}`);
		const binary = result.output[0]?.binary?.data;
		if (!binary?.id) throw new Error('the download run did not put the video into filesystem binary data');
		const storedBytes = statSync(binaryData.getPath(binary.id)).size;
		if (storedBytes !== largeResultBytes) throw new Error(`stored ${storedBytes} bytes, expected ${largeResultBytes}`);
		return {
			bytes: storedBytes,
			peakRssDeltaMB: round((peakRss - baselineRss) / 1024 / 1024, 1),
			baselineRssMB: round(baselineRss / 1024 / 1024, 1),
			peakRssMB: round(peakRss / 1024 / 1024, 1),
			wallSeconds: seconds(wallMs),
			binaryDataMode: binary.data,
			mimeType: binary.mimeType,
			fileName: binary.fileName,
		};
	} finally {
		sandbox.stop();
	}
}

// ---- main ---------------------------------------------------------------------------------------------
const results = {
	generatedAt: new Date().toISOString(),
	environment: { node: process.version, cpus: cpus().length },
	settings: {
		items: options.items,
		concurrency: options.concurrency,
		jobSeconds: options.jobSeconds,
		baselinePollSeconds: options.baselinePollSeconds,
		nodePolling: {
			initialIntervalSeconds: options.pollInterval ?? DEFAULT_POLLING.initialIntervalMs / 1000,
			backoffFactor: DEFAULT_POLLING.backoffFactor,
			maxIntervalSeconds: options.maxPollInterval ?? DEFAULT_POLLING.maxIntervalMs / 1000,
			jitterRatio: DEFAULT_POLLING.jitterRatio,
		},
	},
};
const targets = [];
const target = (name, value, comparison, limit) => targets.push({ name, value: round(value, 3), limit: round(limit, 3), comparison, pass: comparison === '<=' ? value <= limit : value >= limit });

try {
	// the download first, in a process that has not run anything else yet
	if (options.only.has('download')) {
		console.log(`download: a ${options.largeMB} MiB video into filesystem binary data ...`);
		results.download = await runDownload();
		console.log(`  done in ${results.download.wallSeconds} s: ${results.download.bytes} bytes, peak RSS +${results.download.peakRssDeltaMB} MB`);
		target('download.peakRssDeltaMB', results.download.peakRssDeltaMB, '<=', 64);
	}
	if (options.only.has('batch') || options.only.has('baseline')) {
		const sb = await startSandbox({ jobSeconds: options.jobSeconds, concurrency: Math.max(4, options.concurrency) });
		try {
			const idealSeconds = Math.ceil(options.items / options.concurrency) * options.jobSeconds;
			results.batch = { items: options.items, concurrency: options.concurrency, jobSeconds: options.jobSeconds, idealSeconds };
			if (options.only.has('batch')) {
				console.log(`batch: ${options.items} items, Max Concurrent Jobs ${options.concurrency}, jobs of ${options.jobSeconds} s (ideal ${idealSeconds} s) ...`);
				const batch = await runBatch(sb);
				console.log(`  done in ${batch.wallSeconds} s: ${batch.requestsPerJob} requests per job, median completion lag ${batch.completionLagSeconds} s`);
				Object.assign(results.batch, { wallSeconds: batch.wallSeconds, maxInFlight: batch.maxInFlight });
				results.polling = {
					requestsPerJob: batch.requestsPerJob,
					completionLagSeconds: batch.completionLagSeconds,
					completionLagMaxSeconds: batch.completionLagMaxSeconds,
					completionLagsSeconds: batch.completionLagsSeconds,
					slotHandoverSeconds: batch.slotHandoverSeconds,
					requests: batch.requests,
					jobs: batch.jobs,
					requestsByKind: batch.requestsByKind,
				};
			}
			if (options.only.has('baseline')) {
				console.log(`baseline: the same ${options.items} items one after another, polled every ${options.baselinePollSeconds} s ...`);
				const baseline = await runBaseline(sb);
				console.log(`  done in ${baseline.wallSeconds} s: ${baseline.requestsPerJob} requests per job`);
				results.batch.baselineWallSeconds = baseline.wallSeconds;
				results.baseline = {
					wallSeconds: baseline.wallSeconds,
					requestsPerJob: baseline.requestsPerJob,
					completionLagSeconds: baseline.completionLagSeconds,
					requestsByKind: baseline.requestsByKind,
				};
			}
		} finally {
			await sb.close();
		}
		const { batch } = results;
		if (batch.wallSeconds !== undefined) {
			target('batch.wallSeconds / batch.idealSeconds', batch.wallSeconds / batch.idealSeconds, '<=', 1.15);
			target('polling.requestsPerJob', results.polling.requestsPerJob, '<=', 1 + options.jobSeconds / 2);
		}
		if (batch.wallSeconds !== undefined && batch.baselineWallSeconds !== undefined) {
			target('batch.baselineWallSeconds / batch.wallSeconds', batch.baselineWallSeconds / batch.wallSeconds, '>=', 3);
		}
	}
	if (options.only.has('requestApi')) {
		const limit = options.concurrency;
		const idealSeconds = Math.ceil(options.items / limit) * options.jobSeconds;
		const chosen = options.requestConcurrency === undefined ? undefined : Math.floor(options.requestConcurrency);
		console.log(`requestApi: ${options.items} items, account limit ${limit} (queue ${2 * limit}), Max Concurrent Requests ${chosen ?? `${DEFAULT_MAX_CONCURRENT_REQUESTS} (default)`}, requests of ${options.jobSeconds} s (ideal ${idealSeconds} s) ...`);
		const run = await runRequestApi(chosen);
		console.log(`  done in ${run.wallSeconds} s: ${run.requestsPerJob} requests per job, median completion lag ${run.completionLagSeconds} s, ${run.queueFull429} x 429`);
		results.requestApi = { items: options.items, concurrency: limit, jobSeconds: options.jobSeconds, wallSeconds: run.wallSeconds, idealSeconds, requestsPerJob: run.requestsPerJob, completionLagSeconds: run.completionLagSeconds, ...run };
		target('requestApi.wallSeconds / requestApi.idealSeconds', run.wallSeconds / idealSeconds, '<=', 1.15);
		target('requestApi.requestsPerJob', run.requestsPerJob, '<=', 1 + options.jobSeconds / 4);
		target('requestApi.queueFull429', run.queueFull429, '<=', 0);
		const sweep = String(options.requestSweep || '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
		if (sweep.length) {
			results.requestApiSweep = [];
			for (const value of sweep) {
				console.log(`requestApi sweep: Max Concurrent Requests ${value} ...`);
				const r = await runRequestApi(value);
				console.log(`  ${r.wallSeconds} s (x${round(r.wallSeconds / idealSeconds, 3)} ideal), ${r.requestsPerJob} requests per job, ${r.queueFull429} x 429`);
				results.requestApiSweep.push({ ...r, wallOverIdeal: round(r.wallSeconds / idealSeconds, 3) });
			}
		}
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
results.targets = targets;
results.passed = targets.every((entry) => entry.pass);

// ---- report ---------------------------------------------------------------------------------------------
const rows = [];
if (results.batch?.wallSeconds !== undefined) {
	rows.push(['batch.wallSeconds', results.batch.wallSeconds], ['batch.idealSeconds', results.batch.idealSeconds], ['batch.maxInFlight', results.batch.maxInFlight]);
	rows.push(['polling.requestsPerJob', results.polling.requestsPerJob], ['polling.completionLagSeconds (median)', results.polling.completionLagSeconds]);
	rows.push(['polling.completionLagMaxSeconds', results.polling.completionLagMaxSeconds]);
}
if (results.batch?.baselineWallSeconds !== undefined) {
	rows.push(['batch.baselineWallSeconds', results.batch.baselineWallSeconds], ['baseline.requestsPerJob', results.baseline.requestsPerJob]);
	rows.push(['baseline.completionLagSeconds (median)', results.baseline.completionLagSeconds]);
}
if (results.requestApi) {
	const r = results.requestApi;
	rows.push(['requestApi.wallSeconds', r.wallSeconds], ['requestApi.idealSeconds', r.idealSeconds], ['requestApi.maxConcurrentRequests', r.maxConcurrentRequests]);
	rows.push(['requestApi.requestsPerJob', r.requestsPerJob], ['requestApi.completionLagSeconds (median)', r.completionLagSeconds], ['requestApi.queueFull429', r.queueFull429]);
}
for (const r of results.requestApiSweep ?? []) {
	rows.push([`requestApiSweep[${r.maxConcurrentRequests}]`, `${r.wallSeconds} s (x${r.wallOverIdeal}), ${r.requestsPerJob} req/job, lag ${r.completionLagSeconds} s, ${r.queueFull429} x 429`]);
}
if (results.download) {
	rows.push(['download.bytes', results.download.bytes], ['download.peakRssDeltaMB', results.download.peakRssDeltaMB], ['download.wallSeconds', results.download.wallSeconds]);
}
console.log('');
for (const [name, value] of rows) console.log(`  ${name.padEnd(40)} ${value}`);
console.log('');
for (const entry of targets) console.log(`  ${entry.pass ? 'PASS' : 'FAIL'}  ${entry.name} = ${entry.value} (target ${entry.comparison} ${entry.limit})`);

const temporary = `${options.out}.tmp`;
writeFileSync(temporary, `${JSON.stringify(results, null, '\t')}\n`);
renameSync(temporary, options.out);
console.log(`\nwrote ${options.out}`);
process.exit(results.passed ? 0 : 1);
