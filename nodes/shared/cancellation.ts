import type { IExecuteFunctions, INode, NodeOperationError } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { nodeOperationError } from './transport/errors';

/** Any n8n context; only execute contexts carry a cancel signal. */
export function cancelSignalOf(ctx: object): AbortSignal | undefined {
	const withSignal = ctx as Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>;
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()
		: undefined;
}

export function cancelledError(node: INode, itemIndex?: number): NodeOperationError {
	return nodeOperationError(node, 'The execution was cancelled while waiting for Higgsfield', {
		itemIndex,
		description: 'Jobs already submitted keep running on Higgsfield; find them with Get Job Set.',
	});
}

/**
 * Sleeps, but wakes early when the signal aborts; resolves false if it did. On abort nothing is
 * left behind: n8n-workflow 2.x's sleep clears its timer and listener itself; 1.x's sleep takes no
 * signal, so the race with our own listener (always removed) wakes it, and its timer just runs out.
 */
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
		return await Promise.race([
			sleep(ms, signal).then(
				() => !signal.aborted,
				() => false,
			),
			aborted,
		]);
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
