// `npm run sandbox` points at cli.mjs; the CLI itself is the CommonJS cli.js.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('./cli.js').run();
