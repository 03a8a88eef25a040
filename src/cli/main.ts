// `http-session`: the same parser and engine as the editor, for CI.
import { parseArgs } from 'node:util';
import { parseHttp } from '../core/parser';
import { bufferedLines } from './bufferedLines';
import { readDocumentText } from './files';
import { formatTable, listRequest } from './listCommand';
import { runCommand } from './runCommand';
import { USAGE, UsageError } from './usage';

function list(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('list needs exactly one FILE.');
  const file = positionals[0];
  const doc = parseHttp(readDocumentText(file));
  for (const d of doc.diagnostics) {
    if (d.severity !== 'info') {
      process.stderr.write(
        `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message}\n`,
      );
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify(doc.requests.map(listRequest), null, 2)}\n`);
  else process.stdout.write(`${formatTable(doc)}\n`);
  return doc.diagnostics.some((d) => d.severity === 'error') ? 2 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'list':
        return list(rest);
      case 'run': {
        const lines = bufferedLines(
          (text) => process.stdout.write(text),
          (text) => process.stderr.write(text),
        );
        try {
          return await runCommand(rest, lines.out, lines.err);
        } finally {
          lines.flush();
        }
      }
      case undefined:
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`http-session: ${(e as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

/** The `http-session` command: runs `main` and sets the process's exit code (see bin.ts). */
export function runFromCommandLine(argv: string[]): void {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      // A file that cannot be read or written (the cookie jar) is the system's error, not a bug of ours.
      const io = typeof (e as NodeJS.ErrnoException | undefined)?.code === 'string';
      const what = io ? '' : 'internal error: ';
      process.stderr.write(`http-session: ${what}${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runFromCommandLine(process.argv.slice(2));
