/**
 * Searches everything a run leaves behind for secrets: every output item (JSON and binary
 * metadata), the node error (message, description, messages, cause, context, stack and the error
 * serialized whole), and the whole run as n8n would store it.
 */
import type { RunResult } from '../helpers/n8n';

/** JSON that survives cycles (an HTTP client's error references its socket) and shows non-enumerable error fields. */
export function serialize(value: unknown): string {
	const seen = new WeakSet<object>();
	return (
		JSON.stringify(value, (_key, entry: unknown) => {
			if (entry !== null && typeof entry === 'object') {
				if (seen.has(entry)) return '[cycle]';
				seen.add(entry);
				if (entry instanceof Error) {
					const fields = entry as unknown as Record<string, unknown>;
					return { ...fields, name: entry.name, message: entry.message, stack: entry.stack, cause: fields.cause };
				}
			}
			return entry;
		}) ?? ''
	);
}

/**
 * The run without n8n's own copy of the workflow: after a failure n8n keeps the failed node, with
 * its parameters as the user typed them, on the execution stack (to retry it). A Webhook Secret
 * typed into the node lives there exactly as it lives in the saved workflow; that copy is the
 * workflow definition, not something the node produced. (The credential's Webhook Secret avoids it.)
 */
function withoutWorkflowDefinition(run: RunResult['run']): unknown {
	const stack = run.data.executionData?.nodeExecutionStack ?? [];
	return {
		...run,
		data: {
			...run.data,
			executionData: run.data.executionData && {
				...run.data.executionData,
				nodeExecutionStack: stack.map((entry) => ({ ...entry, node: `[workflow definition of ${entry.node.name}]` })),
			},
		},
	};
}

/** Every text of a run that a user, a log or the execution store could see. */
export function runTexts(result: RunResult): Record<string, string> {
	const error = result.error as (Error & { description?: unknown; messages?: unknown; cause?: unknown; context?: unknown }) | undefined;
	const texts: Record<string, string> = {
		output: serialize(result.output),
		next: serialize(result.next),
		run: serialize(withoutWorkflowDefinition(result.run)),
	};
	result.output.forEach((item, index) => {
		texts[`output[${index}].error`] = String(item.json.error ?? '');
		texts[`output[${index}].error_description`] = String(item.json.error_description ?? '');
	});
	if (error) {
		Object.assign(texts, {
			'error.message': error.message,
			'error.description': String(error.description ?? ''),
			'error.messages': serialize(error.messages ?? null),
			'error.cause': serialize(error.cause ?? null),
			'error.context': serialize(error.context ?? null),
			'error.stack': String(error.stack),
			error: serialize(error),
		});
	}
	return texts;
}

/** The places (by name) where any of the secrets shows up; [] when none does. */
export function secretLeaks(result: RunResult, secrets: string[]): string[] {
	const leaks: string[] = [];
	for (const [where, text] of Object.entries(runTexts(result))) {
		for (const secret of secrets) if (text.includes(secret)) leaks.push(`${where} contains ${secret}`);
	}
	return leaks;
}
