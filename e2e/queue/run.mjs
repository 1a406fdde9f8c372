// npm run test:e2e:queue: this package in n8n 2.41.1's queue mode (main + two workers + a webhook
// processor, Postgres, Redis, binary data in the database) against the Higgsfield sandbox. Each scenario
// asserts from the database, Redis (which worker ran an execution) and the sandbox's log, and prints its
// figures. Everything it starts is stopped at the end, on failure and on Ctrl-C; the Postgres cluster and
// the Redis folder live in a temporary folder that is deleted. Logs: .e2e-queue/logs/.
// Options (environment): HF_E2E_ONLY=a,b runs only the scenarios whose names contain one of these words.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import * as H from '../../scripts/lib/harness.mjs';
import { HOSTNAME_PREFIX, WORKER_CONCURRENCY, memoryOf, queueSettings, startCluster } from './cluster.mjs';
import * as E from './evidence.mjs';
import { ensurePackages, openDatabase, startPostgres, startRedis, tempFolder, usePgFrom } from './infra.mjs';
import { CheckFailed, check, createReport, figure } from '../report.mjs';
import { credentialWebhookFields, deliveryTo, sandboxWebhookArgs } from './webhook-auth.mjs';
import { BIG, KILL, KILL_REQUEST, THROUGHPUT, TRIGGER, WAIT, manualExamples, writeWorkflows } from './workflows.mjs';

const WORK = path.join(H.ROOT, '.e2e-queue');
const LOGS = path.join(WORK, 'logs');
const ACCOUNT_LIMIT = 4;
const THROUGHPUT_JOB_SECONDS = 2;
const BIG_BYTES = 512 * 1024 * 1024;
const OWNER = { email: 'queue-e2e@example.com', password: 'Queue-E2e-Pass1' };

// ---------------------------------------------------------------------------------------------
// reporting (e2e/report.mjs: the same PASS/FAIL lines as e2e/run.mjs, which .ci/run counts)

const report = createReport();
const { scenario } = report;

// ---------------------------------------------------------------------------------------------
// the running system

let n8n, db, redis, sandbox, cluster, rest, webhookUrl;

