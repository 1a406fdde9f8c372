// What the queue-mode scenarios assert from: n8n's database (executions, their run data, binary data
// rows), Redis (the Bull job of each execution, whose last progress message names the worker that ran
// it; n8n stores no worker in the database), and the sandbox's request log and job sets.
import { n8nRequire } from './infra.mjs';

/** Executions rows of a workflow (oldest first), or of the given ids. */
export async function executionRows(db, { workflowId, ids, since } = {}) {
	const where = [];
	const values = [];
	if (workflowId) where.push(`"workflowId" = $${values.push(workflowId)}`);
	if (ids) where.push(`id = ANY($${values.push(ids.map(Number))}::int[])`);
	if (since) where.push(`"createdAt" >= $${values.push(new Date(since))}`);
	return await db.query(
		`SELECT id::text AS id, "workflowId", mode, status, finished, "createdAt", "startedAt", "stoppedAt", "waitTill", "binaryDataSizeBytes"
		 FROM execution_entity ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY execution_entity.id`,
		values,
	);
}

/** One execution's run data (execution_data.data is "flatted" JSON), parsed with n8n's own flatted. */
export async function executionData(db, n8n, id) {
	const [row] = await db.query('SELECT data FROM execution_data WHERE "executionId" = $1', [Number(id)]);
	if (!row) return undefined;
	return n8nRequire(n8n)('flatted').parse(row.data);
}

/** The output items of a node (last run unless told) in run data. */
export function nodeOutput(data, nodeName, runIndex) {
	const runs = data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	return runs[runIndex ?? runs.length - 1]?.data?.main?.[0] ?? [];
}

/** A binary entry's row in binary_data (database mode): size and md5 computed by Postgres. */
export async function binaryRow(db, binary) {
	const match = /^database:(.+)$/.exec(binary?.id ?? '');
	if (!match) return undefined;
	const [row] = await db.query(
		'SELECT "fileId", "sourceType", "sourceId", "fileSize", length(data) AS length, md5(data) AS md5 FROM binary_data WHERE "fileId" = $1',
		[match[1]],
	);
	return row;
}

/** The bytes of a binary entry stored in the database (small files only). */
export async function binaryBytes(db, binary) {
	const match = /^database:(.+)$/.exec(binary?.id ?? '');
	if (!match) return undefined;
	const [row] = await db.query('SELECT data FROM binary_data WHERE "fileId" = $1', [match[1]]);
	return row?.data;
}

/**
 * Redis: every Bull job n8n kept, as {jobId, executionId, workerId, finishedOn, processedOn, failedReason}.
 * The worker id is the worker's hostId ("worker-<random>"), from the job's last progress message
 * (`job-finished`), which n8n sends from the worker that ran the job.
 */
export async function openRedis(n8n, port) {
	const Redis = n8nRequire(n8n)('ioredis');
	const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
	// Redis stops with the suite: a lost connection then is expected, not a crash
	redis.on('error', () => {});
	await redis.connect();
	return {
		async jobs() {
			const keys = [];
			let cursor = '0';
			do {
				const [next, batch] = await redis.scan(cursor, 'MATCH', 'bull:*', 'COUNT', 1000);
				cursor = next;
				keys.push(...batch.filter((key) => /^bull:[^:]+:\d+$/.test(key)));
			} while (cursor !== '0');
			const jobs = [];
			for (const key of keys) {
				if ((await redis.type(key)) !== 'hash') continue;
				const hash = await redis.hgetall(key);
				let data = {};
				let progress = {};
				try {
					data = JSON.parse(hash.data ?? '{}');
				} catch {}
				try {
					progress = JSON.parse(hash.progress ?? '{}');
				} catch {}
				jobs.push({
					key,
					jobId: key.split(':').pop(),
					executionId: data.executionId === undefined ? undefined : String(data.executionId),
					workerId: progress?.workerId,
					kind: progress?.kind,
					processedOn: Number(hash.processedOn) || undefined,
					finishedOn: Number(hash.finishedOn) || undefined,
					failedReason: hash.failedReason,
				});
			}
			return jobs;
		},
		close: () => redis.quit().catch(() => redis.disconnect()),
	};
}

/** The workers that ran each of `executionIds` (several when an execution waited and resumed). */
export function workersOf(jobs, executionIds) {
	const wanted = new Set(executionIds.map(String));
	const byExecution = new Map();
	for (const job of jobs) {
		if (!wanted.has(job.executionId)) continue;
		if (!byExecution.has(job.executionId)) byExecution.set(job.executionId, []);
		byExecution.get(job.executionId).push(job);
	}
	for (const list of byExecution.values()) list.sort((a, b) => Number(a.jobId) - Number(b.jobId));
	return byExecution;
}

/** The highest number of job sets in flight at once (from creation to the end of its last job). */
export function peakInFlight(jobSets) {
	const events = [];
	for (const set of jobSets) {
		const end = Math.max(...set.jobs.map((job) => job.endsAt));
		events.push([set.createdAt, 1], [end, -1]);
	}
	// an end at the same instant as a start frees its slot first
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let current = 0;
	let peak = 0;
	for (const [, delta] of events) {
		current += delta;
		peak = Math.max(peak, current);
	}
	return peak;
}
