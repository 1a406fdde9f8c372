// executionCustomData: Wait for Webhook's state store in n8n 2.x (ctx.customData) and 1.x (the
// context's expression keys, $execution.customData). The 1.x shape is built with n8n-core's own
// getAdditionalKeys over a real run, so the store written is the execution's metadata.
import type { IExecuteFunctions, INode, IWorkflowExecuteAdditionalData, IWorkflowExecutionCustomData } from 'n8n-workflow';
import { NodeOperationError, createRunExecutionData } from 'n8n-workflow';
import { getAdditionalKeys } from 'n8n-core';

import { executionCustomData } from '../../nodes/shared/webhook/customData';
import { loadWaitState, saveWaitState, type WaitState } from '../../nodes/shared/webhook/waitState';

const NODE: INode = {
	id: 'w2',
	name: 'Generate and Wait',
	type: 'n8n-nodes-higgsfield.higgsfieldSoulImage',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const asContext = (fields: object): IExecuteFunctions => ({ getNode: () => NODE, ...fields }) as unknown as IExecuteFunctions;

const additionalData = { executionId: '42', webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting', formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting' } as unknown as IWorkflowExecuteAdditionalData;

function n8n1Context() {
	const runExecutionData = createRunExecutionData();
	// an n8n 1.x node context: no customData property, its expression keys memoized as `additionalKeys`
	const ctx = asContext({ additionalKeys: getAdditionalKeys(additionalData, 'cli', runExecutionData) });
	return { ctx, runExecutionData };
}

describe('executionCustomData', () => {
	it("uses the context's customData when n8n provides it (2.x)", () => {
		const own: IWorkflowExecutionCustomData = { get: () => 'own', set: () => undefined, setAll: () => undefined, getAll: () => ({}) };
		const fallback = { $execution: { customData: { get: () => 'fallback' } } };
		expect(executionCustomData(asContext({ customData: own, additionalKeys: fallback }))).toBe(own);
	});

	it("falls back to $execution.customData of an n8n 1.x context: the wait state lands in the execution's metadata and reads back", () => {
		const { ctx, runExecutionData } = n8n1Context();
		const state: WaitState = { nodeId: 'w2', kind: 'jobSet', slots: [{ id: 'a1b2c3d4-0000-4000-8000-000000000001' }, { error: 'Bad prompt' }, { id: 'a1b2c3d4-0000-4000-8000-000000000003' }] };
		expect(saveWaitState(executionCustomData(ctx), state)).toBe(true);
		expect(runExecutionData.resultData.metadata).toEqual({
			higgsfield_wait: '1|w2|3',
			higgsfield_job_sets: 'a1b2c3d4-0000-4000-8000-000000000001,,a1b2c3d4-0000-4000-8000-000000000003',
			higgsfield_wait_errors: '{"1":"Bad prompt"}',
		});
		// the resume webhook gets a new context over the same (stored) execution
		const resumed = asContext({ additionalKeys: getAdditionalKeys(additionalData, 'webhook', runExecutionData) });
		expect(loadWaitState(executionCustomData(resumed))).toEqual(state);
	});

	it('throws a NodeOperationError naming the way out when the context has neither', () => {
		const call = () => executionCustomData(asContext({}));
		expect(call).toThrow(NodeOperationError);
		expect(call).toThrow("Wait for Webhook needs the execution's custom data, which this n8n version does not give to nodes");
	});
});

describe('wait state of the request API', () => {
	it('keeps its kind; a state saved before the request API (no kind) reads as job sets', () => {
		const values: Record<string, string> = {};
		const store: IWorkflowExecutionCustomData = {
			get: (key) => values[key],
			set: (key, value) => void (values[key] = value),
			setAll: () => undefined,
			getAll: () => ({ ...values }),
		};
		const state: WaitState = { nodeId: 'r1', kind: 'request', slots: [{ id: 'd7e6c0f3-6699-4f6c-bb45-2ad7fd9158ff' }] };
		expect(saveWaitState(store, state)).toBe(true);
		expect(values.higgsfield_wait).toBe('1|r1|1|request');
		expect(loadWaitState(store)).toEqual(state);
		values.higgsfield_wait = '1|r1|1';
		expect(loadWaitState(store)?.kind).toBe('jobSet');
	});
});