async function runManually(workflowId, triggerName) {
	const answer = await rest.request('POST', `/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
	const executionId = answer.json?.data?.executionId;
	if (answer.status !== 200 || !executionId) throw new CheckFailed(`POST /rest/workflows/${workflowId}/run answered ${answer.status}: ${answer.text.slice(0, 300)}`);
	return String(executionId);
}

const FINAL = (status) => !['new', 'running', 'waiting', 'unknown'].includes(status);

async function waitForStatus(id, accept = FINAL, timeoutMs = 120_000) {
	const row = await H.waitFor(
		async () => {
			const [found] = await E.executionRows(db, { ids: [id] });
			return found && accept(found.status) ? found : undefined;
		},
		{ timeoutMs, intervalMs: 300 },
	);
	if (!row) {
		const [last] = await E.executionRows(db, { ids: [id] });
		throw new CheckFailed(`execution ${id} did not reach the expected status within ${timeoutMs / 1000} s (now: ${last?.status})`);
	}
	return row;
}

/**
 * Which worker ran each execution: Redis keeps each finished Bull job, whose last message carries the
 * id of the worker that ran it (`worker-hf-queue-worker-1` with the suite's per-worker hostnames). Where
 * the workers could not get their own hostnames (same id for both), the worker whose own log started
 * that job is named instead.
 */
async function ranOn(executionIds) {
	const jobs = await redis.jobs();
	const logs = Object.fromEntries(['worker-1', 'worker-2'].map((name) => [name, fs.readFileSync(cluster.processes[name].log, 'utf8')]));
	for (const job of jobs) {
		const own = job.workerId?.startsWith(`worker-${HOSTNAME_PREFIX}`) ? job.workerId.slice(`worker-${HOSTNAME_PREFIX}`.length) : undefined;
		job.worker = own ?? Object.keys(logs).find((name) => logs[name].includes(`Worker started execution ${job.executionId} (job ${job.jobId})`));
		job.evidence = own ? 'redis' : 'log';
	}
	return E.workersOf(jobs, executionIds);
}
const workerName = (job) => (job?.worker ? `${job.worker}${job.evidence === 'log' ? ' (by its log)' : ''}` : `unknown (${job?.workerId})`);

function describeWorkers(byExecution) {
	const counts = {};
	for (const list of byExecution.values()) for (const job of list) counts[job.worker] = (counts[job.worker] ?? 0) + 1;
	return counts;
}

const sandboxLogSince = async (mark) => (await sandbox.log()).filter((entry) => entry.seq > mark);
const logMark = async () => (await sandbox.log()).at(-1)?.seq ?? 0;
const md5 = (buffer) => crypto.createHash('md5').update(buffer).digest('hex');

async function md5OfUrl(url) {
	const response = await fetch(url);
	if (!response.ok) throw new CheckFailed(`GET ${url} answered ${response.status}`);
	const hash = crypto.createHash('md5');
	let length = 0;
	for await (const chunk of response.body) {
		hash.update(chunk);
		length += chunk.length;
	}
	return { md5: hash.digest('hex'), length };
}

/** Checks that each Higgsfield node's binaries are database rows equal to the sandbox's files. */
async function checkBinaries(data, workflow, label) {
	let compared = 0;
	for (const node of workflow.nodes.filter((n) => n.type.startsWith(`${H.PACKAGE_NAME}.`))) {
		const download = node.parameters.download;
		if (!download || download === 'none') continue;
		const rows = [];
		for (const item of E.nodeOutput(data, node.name) ?? []) {
			// the request API's item has `outputs`; a v1 job set `result_urls` (raw) and `preview_urls` (min)
			const urls = Array.isArray(item.json.outputs) ? item.json.outputs : download === 'min' ? item.json.preview_urls : item.json.result_urls;
			for (const [property, binary] of Object.entries(item.binary ?? {})) {
				const index = property === 'data' ? 0 : Number(property.split('_').pop());
				const row = await E.binaryRow(db, binary);
				check(row !== undefined && row.sourceType === 'execution', `${label} / ${node.name}: binary "${property}" is a database row`, binary);
				const served = await md5OfUrl(urls[index]);
				check(row.md5 === served.md5 && Number(row.length) === served.length, `${label} / ${node.name}: stored bytes equal the sandbox's ${download === 'min' ? 'preview' : 'file'}`, { row, served });
				rows.push(Number(row.length));
			}
		}
		check(rows.length > 0, `${label} / ${node.name}: ${rows.length} binar${rows.length === 1 ? 'y' : 'ies'} in Postgres's binary_data (${rows.join(', ')} bytes), each equal (md5) to the sandbox's ${download === 'min' ? 'preview' : 'file'}`);
		compared += rows.length;
	}
	return compared;
}

// ---------------------------------------------------------------------------------------------
// scenarios

async function examplesOnWorkers() {
	const examples = manualExamples();
	check(examples.length >= 4, `${examples.length} examples start by hand: ${examples.map((e) => e.file).join(', ')}`);
	let compared = 0;
	const perWorker = {};
	for (const example of examples) {
		const started = Date.now();
		const id = await runManually(example.id, example.trigger);
		const row = await waitForStatus(id);
		check(row.status === 'success' && row.mode === 'manual', `${example.file}: execution ${id} status ${row.status} (${((Date.now() - started) / 1000).toFixed(1)} s)`, row);
		const [job] = (await ranOn([id])).get(id) ?? [];
		check(job?.worker !== undefined, `${example.file}: run by ${workerName(job)} (Bull job ${job?.jobId})`, job);
		perWorker[job.worker] = (perWorker[job.worker] ?? 0) + 1;
		compared += await checkBinaries(await E.executionData(db, n8n, id), example.workflow, example.file);
	}
	figure(`${examples.length} examples succeeded on workers ${JSON.stringify(perWorker)}; ${compared} binaries compared byte for byte (md5 in Postgres vs the sandbox's files)`);
}

