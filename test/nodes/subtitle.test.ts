// The subtitle n8n draws under each node on the canvas, evaluated as the editor does
// (Workflow.expression.getSimpleParameterValue over the node's parameters).
import { NodeHelpers, Workflow, type INode, type INodeParameters } from 'n8n-workflow';

import { NodeTypes } from '../helpers/n8n';
import { ALL_NODE_TYPES } from '../helpers/nodeTypes';

const nodeTypes = new NodeTypes(ALL_NODE_TYPES);

function subtitleOf(type: string, parameters: INodeParameters): unknown {
	const nodeType = nodeTypes.getByNameAndVersion(type);
	const node: INode = { id: 'n1', name: 'Node', type, typeVersion: 1, position: [0, 0], parameters: {} };
	// the editor's parameters: defaults filled in, then what the user set
	node.parameters = { ...(NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, node, nodeType.description) ?? {}) };
	const workflow = new Workflow({ nodes: [node], connections: {}, nodeTypes, active: false });
	return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle, 'internal', {});
}

test.each(Object.keys(ALL_NODE_TYPES))('%s: the subtitle is plain text, never undefined or an object', (type) => {
	const subtitle = subtitleOf(type, {});
	expect(typeof subtitle).toBe('string');
	expect(subtitle).not.toMatch(/undefined|\[object Object\]|null/);
});

test.each([
	['list', { __rl: true, mode: 'list', value: 'kling-video/v2.1/pro/image-to-video', cachedResultName: 'Kling 2.1 Pro' }],
	['id', { __rl: true, mode: 'id', value: 'kling-video/v2.1/pro/image-to-video' }],
])('Higgsfield > Generate names the model picked (%s mode)', (_mode, model) => {
	expect(subtitleOf('n8n-nodes-higgsfield.higgsfield', { operation: 'generate', model })).toBe('Generate: kling-video/v2.1/pro/image-to-video');
});
