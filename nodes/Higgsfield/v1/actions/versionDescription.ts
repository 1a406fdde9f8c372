/**
 * What version 1 of the Higgsfield node shows: its resources, operations and fields. A later
 * version gets its own folder beside this one (v2/actions/versionDescription.ts); the node file
 * then picks the properties (and router) by version.
 */
import type { INodeProperties } from 'n8n-workflow';

import { resourceProperties } from './router';

export const VERSION = 1;

export const versionProperties: INodeProperties[] = resourceProperties();
