/**
 * Fault injection on the request API: 100 items through the Higgsfield node (Generate, Wait by
 * Polling, Download) in n8n-core while the sandbox breaks about 20% of the status reads, file
 * downloads AND submissions: 5xx, 429 account_queue_full, connections dropped before and AFTER the
 * service created the request, and timeouts (answers slower than the client waits, before and
 * after the request was created). Because every submission carries an Idempotency-Key, a
 * submission whose fate is unknown is sent again with the same key and gets the original request
 * back: 100 of 100 succeed, the sandbox created exactly one request per item (replays counted
 * apart), and no item ends in the v1 "may have been created" error. Run with `npm run test:faults`.
 *
 * Timeouts: the test caps the client's request timeout at 1.5 s (the node's own is 60 s) and the
 * sandbox answers "slow" requests after 2.5 s, so a timeout costs seconds, not a minute.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
import { startSandbox } from '../sandbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { reportRequestApi } = require('./report') as { reportRequestApi: (figures: IDataObject) => void };

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type LogEntry = Sandbox['log'][number];

const ITEMS = 100;
const FAULT_RATE = 0.2;
const CLIENT_TIMEOUT_MS = 1500;
const SLOW_MS = 2500;
const MODEL = 'nano-banana';
const GET_FAULTS = { rate: FAULT_RATE, kinds: ['500', '503', '429', 'drop', 'slow'], slowMs: SLOW_MS, retryAfter: 1, includeFiles: true };
/** `slow`: a timeout before the request is created; `slowAfterAccept`: created, then a timeout */
const POST_FAULTS = { rate: FAULT_RATE, kinds: ['500', '503', '429', 'drop', 'dropAfterAccept', 'slow', 'slowAfterAccept'], slowMs: SLOW_MS, retryAfter: 1 };
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const TOKEN = /#item-(\d+)#/;

function count(values: Array<string | number>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
	return counts;
}

const itemOf = (entry: LogEntry) => {
	const prompt = (entry.body as { prompt?: unknown } | null)?.prompt;
	const match = typeof prompt === 'string' ? TOKEN.exec(prompt) : null;
	return match ? Number(match[1]) : undefined;
};

type Group = 'submit' | 'status' | 'files';
function groupOf(entry: LogEntry): Group | undefined {
	if (entry.method === 'POST' && entry.path === `/${MODEL}`) return 'submit';
	if (entry.method === 'GET' && entry.path.startsWith('/requests/')) return 'status';
	if (entry.method === 'GET' && entry.path.startsWith('/files/requests/')) return 'files';
	return undefined;
}

let sb: Sandbox;
beforeAll(async () => {
	// 0.3 s requests, the account's limit of 4 running with its server-side queue (8 waiting)
	sb = await startSandbox({ jobSeconds: 0.3, concurrency: 4 });
});
afterAll(async () => {
	await sb.close();
});

test('100 items under ~20% faults on status reads, downloads and submissions: 100 succeed, one request each, no "may have been created"', async () => {
	sb.clearLog();
	sb.configure({ seed: 7, faults: { get: GET_FAULTS, post: POST_FAULTS } } as never);
	// every submission fault kind at least once whatever the timing (then the seeded 20% on top)
	sb.script(POST_FAULTS.kinds.map((fault) => ({ method: 'POST', path: `/${MODEL}`, fault, slowMs: SLOW_MS, retryAfter: 1 })));
	const items: INodeExecutionData[] = Array.from({ length: ITEMS }, (_, index) => ({ json: { prompt: `a lighthouse at dusk #item-${index}#` } }));
	const started = Date.now();
	let result;
	try {
		result = await runNode({
			type: 'higgsfield',
			credentials: { baseUrl: sb.url, headerScheme: 'authorizationKey' },
			executionId: 'faults-request-api',
			items,
			maxRequestTimeoutMs: CLIENT_TIMEOUT_MS,
			parameters: {
				resource: 'request',
				operation: 'generate',
				model: { __rl: true, mode: 'list', value: MODEL },
				modelArguments: { mappingMode: 'defineBelow', value: { prompt: '={{ $json.prompt }}' } },
				options: FAST,
			},
		});
	} finally {
		sb.configure({ faults: null } as never);
	}
	const wallMs = Date.now() - started;
	const { output, error } = result;
	const log = [...sb.log];
	const stats = sb.requestStats();

	const submits = log.filter((entry) => groupOf(entry) === 'submit');
	const faultsBy = (group: Group) => count(log.filter((entry) => groupOf(entry) === group && entry.fault).map((entry) => entry.fault as string));
	const errors = output.map((item) => item.json.error).filter((e): e is string => typeof e === 'string');
	const figures = {
		generatedAt: new Date().toISOString(),
		node: 'Higgsfield (request API)',
		items: ITEMS,
		faultRate: FAULT_RATE,
		succeeded: output.filter((item) => item.json.status === 'completed' && item.json.error === undefined && item.binary?.data).length,
		maybeCreated: errors.filter((e) => /may have been created/i.test(e)).length,
		otherErrors: errors.filter((e) => !/may have been created/i.test(e)).length,
		createdRequests: stats.created,
		idempotencyKeys: stats.byKey.length,
		createdPerKey: count(stats.byKey.map((g) => g.created)),
		replays: stats.replays,
		submissions: submits.length,
		submissionsPerItem: count(Array.from({ length: ITEMS }, (_, i) => submits.filter((entry) => itemOf(entry) === i).length)),
		faults: { submit: faultsBy('submit'), status: faultsBy('status'), files: faultsBy('files') },
		requests: log.length,
		faultShare: Math.round((log.filter((entry) => entry.fault).length / Math.max(1, log.length)) * 1000) / 1000,
		maxRunning: stats.maxRunning,
		maxInFlight: stats.maxInFlight,
		limit: stats.limit,
		queueSize: stats.queueSize,
		queueFull429: stats.queueFull,
		wallSeconds: Math.round(wallMs / 100) / 10,
	};
	reportRequestApi(figures);

	expect(error).toBeUndefined();
	expect(output).toHaveLength(ITEMS);
	expect(figures.succeeded).toBe(ITEMS);
	expect(figures.maybeCreated).toBe(0);
	expect(figures.otherErrors).toBe(0);
	// exactly one created request per item: one key per item, each created once, replays apart
	expect(stats.created).toBe(ITEMS);
	expect(stats.byKey).toHaveLength(ITEMS);
	expect(stats.duplicates).toEqual([]);
	expect(figures.createdPerKey).toEqual({ 1: ITEMS });
	const byId = new Map([...sb.requests.records.values()].map((rec) => [rec.id, rec]));
	output.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		const rec = byId.get(item.json.request_id as string);
		// the item's result is the request created for that very item
		expect(rec?.body).toEqual({ prompt: `a lighthouse at dusk #item-${index}#` });
		expect(item.binary?.data?.mimeType).toBe('image/png');
	});
	// the service's limit held, and the faults really happened: every kind, on every path
	expect(stats.maxRunning).toBeLessThanOrEqual(4);
	for (const kind of POST_FAULTS.kinds) expect(figures.faults.submit[kind]).toBeGreaterThan(0);
	for (const kind of GET_FAULTS.kinds) expect(figures.faults.status[kind]).toBeGreaterThan(0);
	expect(Object.keys(figures.faults.files).length).toBeGreaterThan(0);
	// a submission that was created and then lost its answer came back as a replay
	expect(stats.replays).toBeGreaterThanOrEqual((figures.faults.submit.dropAfterAccept ?? 0) + (figures.faults.submit.slowAfterAccept ?? 0));
}, 300_000);
