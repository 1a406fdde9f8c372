/** The model a node parameter names: a resource locator (From List / By ID) or a plain text. */
import type { INodeParameterResourceLocator } from 'n8n-workflow';

/** The model id, trimmed and without leading or trailing slashes ('' when none was chosen). */
export function selectedModelId(value: unknown): string {
	const raw =
		value !== null && typeof value === 'object' && '__rl' in value
			? (value as INodeParameterResourceLocator).value
			: value;
	return typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim().replace(/^\/+|\/+$/g, '') : '';
}

/** Model ids are paths of letters, digits and . _ - segments, as the service names them. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
