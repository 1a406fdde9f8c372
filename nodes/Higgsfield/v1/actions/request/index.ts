/** The Request resource: one module per operation. */
import type { Operation } from '../../../../shared/router';
import { cancel } from './cancel.operation';
import { deleteData } from './deleteData.operation';
import { generate } from './generate.operation';
import { getStatus } from './getStatus.operation';

export const requestOperations: Operation[] = [generate, getStatus, cancel, deleteData];
