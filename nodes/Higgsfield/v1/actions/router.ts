/**
 * Resources and their operations, and the one place that routes an execution to an operation.
 * A resource is a list of operations (actions/<resource>/<operation>.operation.ts).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationProperties, runOperation, type Operation } from '../../../shared/router';
import { requestOperations } from './request';

interface Resource {
	name: string;
	value: string;
	operations: Operation[];
	defaultOperation: string;
}

export const RESOURCES: Resource[] = [{ name: 'Model Request', value: 'request', operations: requestOperations, defaultOperation: 'generate' }];

export function resourceProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			default: 'request',
			options: RESOURCES.map(({ name, value }) => ({ name, value })),
		},
		...RESOURCES.flatMap((resource) =>
			operationProperties(resource.operations, resource.defaultOperation).map((property) => ({
				...property,
				displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, resource: [resource.value] } },
			})),
		),
	];
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resourceName = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = RESOURCES.find((resource) => resource.value === resourceName)?.operations.find(
		(candidate) => candidate.option.value === operationName,
	);
	if (!operation) throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resourceName}" is not supported`);
	return [await runOperation(this, operation)];
}