async function throughput() {
	const { executions, items } = THROUGHPUT;
	await sandbox.control('POST', 'configure', { jobSeconds: THROUGHPUT_JOB_SECONDS, concurrency: ACCOUNT_LIMIT });
	const mark = await logMark();
	const since = Date.now();
	const ids = await Promise.all(Array.from({ length: executions }, () => runManually(THROUGHPUT.id, 'Run Example')));
	const rows = await Promise.all(ids.map((id) => waitForStatus(id, FINAL, 20 * 60_000)));
	const wall = (Math.max(...rows.map((row) => row.stoppedAt.getTime())) - since) / 1000;
	check(rows.every((row) => row.status === 'success'), `${executions} executions x ${items} items: all success`, rows.map((row) => row.status));

	const log = await sandboxLogSince(mark);
	const souls = log.filter((entry) => entry.method === 'POST' && entry.path === '/v1/text2image/soul');
	const accepted = souls.filter((entry) => entry.accepted);
	const refused = souls.filter((entry) => entry.status === 400);
	const outputIds = [];
	for (const id of ids) outputIds.push(...(E.nodeOutput(await E.executionData(db, n8n, id), 'Generate Images') ?? []).map((item) => item.json.id));
	const acceptedIds = new Set(accepted.map((entry) => entry.jobSetId));
	check(accepted.length === executions * items && acceptedIds.size === accepted.length, `exactly ${executions * items} accepted submissions, one job set each (${refused.length} refused with the 400 "concurrent" answer and waited out)`, { accepted: accepted.length });
	check(outputIds.length === executions * items && new Set(outputIds).size === outputIds.length && outputIds.every((id) => acceptedIds.has(id)), 'each output item is its own accepted job set: one accepted submission per item', { outputs: outputIds.length });

	const sets = (await sandbox.jobSets()).filter((set) => set.createdAt >= since && acceptedIds.has(set.id));
	const peak = E.peakInFlight(sets);
	check(peak <= ACCOUNT_LIMIT, `the sandbox's job sets in flight never exceeded the account limit (peak ${peak}, limit ${ACCOUNT_LIMIT})`, peak);

	const byExecution = await ranOn(ids);
	const perWorker = describeWorkers(byExecution);
	const ideal = Math.ceil((executions * items) / ACCOUNT_LIMIT) * THROUGHPUT_JOB_SECONDS;
	figure(`executions per worker ${JSON.stringify(perWorker)}; items ${executions * items}; accepted submissions per item ${(accepted.length / (executions * items)).toFixed(2)}; 400 answers ${refused.length}; max in flight ${peak} vs limit ${ACCOUNT_LIMIT}`);
	figure(`wall ${wall.toFixed(1)} s vs ideal ceil(${executions * items}/${ACCOUNT_LIMIT}) x ${THROUGHPUT_JOB_SECONDS} s = ${ideal} s (ratio ${(wall / ideal).toFixed(2)})`);
	check(Object.keys(perWorker).length === 2 && !Object.keys(perWorker).includes('undefined'), `both workers ran executions: ${JSON.stringify(perWorker)} (--concurrency=${WORKER_CONCURRENCY} each)`, perWorker);
	await sandbox.control('POST', 'configure', { jobSeconds: 1 });
}

