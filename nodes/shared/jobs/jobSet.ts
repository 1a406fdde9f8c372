/** The job set shape of the contract, and what "done" and "succeeded" mean for it. */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type JobStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'nsfw' | 'canceled';

export interface JobResultFile {
	type?: string;
	url: string;
}

export interface Job {
	id: string;
	job_set_type?: string;
	status: JobStatus | string;
	results?: { min?: JobResultFile; raw?: JobResultFile } | null;
	error?: string;
}

export interface JobSet {
	id: string;
	type?: string;
	created_at?: string;
	jobs: Job[];
	input_params?: IDataObject;
}

export type ResultVariant = 'raw' | 'min';

const TERMINAL_STATUSES = new Set(['completed', 'failed', 'nsfw', 'canceled']);
const FAILURE_PRECEDENCE = ['nsfw', 'failed', 'canceled'];

export function isTerminal(status: string): boolean {
	return TERMINAL_STATUSES.has(status);
}

/** Done only when EVERY job is terminal: a batch of 4 finishes job by job. */
export function isJobSetDone(jobSet: JobSet): boolean {
	return jobSet.jobs.length > 0 && jobSet.jobs.every((job) => isTerminal(job.status));
}

/** One status for the whole set: the worst terminal status, else the least advanced one. */
export function jobSetStatus(jobSet: JobSet): string {
	const statuses = jobSet.jobs.map((job) => job.status);
	if (statuses.length === 0) return 'queued';
	if (!isJobSetDone(jobSet)) return statuses.includes('queued') && !statuses.includes('in_progress') ? 'queued' : 'in_progress';
	return FAILURE_PRECEDENCE.find((status) => statuses.includes(status)) ?? 'completed';
}

export function resultUrls(jobSet: JobSet, variant: ResultVariant): string[] {
	return jobSet.jobs
		.map((job) => job.results?.[variant]?.url)
		.filter((url): url is string => typeof url === 'string' && url !== '');
}

/** The job set as the nodes output it: the API's object plus its status and result URLs. */
export function describeJobSet(jobSet: JobSet): IDataObject {
	return {
		...(jobSet as unknown as IDataObject),
		status: jobSetStatus(jobSet),
		result_urls: resultUrls(jobSet, 'raw'),
		preview_urls: resultUrls(jobSet, 'min'),
	};
}

/** Checks that an answer (or a webhook body) is a job set before anything relies on it. */
export function isJobSet(value: unknown): value is JobSet {
	if (value === null || typeof value !== 'object') return false;
	const candidate = value as Partial<JobSet>;
	return (
		typeof candidate.id === 'string' &&
		candidate.id !== '' &&
		Array.isArray(candidate.jobs) &&
		candidate.jobs.every(
			(job) => job !== null && typeof job === 'object' && typeof (job as Job).status === 'string',
		)
	);
}

export function asJobSet(value: unknown, node: INode, itemIndex?: number): JobSet {
	if (isJobSet(value)) return value;
	throw new NodeOperationError(node, 'Higgsfield answered with something that is not a job set', {
		itemIndex,
		description: 'Expected an object with an "id" and a "jobs" list. Check the Base URL of the credential.',
	});
}
