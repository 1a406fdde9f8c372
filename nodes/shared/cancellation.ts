import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/** Any n8n context; only execute contexts carry a cancel signal. */
export function cancelSignalOf(ctx: object): AbortSignal | undefined {
	const withSignal = ctx as Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>;
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()
		: undefined;
}

export function cancelledError(node: INode, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, 'The execution was cancelled while waiting for Higgsfield', {
		itemIndex,
		description: 'Jobs already submitted keep running on Higgsfield; find them with Get Job Set.',
	});
}

/** Sleeps, but wakes early when the execution is cancelled; resolves false if it was. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	if (signal?.aborted) return false;
	if (!signal) {
		await sleep(ms);
		return true;
	}
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<boolean>((resolve) => {
		onAbort = () => resolve(false);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([sleep(ms).then(() => true), aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

/** An abort signal that follows the execution's cancel signal and can also be aborted alone. */
export function linkedAbort(parent: AbortSignal | undefined): AbortController & { dispose(): void } {
	const controller = new AbortController();
	const follow = () => controller.abort();
	if (parent?.aborted) controller.abort();
	parent?.addEventListener('abort', follow, { once: true });
	return Object.assign(controller, { dispose: () => parent?.removeEventListener('abort', follow) });
}