async function waitForWebhook() {
	const mark = await logMark();
	const id = await runManually(WAIT.id, 'Run Example');
	const waiting = await waitForStatus(id, (status) => status === 'waiting' || FINAL(status), 60_000);
	check(waiting.status === 'waiting', `execution ${id} is waiting (waitTill ${waiting.waitTill?.toISOString()})`, waiting.status);
	const [first] = (await ranOn([id])).get(id) ?? [];
	check(first?.worker !== undefined, `its first part ran on ${workerName(first)}`, first);
	const [post] = (await sandboxLogSince(mark)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/text2image/soul');
	const resumeUrl = post?.body?.webhook?.url ?? '';
	check(resumeUrl.startsWith(`${webhookUrl}webhook-waiting/${id}`), `the webhook URL sent to Higgsfield is the webhook processor's resume URL (${resumeUrl.replace(/signature=[0-9a-f]+/, 'signature=<token>')})`, resumeUrl);
	const jobSetId = post.jobSetId;

	const wrong = await sandbox.deliver(jobSetId, deliveryTo(resumeUrl, { wrong: true }));
	check(wrong.status === 401, `a delivery with a wrong secret is refused by the webhook processor: HTTP ${wrong.status}`, wrong);
	await H.sleep(1500);
	const still = (await E.executionRows(db, { ids: [id] }))[0];
	check(still.status === 'waiting', `no resume: execution ${id} still waiting`, still.status);

	const delivery = await H.waitFor(async () => (await sandbox.webhooks()).find((entry) => entry.jobSetId === jobSetId && entry.url === resumeUrl && entry.status !== 'pending' && entry.time !== wrong.time), { timeoutMs: 60_000 });
	check(delivery?.status === 200, `the sandbox's callback reached the webhook processor when the job finished: HTTP ${delivery?.status}`, delivery && { status: delivery.status, error: delivery.error });
	const done = await waitForStatus(id, FINAL, 60_000);
	check(done.status === 'success', `execution ${id} resumed and finished: ${done.status}`, done.status);
	const jobs = (await ranOn([id])).get(id) ?? [];
	const resumedOn = jobs.at(-1);
	check(jobs.length === 2 && resumedOn.worker !== undefined, `the resume ran as a second job on a worker: ${jobs.map((job) => workerName(job)).join(' then ')}`, jobs);
	const data = await E.executionData(db, n8n, id);
	const [result] = E.nodeOutput(data, 'Generate and Wait') ?? [];
	check(result?.json?.id === jobSetId && result.json.status === 'completed' && (E.nodeOutput(data, 'After Resume') ?? []).length === 1, 'the resumed execution holds the completed job set and the next node ran', result?.json);
	const workflow = { nodes: [{ type: `${H.PACKAGE_NAME}.higgsfieldSoulImage`, name: 'Generate and Wait', parameters: { download: 'raw' } }] };
	await checkBinaries(data, workflow, 'wait for webhook');
	const latency = done.stoppedAt.getTime() - delivery.time;
	figure(`resume latency ${latency} ms (sandbox's callback sent -> execution stopped); wrong secret HTTP ${wrong.status}; ran on ${jobs.map((job) => workerName(job)).join(', then ')}`);
}

async function higgsfieldTrigger() {
	const triggerUrl = `${webhookUrl}webhook/5f0c6d2e-7a1b-4c3d-9e8f-0a1b2c3d4e5f/higgsfield`;
	const before = (await E.executionRows(db, { workflowId: TRIGGER.id })).length;
	const sendId = await runManually(TRIGGER.send, 'Run Example');
	check((await waitForStatus(sendId)).status === 'success', `example 04a submitted with the trigger's URL on the webhook processor (execution ${sendId})`);
	const [submitted] = E.nodeOutput(await E.executionData(db, n8n, sendId), 'Generate Image') ?? [];
	const delivery = await H.waitFor(async () => (await sandbox.webhooks()).find((entry) => entry.jobSetId === submitted?.json?.id && entry.status !== 'pending'), { timeoutMs: 60_000 });
	check(delivery?.status === 200 && delivery.url === triggerUrl, `the sandbox delivered to the webhook processor: HTTP ${delivery?.status}`, delivery && { status: delivery.status, url: delivery.url });
	const started = await H.waitFor(async () => {
		const rows = await E.executionRows(db, { workflowId: TRIGGER.id });
		return rows.length > before && FINAL(rows.at(-1).status) ? rows : undefined;
	}, { timeoutMs: 60_000 });
	check(started?.length === before + 1 && started.at(-1).status === 'success' && started.at(-1).mode === 'webhook', `the published trigger workflow ran once: execution ${started?.at(-1)?.id} (${started?.at(-1)?.mode}, ${started?.at(-1)?.status})`, started?.map((row) => row.status));
	const triggerExecution = started.at(-1).id;
	const [job] = (await ranOn([triggerExecution])).get(triggerExecution) ?? [];
	check(job?.worker !== undefined, `the trigger's execution ran on ${workerName(job)}`, job);
	const triggered = E.nodeOutput(await E.executionData(db, n8n, triggerExecution), 'Higgsfield Trigger') ?? [];
	check(triggered[0]?.json?.id === submitted.json.id, 'it holds the delivered job set', triggered[0]?.json?.id);

	// a second job set: a wrong call, then its webhook event twice at the same moment, then two events of it at once
	const created = await fetch(`${sandbox.url}/v1/text2image/soul`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'hf-api-key': H.SANDBOX_API_KEY, 'hf-secret': H.SANDBOX_API_SECRET },
		body: JSON.stringify({ params: { prompt: 'A duplicate delivery test', width_and_height: '1536x1536', quality: '720p' } }),
	}).then((response) => response.json());
	const finished = await H.waitFor(async () => (await (await fetch(`${sandbox.url}/v1/job-sets/${created.id}`, { headers: { 'hf-api-key': H.SANDBOX_API_KEY, 'hf-secret': H.SANDBOX_API_SECRET } })).json()).jobs?.every((j) => j.status === 'completed'), { timeoutMs: 30_000 });
	check(finished === true, `job set ${created.id} made directly at the sandbox has completed`);
	const countBefore = (await E.executionRows(db, { workflowId: TRIGGER.id })).length;
	const wrong = await sandbox.deliver(created.id, deliveryTo(triggerUrl, { wrong: true }));
	check(wrong.status === 401, `a delivery with a wrong signature and secret is refused: HTTP ${wrong.status}`, wrong);
	// the event is made without reaching n8n (a closed port), then sent twice at once: a first delivery and its duplicate
	const event = await sandbox.deliver(created.id, deliveryTo(`http://127.0.0.1:${await H.freePort()}/nowhere`));
	const same = await Promise.all([0, 1].map(() => sandbox.control('POST', `redeliver/${event.webhookId}`, { url: triggerUrl })));
	const sameGap = Math.abs(same[0].time - same[1].time);
	check(same.every((answer) => answer.status === 200) && same[0].webhookId === same[1].webhookId, `one event (webhook-id ${event.webhookId}) delivered twice ${sameGap} ms apart: answered ${same.map((answer) => answer.status).join(' and ')}`, same.map((answer) => [answer.status, answer.webhookId]));
	await H.sleep(4000);
	const afterSame = (await E.executionRows(db, { workflowId: TRIGGER.id })).slice(countBefore);
	check(afterSame.length === 1, `the simultaneous duplicate started nothing more: ${afterSame.length} execution for the two deliveries`, afterSame.map((row) => row.id));
	const two = await Promise.all([0, 1].map(() => sandbox.deliver(created.id, deliveryTo(triggerUrl))));
	await H.sleep(4000);
	const afterTwo = (await E.executionRows(db, { workflowId: TRIGGER.id })).slice(countBefore + afterSame.length);
	check(two.every((answer) => answer.status === 200) && afterTwo.length === 0, `two more events for the same finished job set, at once (new webhook-ids): answered ${two.map((answer) => answer.status).join(' and ')}, ${afterTwo.length} more executions`, { statuses: two.map((answer) => answer.status), executions: afterTwo.length });
	figure(`trigger: first delivery -> 1 execution on ${workerName(job)}; same event twice at once (${sameGap} ms apart) -> ${afterSame.length} execution; 2 more events at once -> ${afterTwo.length}; wrong signature -> HTTP ${wrong.status}`);
}

