'use strict';
/**
 * Lets the bench `require()` the project's TypeScript (the nodes and test/helpers/n8n.ts) without
 * a build step or an extra dependency: each .ts file is transpiled on load with the project's own
 * TypeScript compiler (transpile only, as ts-jest does with isolatedModules).
 */
const fs = require('fs');
const Module = require('module');
const path = require('path');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2021,
	esModuleInterop: true,
	resolveJsonModule: true,
	sourceMap: false,
	inlineSourceMap: true,
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
};

// `./X.node` must find X.node.ts, not the codex file X.node.json beside it (Node tries .json
// before any added extension): inside the project, a relative request tries .ts first.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolvePreferringTypeScript(request, parent, ...rest) {
	const fromProject = parent && parent.filename && !parent.filename.includes(`${path.sep}node_modules${path.sep}`);
	if (fromProject && (request.startsWith('./') || request.startsWith('../'))) {
		const candidate = `${path.resolve(path.dirname(parent.filename), request)}.ts`;
		if (fs.existsSync(candidate)) return candidate;
	}
	return resolveFilename.call(this, request, parent, ...rest);
};
