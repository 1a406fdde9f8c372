/**
 * The examples' sticky notes must not tell users to edit the "Higgsfield Sandbox" credential for the real
 * service: `npm run start:n8n` rewrites that credential at every start, so such edits would be lost.
 */
import { examples } from './repo';

interface WorkflowNode {
	type: string;
	parameters?: { content?: string };
	credentials?: Record<string, { name?: string }>;
}

describe('examples: sticky notes and the sandbox credential', () => {
	const all: Array<{ name: string; workflow: { nodes: WorkflowNode[] } }> = examples();

	it.each(all.map((example) => [example.name, example]))('%s', (_name, example) => {
		const notes = example.workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => node.parameters?.content ?? '');
		const usesSandbox = example.workflow.nodes.some((node) => Object.values(node.credentials ?? {}).some((credential) => credential.name === 'Higgsfield Sandbox'));
		for (const note of notes) {
			expect(note).not.toMatch(/open the credential and set/i);
			if (usesSandbox && /real service/i.test(note)) expect(note).toMatch(/add your own credential|create your own credential|new Higgsfield API credential/i);
		}
	});
});
