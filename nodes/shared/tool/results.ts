/**
 * Tool results written for a model: what a node outputs, made compact. Each result says its
 * status, its id, its result URLs once (never the API's nested copies or the inputs echoed
 * back) and until when they work; a job that is not done says "still running" and which tool
 * to call, with which argument, to check it later.
 */
import type { IDataObject } from 'n8n-workflow';

import { isTerminal } from '../jobs/jobSet';
import { isTerminalStatus } from '../requestApi/contract';
import type { ToolRef } from './siblings';

export const STILL_RUNNING = 'still running';

/** Higgsfield keeps v1 results at least this long (its newer docs; the brief said 30 days). */
const V1_RETENTION_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const FAILURE_HINTS: Record<string, string> = {
	failed: 'The generation failed on Higgsfield. It was not charged; try again, perhaps with other input.',
	nsfw: 'Higgsfield flagged the content as NSFW and made nothing. It was not charged; change the prompt or the input image.',
	canceled: 'The job was canceled on Higgsfield. It was not charged.',
};

/** Where to look a job up again, as a model reads it. */
export interface StatusTools {
	jobSet?: ToolRef;
	request?: ToolRef;
	character?: ToolRef;
}

const strings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string' && entry !== '') : [];

function checkLater(ref: ToolRef | undefined, idName: string, id: string, fallback: string): IDataObject {
	if (!ref) return { next: `Check it later with ${fallback} and ${idName} ${id}.` };
	const args = JSON.stringify({ [ref.argument ?? idName]: id });
	return {
		check_with: ref.tool,
		next: `Call the tool ${ref.tool} with ${args} in about 15 seconds to get the result.`,
	};
}

function v1Expiry(createdAt: unknown): string {
	const created = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
	if (Number.isNaN(created)) return `at least ${V1_RETENTION_DAYS} days after creation; download the files to keep them`;
	const until = new Date(created + V1_RETENTION_DAYS * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
	return `about ${until} (kept at least ${V1_RETENTION_DAYS} days); download the files to keep them`;
}

function failure(status: string, reason: unknown): IDataObject {
	const text = typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
	return {
		...(text ? { error: text } : {}),
		message: FAILURE_HINTS[status] ?? `It ended as ${status}.`,
	};
}

/** A v1 job set (generation nodes, Get Job Set). */
function jobSetResult(json: IDataObject, tools: StatusTools): IDataObject {
	const status = String(json.status ?? '');
	const id = String(json.id);
	const base: IDataObject = {
		job_set_id: id,
		...(typeof json.type === 'string' ? { type: json.type } : {}),
	};
	if (!isTerminal(status)) {
		return {
			status: STILL_RUNNING,
			...base,
			state: status || 'queued',
			...checkLater(tools.jobSet, 'job_set_id', id, 'Higgsfield Get Job Set'),
		};
	}
	const urls = strings(json.result_urls);
	if (status === 'completed')
		return {
			status,
			...base,
			result_urls: urls,
			urls_expire: v1Expiry(json.created_at),
		};
	const jobs = Array.isArray(json.jobs) ? (json.jobs as IDataObject[]) : [];
	const reasons = [...new Set(jobs.map((job) => job?.error).filter((reason) => typeof reason === 'string' && reason !== ''))];
	return {
		status,
		...base,
		...(urls.length > 0 ? { result_urls: urls, urls_expire: v1Expiry(json.created_at) } : {}),
		...failure(status, reasons.join('; ')),
	};
}

/** A request of the request API (the Higgsfield node). */
function requestResult(json: IDataObject, tools: StatusTools): IDataObject {
	const status = String(json.status ?? '');
	const id = String(json.request_id);
	const base: IDataObject = {
		request_id: id,
		...(typeof json.model === 'string' ? { model: json.model } : {}),
	};
	if (!isTerminalStatus(status)) {
		return {
			status: STILL_RUNNING,
			...base,
			state: status || 'queued',
			...checkLater(tools.request ?? tools.jobSet, 'request_id', id, 'the Higgsfield node (Get Status)'),
		};
	}
	const urls = strings(json.outputs);
	const expiry = typeof json.expires_at === 'string' || typeof json.expires_at === 'number' ? { urls_expire: json.expires_at } : {};
	if (status === 'completed') return { status, ...base, result_urls: urls, ...expiry };
	return {
		status,
		...base,
		...(urls.length > 0 ? { result_urls: urls, ...expiry } : {}),
		...failure(status, json.error),
	};
}

const TRAINED = new Set(['completed', 'failed']);

/** A Soul ID character (Characters: Create, Get, Get Many). */
function characterResult(json: IDataObject, tools: StatusTools, single: boolean): IDataObject {
	const status = String(json.status);
	const result: IDataObject = {
		character_id: json.id,
		...(typeof json.name === 'string' ? { name: json.name } : {}),
		status,
		...(typeof json.thumbnail_url === 'string' && json.thumbnail_url !== '' ? { thumbnail_url: json.thumbnail_url } : {}),
		...(typeof json.fail_reason === 'string' && json.fail_reason !== '' ? { fail_reason: json.fail_reason } : {}),
	};
	if (!single || TRAINED.has(status)) return result;
	return {
		...result,
		status: STILL_RUNNING,
		state: status,
		...checkLater(tools.character, 'character_id', String(json.id), 'Higgsfield Characters (Get)'),
	};
}

/** A catalogue entry (styles, motions): what a model needs to pick one. */
function catalogueEntry(json: IDataObject): IDataObject {
	const keep = ['id', 'name', 'description', 'start_end_frame'];
	return Object.fromEntries(Object.entries(json).filter(([key, value]) => keep.includes(key) && value !== null && value !== ''));
}

const isJobSetJson = (json: IDataObject): boolean => typeof json.id === 'string' && Array.isArray(json.jobs);
const isRequestJson = (json: IDataObject): boolean => typeof json.request_id === 'string' && typeof json.status === 'string';
const isCharacterJson = (json: IDataObject): boolean =>
	typeof json.id === 'string' && typeof json.status === 'string' && ('thumbnail_url' in json || 'name' in json) && !('jobs' in json);

/**
 * One output item's json as the model gets it. `single`: the call made one thing (a generation,
 * a Get), so an unfinished one gets a "check later"; a list does not.
 */
export function toolResult(json: IDataObject, tools: StatusTools, single: boolean): IDataObject {
	if (isJobSetJson(json)) return jobSetResult(json, tools);
	if (isRequestJson(json)) return requestResult(json, tools);
	if (isCharacterJson(json)) return characterResult(json, tools, single);
	if (typeof json.id === 'string' && typeof json.name === 'string') return catalogueEntry(json);
	// anything else (e.g. {deleted: true, id}) is small already; never pass nested API objects on
	return Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'input_params' && key !== 'jobs'));
}
