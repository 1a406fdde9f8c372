/** What the job lifecycle tests share: running the Soul Image node fast, and reading the sandbox log. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, type RunResult } from '../helpers/n8n';
import type { startSandbox } from '../sandbox';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type LogEntry = Sandbox['log'][number];

export const SOUL = '/v1/text2image/soul';
export const DOP = '/v1/image2video/dop';
/** polling options that keep the suite fast: first check after 0.1 s, then at most every 0.2 s */
export const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };

export interface SoulRun {
	parameters?: IDataObject;
	/** options of the node (merged over FAST) */
	options?: IDataObject;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	cancelSignal?: AbortSignal;
}

export async function runSoul(sb: Sandbox, run: SoulRun = {}): Promise<RunResult> {
	return await runNode({
		type: 'higgsfieldSoulImage',
		parameters: {
			operation: 'generate',
			prompt: 'a lighthouse at dusk',
			widthAndHeight: '1536x1536',
			quality: '720p',
			...run.parameters,
			options: { ...FAST, ...run.options },
		},
		credentials: { baseUrl: sb.url },
		items: run.items,
		continueOnFail: run.continueOnFail,
		cancelSignal: run.cancelSignal,
	});
}

/** Items whose `prompt` field the node reads with an expression. */
export function promptItems(prompts: string[]): INodeExecutionData[] {
	return prompts.map((prompt) => ({ json: { prompt } }));
}

export const PROMPT_FROM_ITEM = { prompt: '={{ $json.prompt }}' };

/** The job set id the sandbox created for the (accepted) submission of this prompt. */
export function jobSetIdOf(sb: Sandbox, prompt: string, path = SOUL): string {
	const accepted = sb.acceptedSubmissions(path).filter((entry) => (entry.body as { params: IDataObject }).params.prompt === prompt);
	expect(accepted).toHaveLength(1);
	return accepted[0].jobSetId as string;
}

export function statusChecks(sb: Sandbox, jobSetId?: string): LogEntry[] {
	return sb.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/job-sets/') && (!jobSetId || entry.jobSetId === jobSetId));
}

export function downloads(sb: Sandbox): LogEntry[] {
	return sb.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/files/results/'));
}

/** The most job sets unfinished on the sandbox at one time, from its own records. */
export function maxInFlight(sb: Sandbox, jobSetIds: string[]): number {
	const events = jobSetIds.flatMap((id) => {
		const set = sb.jobSets.get(id);
		if (!set || set.doneAt === null) throw new Error(`job set ${id} is not done`);
		return [
			{ time: set.createdAt, change: 1 },
			{ time: set.doneAt, change: -1 },
		];
	});
	// at equal times a finish comes before a start: the slot was free
	events.sort((a, b) => a.time - b.time || a.change - b.change);
	let current = 0;
	let most = 0;
	for (const event of events) most = Math.max(most, (current += event.change));
	return most;
}
