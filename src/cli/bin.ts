// The `http-session` command (dist/cli.js): loads the CLI itself
// (dist/cli-main.js) through the code cache, then runs it. Required instead
// of run, it gives the CLI's exports (`main`), as dist/cli-main.js does.
import { join } from 'node:path';
import { loadWithCodeCache } from './codeCache';
import type * as cli from './main';

const loaded = loadWithCodeCache(join(__dirname, 'cli-main.js')) as typeof cli;
if (require.main === module) loaded.runFromCommandLine(process.argv.slice(2));
module.exports = loaded;