async function workerKilled() {
	const mark = await logMark();
	const id = await runManually(KILL.id, 'Run Example');
	const accepted = await H.waitFor(async () => (await sandboxLogSince(mark)).find((entry) => entry.accepted && entry.path === '/v1/text2image/soul'), { timeoutMs: 30_000 });
	check(accepted !== undefined, `execution ${id} submitted job set ${accepted?.jobSetId} (${KILL.jobSeconds} s job)`);
	const victim = await workerRunning(id);
	check(victim !== undefined, `execution ${id} runs on ${victim} (its own log)`);
	await H.sleep(3000);
	const child = cluster.processes[victim].child;
	const killedAt = Date.now();
	try {
		process.kill(-child.pid, 'SIGKILL');
		await child.done;
		check(true, `${victim} (pid ${child.pid}) and its task runner SIGKILLed while Get Job Set waited`);
		const ended = await waitForStatus(id, FINAL, 5 * 60_000);
		const endSeconds = ((Date.now() - killedAt) / 1000).toFixed(0);
		// the surviving worker finds the job stalled (lock 60 s + a check every 30 s) and n8n never re-runs a
		// stalled job: main ends the execution "error" (max stalled count), unless its queue recovery marked it
		// "crashed" first
		check(['error', 'crashed'].includes(ended.status), `n8n did not run it again: execution ${id} ended "${ended.status}" ${endSeconds} s after the kill`, ended.status);
		const saved = await E.executionData(db, n8n, id);
		const [submitted] = E.nodeOutput(saved, 'Submit Only') ?? [];
		const souls = async () => (await sandboxLogSince(mark)).filter((entry) => entry.accepted && entry.path === '/v1/text2image/soul').length;
		check((await souls()) === 1, 'nothing was submitted again by n8n: 1 accepted submission');
		if (submitted?.json?.id !== accepted.jobSetId) {
			// n8n's max-stalled path stores the execution with an empty run: the saved progress is gone
			figure(`worker killed: execution ${id} -> "${ended.status}" after ${endSeconds} s ("${saved?.resultData?.error?.message?.slice(0, 70)}..."); its saved progress was replaced, so the job set id is not in n8n (only on Higgsfield's side); a re-run of this v1 workflow would submit again`);
			return;
		}
		check(true, `the submitted job set id is in the ended execution (node "Submit Only", saved on progress): ${submitted.json.id}`);
		const retry = await rest.request('POST', `/rest/executions/${id}/retry`, { loadWorkflow: false });
		check(retry.status === 200, `the user retries it (Executions > Retry with original workflow): HTTP ${retry.status}`, retry.text.slice(0, 300));
		const retried = await H.waitFor(async () => (await db.query('SELECT id::text AS id, status FROM execution_entity WHERE "retryOf" = $1', [id])).find((row) => FINAL(row.status)), { timeoutMs: 120_000 });
		check(retried?.status === 'success', `retry execution ${retried?.id}: ${retried?.status}`, retried);
		const [job] = (await ranOn([retried.id])).get(retried.id) ?? [];
		check((await souls()) === 1, 'nothing submitted twice: 1 accepted submission for the original and its retry');
		const [fetched] = E.nodeOutput(await E.executionData(db, n8n, retried.id), 'Get Job Set') ?? [];
		check(fetched?.json?.id === accepted.jobSetId && fetched.json.status === 'completed', `the retry (on ${workerName(job)}) only waited for the same job set and downloaded it`, fetched?.json);
		figure(`worker killed: execution ${id} -> "${ended.status}" after ${endSeconds} s (no automatic re-run), job set id kept; retry ${retried.id} on ${workerName(job)} -> success; accepted submissions 1`);
	} finally {
		// the suite goes on with two workers
		await cluster.restartWorker(victim);
	}
}

