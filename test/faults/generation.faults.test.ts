/**
 * Fault injection: 100 items through each generation node, waiting by polling, while the sandbox
 * breaks about 20% of the requests. Run with `npm run test:faults` (HF_FAULTS=1); the default
 * `npm test` skips this file.
 *
 * 1. GET faults: 5xx, 429 with Retry-After, dropped connections and slow answers on job-set polls
 *    and result downloads, plus the concurrency 400 on submissions. Every item must succeed, and
 *    the sandbox must have accepted exactly one submission per item.
 * 2. POST drops: the service accepts a submission, then the connection drops before the answer.
 *    Those items must end in the "may have been created" error naming the item, and must not be
 *    sent again; every other item succeeds; N items in, N items out (Continue On Fail).
 *
 * Items are matched to sandbox log entries by a token in each item's prompt.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
import { ALL_NODE_TYPES } from '../helpers/nodeTypes';
import { makePng, makeWav, startSandbox } from '../sandbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { report } = require('./report') as { report: (figures: IDataObject) => void };

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type LogEntry = Sandbox['log'][number];

const ITEMS = 100;
const FAULT_RATE = 0.2;
const GET_FAULTS = { rate: FAULT_RATE, kinds: ['500', '503', '429', 'drop', 'slow'], slowMs: 300, retryAfter: 1, includeFiles: true };
/** a handful of broken uploads: a failed upload-URL request and dropped PUTs (each upload asks for a fresh URL) */
const UPLOAD_SCRIPT = [
	{ method: 'POST', path: '/files/generate-upload-url', fault: '503', times: 3 },
	{ method: 'PUT', path: '/s3/', fault: 'drop', times: 3 },
];
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const PNG = makePng(64, 64);
const WAV = makeWav(0.5);

interface NodeCase {
	label: string;
	type: string;
	endpoint: string;
	resultMime: string;
	parameters: IDataObject;
	/** binary files every item carries (inputs uploaded through the presigned-URL flow) */
	binary?: INodeExecutionData['binary'];
}

const CASES: NodeCase[] = [
	{
		label: 'Soul Image',
		type: 'higgsfieldSoulImage',
		endpoint: '/v1/text2image/soul',
		resultMime: 'image/png',
		parameters: { operation: 'generate', prompt: '={{ $json.prompt }}', widthAndHeight: '1536x1536', quality: '720p' },
	},
	{
		label: 'Image to Video',
		type: 'higgsfieldImageToVideo',
		endpoint: '/v1/image2video/dop',
		resultMime: 'video/mp4',
		parameters: { operation: 'generate', model: 'dop-lite', prompt: '={{ $json.prompt }}', startImageSource: 'url', startImageUrl: 'https://example.com/start.png' },
	},
	{
		label: 'Speak',
		type: 'higgsfieldSpeak',
		endpoint: '/v1/speak/higgsfield',
		resultMime: 'video/mp4',
		// both inputs as binary files: every item uploads two files before it is submitted
		parameters: { operation: 'generate', prompt: '={{ $json.prompt }}', imageSource: 'binary', imageBinaryProperty: 'portrait', audioSource: 'binary', audioBinaryProperty: 'voice', quality: 'mid', duration: 5 },
		binary: {
			portrait: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'portrait.png' },
			voice: { data: WAV.toString('base64'), mimeType: 'audio/wav', fileName: 'voice.wav' },
		},
	},
].filter((nodeCase) => `n8n-nodes-higgsfield.${nodeCase.type}` in ALL_NODE_TYPES);

const TOKEN = /#fault-(\w+)-item-(\d+)#/;
const token = (scenario: string, itemIndex: number) => `#fault-${scenario}-item-${itemIndex}#`;

function itemOf(entry: LogEntry, scenario: string): number | undefined {
	const prompt = (entry.body as { params?: { prompt?: unknown } } | null)?.params?.prompt;
	const match = typeof prompt === 'string' ? TOKEN.exec(prompt) : null;
	return match && match[1] === scenario ? Number(match[2]) : undefined;
}

