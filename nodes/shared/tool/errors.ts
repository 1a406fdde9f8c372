/**
 * Errors of a tool call in plain words for a model: what was wrong (the argument it filled, and
 * the field it went into), how to fix it, and whether anything was submitted. No class name, no
 * item index (a tool call has one item), no "Details:" block.
 */
import type { IDataObject, INode, INodeProperties, NodeParameterValueType } from 'n8n-workflow';

import { INPUT_FIELD } from '../validation';
import { fromAiKey } from './siblings';

/** Removes what only makes sense in a workflow of many items: "[item 0]", "in item 0". */
export function withoutItemIndexes(text: string): string {
	return text
		.replace(/\s*\[item \d+\]/g, '')
		.replace(/ in item \d+(?=[:.,\s]|$)/g, '')
		.trim();
}

function sentence(text: string): string {
	const trimmed = text.trim();
	return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The display name -> parameter name of every field (nested collections included). */
function parameterNames(properties: INodeProperties[], into = new Map<string, string[]>()): Map<string, string[]> {
	for (const property of properties) {
		into.set(property.displayName, [...(into.get(property.displayName) ?? []), property.name]);
		for (const option of (property.options ?? []) as Array<Partial<INodeProperties> & { values?: INodeProperties[] }>) {
			if (typeof option.displayName === 'string' && typeof option.name === 'string' && option.type !== undefined) {
				parameterNames([option as INodeProperties], into);
			}
			if (Array.isArray(option.values)) parameterNames(option.values, into);
		}
	}
	return into;
}

/** Finds the $fromAI key the model filled a field with, looking through the node's parameters. */
function argumentOf(node: INode, properties: INodeProperties[], field: string): string | undefined {
	const names = new Set(parameterNames(properties).get(field) ?? []);
	let found: string | undefined;
	const visit = (value: unknown, name?: string): void => {
		if (found) return;
		if (typeof value === 'string') {
			if (name !== undefined && names.has(name)) found = fromAiKey(value as NodeParameterValueType);
			return;
		}
		if (Array.isArray(value)) value.forEach((entry) => visit(entry, name));
		else if (value !== null && typeof value === 'object') for (const [key, entry] of Object.entries(value)) visit(entry, key);
	};
	visit(node.parameters);
	return found;
}

/** The plain text of an error, for a model (also used for Continue On Fail error items). */
export function plainErrorText(error: Error, node: INode, properties: INodeProperties[]): string {
	const description = (error as { description?: unknown }).description;
	const field = (error as { context?: Record<string, unknown> }).context?.[INPUT_FIELD];
	let message = withoutItemIndexes(error.message);
	if (typeof field === 'string') {
		const argument = argumentOf(node, properties, field);
		const got = /: (got .*)$/.exec(message)?.[1];
		message = `${argument ? `The argument "${argument}" (the field "${field}")` : `The field "${field}"`} is invalid${got ? `: ${got}` : ''}`;
	}
	const parts = [sentence(message)];
	if (typeof description === 'string' && description.trim() !== '' && !message.includes(description)) {
		parts.push(sentence(withoutItemIndexes(description)));
	}
	if (typeof field === 'string') parts.push('Nothing was submitted; call the tool again with a corrected argument.');
	return parts.join(' ');
}

/**
 * The answer of a tool call that failed: `{"status": "error", "error": "<what and how to fix>"}`.
 * It is answered, not thrown: n8n wraps a thrown error into its own NodeOperationError unless it
 * is an instance of the very class n8n-core was loaded with (not so when npm gave the package its
 * own n8n-workflow), and MCP servers then print "NodeOperationError: ..." to the model.
 */
export function toolErrorAnswer(error: unknown, node: INode, properties: INodeProperties[]): IDataObject {
	const cause = error instanceof Error ? error : new Error(String(error));
	return { status: 'error', error: plainErrorText(cause, node, properties) };
}