async function bigResult() {
	await sandbox.control('POST', 'configure', { largeResultBytes: BIG_BYTES });
	try {
		const id = await runManually(BIG.id, 'Run Example');
		const running = await H.waitFor(() => ['worker-1', 'worker-2'].find((name) => new RegExp(`Worker started execution ${id} `).test(fs.readFileSync(cluster.processes[name].log, 'utf8'))), { timeoutMs: 30_000 });
		check(running !== undefined, `execution ${id} runs on ${running}`);
		const pid = cluster.processes[running].child.pid;
		const before = memoryOf(pid);
		let peak = before?.rssMiB ?? 0;
		let row;
		while (!(row = (await E.executionRows(db, { ids: [id] }))[0]) || !FINAL(row.status)) {
			peak = Math.max(peak, memoryOf(pid)?.rssMiB ?? 0);
			await H.sleep(200);
		}
		const hwm = memoryOf(pid)?.peakMiB ?? peak;
		figure(`${running} RSS before ${before?.rssMiB.toFixed(0)} MiB, peak ${Math.max(peak, hwm).toFixed(0)} MiB (VmHWM) for a ${BIG_BYTES / 1048576} MiB result; execution ${row.status}`);
		check(row.status === 'success', `execution ${id}: ${row.status}`, row.status);
		const data = await E.executionData(db, n8n, id);
		const [video] = E.nodeOutput(data, 'Animate Image') ?? [];
		const stored = await E.binaryRow(db, video?.binary?.data);
		check(Number(stored?.length) === BIG_BYTES, `the video is one ${BIG_BYTES} byte row in binary_data`, stored && { length: stored.length });
		const served = await md5OfUrl(video.json.result_urls[0]);
		check(stored.md5 === served.md5, `stored bytes equal the sandbox's file (md5 ${served.md5.slice(0, 8)})`);
		check(Math.max(peak, hwm) - (before?.rssMiB ?? 0) >= 512, `n8n's database mode holds the whole file in the worker's memory (peak grew by ${(Math.max(peak, hwm) - (before?.rssMiB ?? 0)).toFixed(0)} MiB): limit N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE (MiB)`);
	} finally {
		await sandbox.control('POST', 'configure', { largeResultBytes: 0 });
	}
}

