import type { INodeType } from 'n8n-workflow';

import { HiggsfieldSoulImage } from '../../nodes/HiggsfieldSoulImage/HiggsfieldSoulImage.node';

/** Every node of the package, keyed as n8n names them. */
export const ALL_NODE_TYPES: Record<string, INodeType> = Object.fromEntries(
	[new HiggsfieldSoulImage()].map((node) => [`n8n-nodes-higgsfield.${node.description.name}`, node]),
);
