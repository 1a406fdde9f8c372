/**
 * The transport's bounds in real executions, where they take real time (fault suite only):
 * - a read that keeps failing: 8 attempts, waits growing and jittered within bounds, then an error
 *   that names the request (the job set ID) and the tries, and no secret;
 * - the API inactivity timeout (60 s): a timed-out status read is retried; a timed-out submission
 *   becomes "may have been created" and is not sent again.
 */
import { sleep } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
import { startSandbox } from '../sandbox';
import { secretLeaks } from './secretSearch';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SOUL = '/v1/text2image/soul';
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const SLACK_MS = 500;
const API_TIMEOUT_MS = 60_000;

async function withSandbox<T>(run: (sb: Sandbox) => Promise<T>): Promise<T> {
	const sb = await startSandbox({ jobSeconds: 0.2 });
	try {
		return await run(sb);
	} finally {
		await sb.close();
	}
}

const gapAfter = (first: { answeredAt: number | null }, next: { time: number }) => next.time - (first.answeredAt ?? 0);

test.concurrent(
	'a status read failing 8 times: backoff 0.5 s doubling to 8 s with jitter, then the error names the job set and the tries',
	async () => {
		await withSandbox(async (sb) => {
			sb.script([{ method: 'GET', path: '/v1/job-sets/', fault: '503', times: 8 }]);
			const result = await runNode({
				type: 'higgsfieldSoulImage',
				parameters: { operation: 'generate', prompt: 'a fox', options: FAST },
				credentials: { baseUrl: sb.url },
			});
			const [post, ...reads] = sb.log;
			expect(post.accepted).toBe(true);
			expect(reads.map((entry) => [entry.path, entry.status])).toEqual(Array(8).fill([`/v1/job-sets/${post.jobSetId}`, 503]));
			const ceilings = [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000];
			const gaps = ceilings.map((_ceiling, index) => gapAfter(reads[index], reads[index + 1]));
			ceilings.forEach((ceiling, index) => {
				expect(gaps[index]).toBeGreaterThanOrEqual(ceiling / 2 - 5);
				expect(gaps[index]).toBeLessThanOrEqual(ceiling + SLACK_MS);
			});
			// jittered: the three waits with the same 8 s ceiling are not all equal
			expect(new Set(gaps.slice(4).map((gap) => Math.round(gap / 50))).size).toBeGreaterThan(1);
			expect(result.error?.message).toBe('Higgsfield had a server error (503): Service Unavailable [item 0]');
			expect(result.error?.description).toMatch(
				new RegExp(
					`^The service failed, not the request\\. Try again later\\. The request was GET /v1/job-sets/${post.jobSetId}\\. Tried 8 times over \\d+(\\.\\d)? s\\. Correlation ID: [0-9a-f-]{36}\\.$`,
				),
			);
			expect(secretLeaks(result, ['hf-sandbox-secret', 'hf-sandbox-key'])).toEqual([]);
		});
	},
	60_000,
);

test.concurrent(
	'a status read that gets no answer for 60 s times out and is retried; the item succeeds',
	async () => {
		await withSandbox(async (sb) => {
			sb.script([{ method: 'GET', path: '/v1/job-sets/', fault: 'slow', slowMs: API_TIMEOUT_MS + 5_000 }]);
			const started = Date.now();
			const result = await runNode({
				type: 'higgsfieldSoulImage',
				parameters: { operation: 'generate', prompt: 'a fox', download: 'none', options: FAST },
				credentials: { baseUrl: sb.url },
			});
			expect(result.error).toBeUndefined();
			expect(result.output[0].json).toMatchObject({ status: 'completed' });
			const reads = sb.log.filter((entry) => entry.method === 'GET');
			expect(reads[0].fault).toBe('slow');
			// the second read left when the first had been silent for the timeout
			expect(reads[1].time - reads[0].time).toBeGreaterThanOrEqual(API_TIMEOUT_MS);
			expect(reads[1].time - reads[0].time).toBeLessThan(API_TIMEOUT_MS + 1_000 + SLACK_MS);
			expect(Date.now() - started).toBeLessThan(API_TIMEOUT_MS + 5_000);
			expect(sb.acceptedSubmissions(SOUL)).toHaveLength(1);
		});
	},
	120_000,
);

test.concurrent(
	'a submission that gets no answer for 60 s: "may have been created", and not sent again',
	async () => {
		await withSandbox(async (sb) => {
			// the service stays silent for 62 s: the node gives up at 60 s, and cannot know whether the
			// job exists (here it does not: the sandbox's slow answer stalls before reading the body)
			sb.script([{ method: 'POST', path: SOUL, fault: 'slow', slowMs: API_TIMEOUT_MS + 2_000 }]);
			const started = Date.now();
			const result = await runNode({
				type: 'higgsfieldSoulImage',
				parameters: { operation: 'generate', prompt: 'a fox', options: FAST },
				credentials: { baseUrl: sb.url },
			});
			const elapsed = Date.now() - started;
			expect(elapsed).toBeGreaterThanOrEqual(API_TIMEOUT_MS);
			expect(elapsed).toBeLessThan(API_TIMEOUT_MS + 1_000 + SLACK_MS);
			expect(result.error?.message).toBe(
				`The job may have been created: POST ${SOUL} was sent but Higgsfield did not answer within 60 s (econnaborted) [item 0]`,
			);
			expect(result.error?.description).toMatch(/^It was not sent again, so you are not charged twice\./);
			// let the stalled answer run out: still the one POST, nothing sent after it
			await sleep(2_500);
			expect(sb.log.map((entry) => [entry.method, entry.path])).toEqual([['POST', SOUL]]);
		});
	},
	120_000,
);