/** Which worker process runs an execution, from its own log line "Worker started execution <id> (job ...)". */
async function workerRunning(id, timeoutMs = 30_000) {
	return await H.waitFor(() => ['worker-1', 'worker-2'].find((name) => fs.readFileSync(cluster.processes[name].log, 'utf8').includes(`Worker started execution ${id} `)), { timeoutMs });
}

async function workerKilledRequestApi() {
	const { rows, jobSeconds } = KILL_REQUEST;
	let restart;
	await sandbox.control('POST', 'configure', { jobSeconds });
	try {
		const mark = await logMark();
		const id = await runManually(KILL_REQUEST.id, 'Run Example');
		const created = await H.waitFor(async () => {
			const list = (await sandboxLogSince(mark)).filter((entry) => entry.method === 'POST' && entry.path === '/nano-banana' && entry.accepted);
			return list.length >= rows ? list : undefined;
		}, { timeoutMs: 30_000 });
		check(created?.length === rows, `execution ${id} (example 08, the Higgsfield node) submitted ${rows} requests (${jobSeconds} s each) with keys ${created?.map((entry) => entry.headers['idempotency-key']).join(', ')}`, created?.length);
		const victim = await workerRunning(id);
		await H.sleep(2000);
		const child = cluster.processes[victim].child;
		process.kill(-child.pid, 'SIGKILL');
		await child.done;
		restart = victim;
		check(true, `${victim} SIGKILLed while the node waited; the user runs the workflow again at once`);
		const rerun = await runManually(KILL_REQUEST.id, 'Run Example');
		const row = await waitForStatus(rerun, FINAL, 120_000);
		const [job] = (await ranOn([rerun])).get(rerun) ?? [];
		check(row.status === 'success', `the new execution ${rerun} on ${workerName(job)}: ${row.status}`, row.status);
		const output = E.nodeOutput(await E.executionData(db, n8n, rerun), 'Generate Images') ?? [];
		const firstIds = created.map((entry) => entry.requestId);
		const stats = await sandbox.control('GET', 'request-stats');
		const mine = (stats.byKey ?? []).filter((group) => String(group.idempotencyKey ?? '').startsWith(`${KILL_REQUEST.id}-row-`));
		check(mine.length === rows && mine.every((group) => group.created === 1 && group.replays >= 1), `the sandbox made each row's request once: ${mine.map((group) => `${group.idempotencyKey} created ${group.created}, replayed ${group.replays}`).join('; ')}`, mine);
		check(output.length === rows && output.every((item) => item.json.status === 'completed' && firstIds.includes(item.json.request_id)) && new Set(output.map((item) => item.json.request_id)).size === rows, `the re-run returned the ${rows} original requests, completed (${output.map((item) => item.json.request_id?.slice(0, 8)).join(', ')})`, { output: output.map((item) => [item.json.request_id, item.json.status]), firstIds });
		figure(`worker killed under the Higgsfield node: re-run ${rerun} -> ${row.status}; requests created per row ${mine.map((group) => group.created).join('/')}, replays ${mine.map((group) => group.replays).join('/')}`);
	} finally {
		await sandbox.control('POST', 'configure', { jobSeconds: 1 });
		if (restart) await cluster.restartWorker(restart);
	}
}

// ---------------------------------------------------------------------------------------------

let temp;
function cleanTemp() {
	if (temp) fs.rmSync(temp, { recursive: true, force: true });
	temp = undefined;
}

