import type { INodeType } from 'n8n-workflow';

import { Higgsfield } from '../../nodes/Higgsfield/Higgsfield.node';
import { HiggsfieldCharacters } from '../../nodes/HiggsfieldCharacters/HiggsfieldCharacters.node';
import { HiggsfieldGetJobSet } from '../../nodes/HiggsfieldGetJobSet/HiggsfieldGetJobSet.node';
import { HiggsfieldImageToVideo } from '../../nodes/HiggsfieldImageToVideo/HiggsfieldImageToVideo.node';
import { HiggsfieldSoulImage } from '../../nodes/HiggsfieldSoulImage/HiggsfieldSoulImage.node';
import { HiggsfieldSpeak } from '../../nodes/HiggsfieldSpeak/HiggsfieldSpeak.node';
import { HiggsfieldTrigger } from '../../nodes/HiggsfieldTrigger/HiggsfieldTrigger.node';

/** Every node of the package, keyed as n8n names them. */
export const ALL_NODE_TYPES: Record<string, INodeType> = Object.fromEntries(
	[new Higgsfield(), new HiggsfieldSoulImage(), new HiggsfieldImageToVideo(), new HiggsfieldSpeak(), new HiggsfieldCharacters(), new HiggsfieldGetJobSet(), new HiggsfieldTrigger()].map((node) => [`n8n-nodes-higgsfield.${node.description.name}`, node]),
);
