// The `http-session` command (dist/cli.js): loads the CLI itself
// (dist/cli-main.js) through the code cache, then runs it. Required instead
// of run, it gives the CLI's exports (`main`), as dist/cli-main.js does.
import { join } from 'node:path';
import { loadWithCodeCache } from './codeCache';
import type * as cli from './main';

// The cache keeps what a `run` that got to its end compiled: the functions every later run needs.
const ranToTheEnd = () => process.argv[2] === 'run' && (process.exitCode ?? 0) !== 2;
const loaded = loadWithCodeCache(join(__dirname, 'cli-main.js'), ranToTheEnd) as typeof cli;
if (require.main === module) loaded.runFromCommandLine(process.argv.slice(2));
module.exports = loaded;