async function main() {
	const started = Date.now();
	H.stopAllOnSignals(async () => {
		console.log('\nstopping (signal)...');
		await H.stopAll();
		cleanTemp();
	});
	process.on('exit', cleanTemp);
	fs.rmSync(WORK, { recursive: true, force: true });
	fs.mkdirSync(LOGS, { recursive: true });

	const packages = await ensurePackages();
	H.say('queue', packages.installed.length ? `installed ${packages.installed.join(', ')}` : 'postgresql and redis-server: installed');
	n8n = await H.ensureN8n();
	usePgFrom(n8n);
	H.say('queue', `n8n ${n8n.version} on Node ${n8n.nodeVersion}`);

	temp = tempFolder('hf-queue-');
	const [pgPort, redisPort, mainPort, webhookPort, sandboxPort] = await Promise.all([H.freePort(), H.freePort(), H.freePort(), H.freePort(), H.freePort()]);
	const postgres = await startPostgres({ dir: path.join(temp, 'postgres'), port: pgPort, logFile: path.join(LOGS, 'postgres.log') });
	const redisServer = await startRedis({ dir: path.join(temp, 'redis'), port: redisPort, logFile: path.join(LOGS, 'redis.log') });
	H.say('queue', `Postgres ${postgres.version} on ${pgPort}, Redis ${redisServer.version} on ${redisPort} (in ${temp})`);
	db = await openDatabase(postgres.connection);
	redis = await E.openRedis(n8n, redisPort);
	sandbox = await H.startSandbox({ port: sandboxPort, args: ['--job-seconds', '1', '--character-seconds', '1', '--concurrency', String(ACCOUNT_LIMIT), ...sandboxWebhookArgs()], logFile: path.join(LOGS, 'sandbox.log') });
	H.say('queue', `sandbox on ${sandbox.url} (account limit ${ACCOUNT_LIMIT})`);

	const pkg = await H.installPackage(path.join(WORK, 'pack'), { workDir: WORK });
	webhookUrl = `http://127.0.0.1:${webhookPort}/`;
	const settings = queueSettings({ postgres, redis: redisServer, webhookUrl });
	const workflowsDir = path.join(WORK, 'workflows');
	const workflows = writeWorkflows(workflowsDir, { webhookUrl });
	cluster = await startCluster({
		n8n,
		work: WORK,
		tarball: pkg.tarball,
		settings,
		mainPort,
		webhookPort,
		// main looks for executions whose worker vanished every minute (default 180): scenario 5
		extraMain: { N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1' },
		prepare: async (cli) => {
			const credentials = path.join(WORK, 'credentials.json');
			fs.writeFileSync(credentials, JSON.stringify([{ ...H.sandboxCredential({ baseUrl: sandbox.url }), data: { ...H.sandboxCredential({ baseUrl: sandbox.url }).data, ...credentialWebhookFields() } }]));
			const log = path.join(LOGS, 'cli.log');
			await H.n8nCli(n8n, cli, ['import:credentials', `--input=${credentials}`], { logFile: log });
			await H.n8nCli(n8n, cli, ['import:workflow', '--separate', `--input=${workflowsDir}`], { logFile: log });
			await H.activateWorkflow(n8n, cli, TRIGGER.id, { logFile: log });
			H.say('queue', `imported the credential and ${workflows.length} workflows; published ${TRIGGER.id}`);
		},
	});
	H.say('queue', `n8n main ${cluster.processes.main.url}, workers (--concurrency=${WORKER_CONCURRENCY}), webhook processor ${webhookUrl}: ready`);
	rest = new H.N8nRest(cluster.processes.main.url, n8n);
	await rest.setupOwner({ ...OWNER, firstName: 'Queue', lastName: 'Owner' });
	await rest.login(OWNER.email, OWNER.password);

	await scenario('queue 1: every manual example runs to success on a worker, binaries in the database', examplesOnWorkers);
	await scenario('queue 2: throughput, 8 executions x 25 items against an account limit of 4', throughput);
	await scenario('queue 3: Wait for Webhook resumes through the webhook processor on a worker', waitForWebhook);
	await scenario('queue 4: Higgsfield Trigger through the webhook processor, simultaneous duplicate', higgsfieldTrigger);
	await scenario('queue 6: a 512 MiB result in database binary-data mode', bigResult);
	await scenario('queue 5: a worker SIGKILLed while its execution waits on a job', workerKilled);
	await scenario('queue 5b: a worker SIGKILLed under the Higgsfield node (request API); the re-run makes nothing twice', workerKilledRequestApi);

	await cluster.stop();
	await redis.close();
	await db.close();
	await sandbox.stop();
	await redisServer.stop();
	await postgres.stop();
	return report.summary(`queue mode: n8n ${n8n.version}, main + 2 workers + webhook processor, Postgres ${postgres.version}, Redis ${redisServer.version}; ${((Date.now() - started) / 1000).toFixed(0)} s; logs in ${path.relative(H.ROOT, LOGS)}`);
}

main()
	.then(async (code) => {
		await H.stopAll();
		cleanTemp();
		process.exit(code);
	})
	.catch(async (error) => {
		console.error(`\nFAIL queue e2e setup: ${error.stack ?? error}`);
		await redis?.close().catch(() => {});
		await db?.close().catch(() => {});
		await H.stopAll();
		cleanTemp();
		process.exit(1);
	});
