/**
 * What a node in Completion "Wait for Webhook" must remember while its execution waits: which job
 * set (v1 nodes) or request (the Higgsfield node, request API) each input item submitted, or that
 * it failed before the wait.
 *
 * Where it lives, and why: n8n keeps a waiting execution in its database and, on the callback,
 * loads it again and calls the node's webhook method. Of the places a node can write to, only the
 * execution's custom data is both saved with the waiting execution and readable from that webhook
 * call: the items the node returned before waiting are dropped by n8n on resume, workflow static
 * data is not saved for manual executions and the resume reads the execution's own copy of the
 * workflow, and the node's execution context (getContext) is not offered to webhook methods.
 *
 * Custom data takes at most 10 keys per execution and short texts (values beyond 255 characters
 * make n8n log an error), so the ids are spread over a few keys, 6 ids each, in input order, and
 * the number of items one waiting node can follow is bounded (MAX_WAIT_ITEMS). The ids stay
 * readable on purpose: `{{ $execution.customData.get('higgsfield_job_sets') }}` lists them (the
 * request ids too, for the Higgsfield node: the key name predates the request API).
 */
import type { IWorkflowExecutionCustomData } from 'n8n-workflow';

const PREFIX = 'higgsfield_';
const STATE_KEY = 'higgsfield_wait';
const ERRORS_KEY = 'higgsfield_wait_errors';
export const JOB_SET_KEYS = ['higgsfield_job_sets', 'higgsfield_job_sets_2', 'higgsfield_job_sets_3', 'higgsfield_job_sets_4'] as const;
const VALUE_LIMIT = 255;
/** n8n's own cap on the number of custom data keys of an execution */
const CUSTOM_DATA_KEY_LIMIT = 10;
const IDS_PER_KEY = 6;
export const MAX_WAIT_ITEMS = JOB_SET_KEYS.length * IDS_PER_KEY;

/** One input item: the job set or request it submitted, or why it has none. */
export interface WaitSlot {
	id?: string;
	error?: string;
}

/** What the ids are: v1 job sets, or requests of the request API. */
export type WaitKind = 'jobSet' | 'request';

export interface WaitState {
	nodeId: string;
	kind: WaitKind;
	slots: WaitSlot[];
}

function keysNeeded(itemCount: number): number {
	return 1 + Math.ceil(itemCount / IDS_PER_KEY) + 1;
}

/**
 * Why `itemCount` items cannot wait in this execution, or undefined when they can. Checked before
 * anything is submitted.
 */
export function waitCapacityProblem(customData: IWorkflowExecutionCustomData, itemCount: number): string | undefined {
	if (itemCount > MAX_WAIT_ITEMS) {
		return `Wait for Webhook follows at most ${MAX_WAIT_ITEMS} items per node and execution (got ${itemCount})`;
	}
	const othersKeys = Object.keys(customData.getAll()).filter((key) => !key.startsWith(PREFIX)).length;
	if (othersKeys + keysNeeded(itemCount) > CUSTOM_DATA_KEY_LIMIT) {
		return `Wait for Webhook needs ${keysNeeded(itemCount)} of the execution's ${CUSTOM_DATA_KEY_LIMIT} custom data keys, and ${othersKeys} are taken by other nodes`;
	}
	return undefined;
}

/** The ids in input order ('' for an item without a job set), 6 to a value, comma-separated. */
function pack(ids: string[]): string[] {
	const values: string[] = [];
	for (let start = 0; start < ids.length; start += IDS_PER_KEY) values.push(ids.slice(start, start + IDS_PER_KEY).join(','));
	return values;
}

/** The errors of items without a job set, as JSON of index -> text, shortened until it fits. */
function packErrors(slots: WaitSlot[]): string {
	const errors = slots.flatMap((slot, index) => (slot.error === undefined ? [] : [[String(index), slot.error] as const]));
	if (errors.length === 0) return '';
	for (const length of [200, 100, 50, 20, 0]) {
		const text = JSON.stringify(Object.fromEntries(errors.map(([index, error]) => [index, error.slice(0, length)])));
		if (text.length <= VALUE_LIMIT) return text;
	}
	return '';
}

/** Writes a value, or clears one left by an earlier wait (never creates an empty key). */
function write(customData: IWorkflowExecutionCustomData, key: string, value: string): void {
	if (value !== '' || customData.get(key) !== undefined) customData.set(key, value);
}

/**
 * Saves the state; false when it could not be kept whole (ids longer than the contract's UUIDs,
 * or custom data keys taken meanwhile), in which case the caller must not wait.
 */
export function saveWaitState(customData: IWorkflowExecutionCustomData, state: WaitState): boolean {
	const ids = pack(state.slots.map((slot) => slot.id ?? ''));
	if (ids.length > JOB_SET_KEYS.length || ids.some((value) => value.length > 512)) return false;
	// executions saved before the request API have no kind: they wait for job sets
	customData.set(STATE_KEY, `1|${state.nodeId}|${state.slots.length}${state.kind === 'request' ? '|request' : ''}`);
	JOB_SET_KEYS.forEach((key, index) => write(customData, key, ids[index] ?? ''));
	write(customData, ERRORS_KEY, packErrors(state.slots));
	// n8n drops keys beyond its limit without a word: read back what was kept
	const kept = loadWaitState(customData);
	return (
		kept !== undefined &&
		kept.nodeId === state.nodeId &&
		kept.kind === state.kind &&
		kept.slots.length === state.slots.length &&
		kept.slots.every((slot, index) => slot.id === state.slots[index].id)
	);
}

/** The state saved by `saveWaitState`, or undefined when there is none (or it is damaged). */
export function loadWaitState(customData: IWorkflowExecutionCustomData): WaitState | undefined {
	const header = /^1\|([^|]+)\|(\d+)(\|request)?$/.exec(String(customData.get(STATE_KEY) ?? ''));
	if (!header) return undefined;
	const count = Number(header[2]);
	const ids = JOB_SET_KEYS.map((key) => String(customData.get(key) ?? ''))
		.filter((value, index) => index < Math.ceil(count / IDS_PER_KEY))
		.flatMap((value) => value.split(','));
	if (ids.length !== count) return undefined;
	let errors: Record<string, unknown> = {};
	try {
		const parsed: unknown = JSON.parse(String(customData.get(ERRORS_KEY) ?? '') || '{}');
		if (parsed !== null && typeof parsed === 'object') errors = parsed as Record<string, unknown>;
	} catch {
		errors = {};
	}
	return {
		nodeId: header[1],
		kind: header[3] ? 'request' : 'jobSet',
		slots: ids.map((id, index) => {
			if (id !== '') return { id };
			const error = errors[String(index)];
			return { error: typeof error === 'string' && error !== '' ? error : 'It failed before the wait' };
		}),
	};
}