function count<T extends string | number>(values: T[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
	return counts;
}

type Group = 'get' | 'files' | 'post' | 'uploads';

function groupOf(entry: LogEntry, endpoint: string): Group | undefined {
	if (entry.method === 'GET' && entry.path.startsWith('/v1/')) return 'get';
	if (entry.method === 'GET' && entry.path.startsWith('/files/')) return 'files';
	if (entry.method === 'POST' && entry.path === endpoint) return 'post';
	if (entry.path === '/files/generate-upload-url' || entry.method === 'PUT') return 'uploads';
	return undefined;
}

/**
 * What went wrong with a request, as the client saw it: the injected fault, or `cap400` for the
 * service's own concurrency answer (a slot freed early by a failed item lets the next submission
 * in before the sandbox's job ends). A `dropAfterAccept` that met the real cap was a plain 400.
 */
function faultOf(entry: LogEntry): string | null {
	if (entry.fault === 'dropAfterAccept') return entry.status === 'dropped' ? 'dropAfterAccept' : entry.status === 400 ? 'cap400' : null;
	if (entry.fault === null && entry.method === 'POST' && entry.status === 400) return 'cap400';
	return entry.fault;
}

/** A fault the client must answer with another request (a slow answer is still an answer). */
const needsRetry = (entry: LogEntry) => {
	const fault = faultOf(entry);
	return fault !== null && fault !== 'slow' && fault !== 'dropAfterAccept';
};

/** Faulted requests that were followed by the same request again (for uploads: another upload step). */
function retriesOf(log: LogEntry[], group: Group, endpoint: string, scenario: string): number {
	const entries = log.filter((entry) => groupOf(entry, endpoint) === group);
	const sameRequest = (a: LogEntry, b: LogEntry) =>
		group === 'post'
			? itemOf(a, scenario) === itemOf(b, scenario)
			: group === 'uploads'
				? a.method === b.method
				: a.path === b.path;
	return entries.filter((entry, index) => needsRetry(entry) && entries.slice(index + 1).some((later) => sameRequest(entry, later))).length;
}

interface Figures {
	node: string;
	scenario: string;
	items: number;
	succeeded: number;
	maybeCreated: number;
	otherErrors: number;
	requests: number;
	/** API GETs and result downloads, and the share of them that got a fault */
	getRequests: number;
	getFaultShare: number;
	faults: Record<Group, Record<string, number>>;
	faultsInjected: number;
	retries: Record<Group | 'total', number>;
	submissionsPerItem: Record<string, number>;
	postAttemptsPerItem: Record<string, number>;
	wallMs: number;
}

const allFigures: Figures[] = [];

function figuresOf(nodeCase: NodeCase, scenario: string, log: LogEntry[], output: INodeExecutionData[], wallMs: number): Figures {
	const groups: Group[] = ['get', 'files', 'post', 'uploads'];
	const faults = Object.fromEntries(
		groups.map((group) => [group, count(log.filter((entry) => faultOf(entry) && groupOf(entry, nodeCase.endpoint) === group).map((entry) => faultOf(entry) as string))]),
	) as Record<Group, Record<string, number>>;
	const retries = Object.fromEntries(groups.map((group) => [group, retriesOf(log, group, nodeCase.endpoint, scenario)])) as Record<Group | 'total', number>;
	retries.total = groups.reduce((sum, group) => sum + retries[group], 0);
	const posts = log.filter((entry) => groupOf(entry, nodeCase.endpoint) === 'post');
	const gets = log.filter((entry) => entry.method === 'GET');
	const perItem = (entries: LogEntry[]) =>
		count(Array.from({ length: ITEMS }, (_, itemIndex) => entries.filter((entry) => itemOf(entry, scenario) === itemIndex).length));
	const errors = output.map((item) => item.json.error).filter((error): error is string => typeof error === 'string');
	const maybeCreated = errors.filter((error) => error.startsWith('The job may have been created')).length;
	return {
		node: nodeCase.label,
		scenario,
		items: ITEMS,
		succeeded: output.filter((item) => item.json.status === 'completed' && item.json.error === undefined).length,
		maybeCreated,
		otherErrors: errors.length - maybeCreated,
		requests: log.length,
		getRequests: gets.length,
		getFaultShare: Math.round((gets.filter((entry) => entry.fault !== null).length / Math.max(1, gets.length)) * 1000) / 1000,
		faults,
		faultsInjected: log.filter((entry) => faultOf(entry) !== null && faultOf(entry) !== 'cap400').length,
		retries,
		submissionsPerItem: perItem(posts.filter((entry) => entry.accepted)),
		postAttemptsPerItem: perItem(posts),
		wallMs,
	};
}

let sb: Sandbox;
beforeAll(async () => {
	// jobs of 0.3 s and the service's cap of 4 concurrent generations per key
	sb = await startSandbox({ jobSeconds: 0.3, concurrency: 4 });
});
afterAll(async () => {
	await sb.close();
	if (allFigures.length > 0) {
		report({
			generatedAt: new Date().toISOString(),
			faultRate: FAULT_RATE,
			getFaults: GET_FAULTS,
			uploadScript: UPLOAD_SCRIPT,
			runs: allFigures,
		});
	}
});

async function run(nodeCase: NodeCase, scenario: string, postFaults: IDataObject, continueOnFail: boolean, seed: number) {
	sb.clearLog();
	sb.configure({ seed, faults: { get: GET_FAULTS, post: postFaults } } as never);
	if (nodeCase.binary) sb.script(UPLOAD_SCRIPT);
	const items: INodeExecutionData[] = Array.from({ length: ITEMS }, (_, itemIndex) => ({
		json: { prompt: `a lighthouse at dusk ${token(scenario, itemIndex)}` },
		...(nodeCase.binary ? { binary: nodeCase.binary } : {}),
	}));
	const started = Date.now();
	try {
		const result = await runNode({
			type: nodeCase.type,
			parameters: { ...nodeCase.parameters, options: FAST },
			credentials: { baseUrl: sb.url },
			items,
			continueOnFail,
		});
		const wallMs = Date.now() - started;
		const log = [...sb.log];
		const figures = figuresOf(nodeCase, scenario, log, result.output, wallMs);
		allFigures.push(figures);
		return { ...result, log, figures };
	} finally {
		sb.configure({ faults: null } as never);
	}
}

/** The one accepted submission of each item, by item index. */
function acceptedByItem(log: LogEntry[], endpoint: string, scenario: string): Map<number, LogEntry[]> {
	const byItem = new Map<number, LogEntry[]>();
	for (const entry of log) {
		if (entry.method !== 'POST' || entry.path !== endpoint || !entry.accepted) continue;
		const itemIndex = itemOf(entry, scenario);
		if (itemIndex === undefined) throw new Error(`accepted submission without an item token: ${JSON.stringify(entry.body)}`);
		byItem.set(itemIndex, [...(byItem.get(itemIndex) ?? []), entry]);
	}
	return byItem;
}

function expectSucceeded(item: INodeExecutionData, itemIndex: number, accepted: LogEntry, nodeCase: NodeCase): void {
	expect(item.pairedItem).toEqual({ item: itemIndex });
	expect(item.json.error).toBeUndefined();
	// the item's result is the job set the service created for that very item
	expect(item.json).toMatchObject({ id: accepted.jobSetId, status: 'completed' });
	expect(item.binary?.data?.mimeType).toBe(nodeCase.resultMime);
	expect(Buffer.from(item.binary?.data?.data ?? '', 'base64').length).toBeGreaterThan(0);
}

describe.each(CASES)('$label: 100 items under faults', (nodeCase) => {
	test('GET faults (5xx, 429, drops, slow) and the concurrency 400: 100 of 100 succeed, one submission each', async () => {
		const scenario = 'get';
		const { output, error, log, figures } = await run(nodeCase, scenario, { rate: FAULT_RATE, kinds: ['concurrency'] }, false, 11);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(ITEMS);

		const accepted = acceptedByItem(log, nodeCase.endpoint, scenario);
		for (let itemIndex = 0; itemIndex < ITEMS; itemIndex++) {
			expect(accepted.get(itemIndex)).toHaveLength(1);
			expectSucceeded(output[itemIndex], itemIndex, accepted.get(itemIndex)![0], nodeCase);
		}
		expect(figures.submissionsPerItem).toEqual({ 1: ITEMS });
		expect(figures.succeeded).toBe(ITEMS);

		// the faults really happened, every kind of them, and each one that needed it was retried
		for (const kind of GET_FAULTS.kinds) expect(figures.faults.get[kind]).toBeGreaterThan(0);
		expect(Object.values(figures.faults.files).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
		expect(figures.faults.post.concurrency).toBeGreaterThan(0);
		for (const group of ['get', 'files', 'post'] as const) {
			const needed = log.filter((entry) => groupOf(entry, nodeCase.endpoint) === group && needsRetry(entry)).length;
			expect(figures.retries[group]).toBe(needed);
		}
		if (nodeCase.binary) {
			expect(figures.faults.uploads).toEqual({ 503: 3, drop: 3 });
			expect(figures.retries.uploads).toBe(6);
		}
		// only refused submissions (the 400) were sent again, and nothing was dropped after acceptance
		const posts = log.filter((entry) => groupOf(entry, nodeCase.endpoint) === 'post');
		expect(posts.filter((entry) => entry.status !== 200 && entry.status !== 400)).toEqual([]);
	}, 240_000);

	test('POSTs dropped after the service accepted them: "may have been created", never sent twice, N in N out', async () => {
		const scenario = 'drop';
		const { output, error, log, figures } = await run(nodeCase, scenario, { rate: FAULT_RATE, kinds: ['dropAfterAccept', 'concurrency'] }, true, 23);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(ITEMS);
		expect(output.map((item) => item.pairedItem)).toEqual(Array.from({ length: ITEMS }, (_, item) => ({ item })));

		const accepted = acceptedByItem(log, nodeCase.endpoint, scenario);
		const posts = log.filter((entry) => entry.method === 'POST' && entry.path === nodeCase.endpoint);
		let dropped = 0;
		for (let itemIndex = 0; itemIndex < ITEMS; itemIndex++) {
			// never submitted twice: one accepted submission per item, dropped or not
			expect(accepted.get(itemIndex)).toHaveLength(1);
			const mine = posts.filter((entry) => itemOf(entry, scenario) === itemIndex);
			const drop = mine.findIndex((entry) => faultOf(entry) === 'dropAfterAccept');
			const item = output[itemIndex];
			if (drop === -1) {
				expectSucceeded(item, itemIndex, accepted.get(itemIndex)![0], nodeCase);
				continue;
			}
			dropped++;
			// the dropped POST is the item's last: not sent again
			expect(drop).toBe(mine.length - 1);
			expect(mine[drop].accepted).toBe(true);
			expect(item.binary).toBeUndefined();
			expect(item.json.error).toBe(
				`The job may have been created: POST ${nodeCase.endpoint} was sent but the connection broke before Higgsfield answered (econnreset) [item ${itemIndex}]`,
			);
			expect(item.json.error_description).toMatch(/^It was not sent again, so you are not charged twice\. Before running this item again, check/);
		}
		expect(dropped).toBeGreaterThan(0);
		expect(figures.maybeCreated).toBe(dropped);
		expect(figures.succeeded).toBe(ITEMS - dropped);
		expect(figures.otherErrors).toBe(0);
		expect(figures.submissionsPerItem).toEqual({ 1: ITEMS });
	}, 240_000);
});
