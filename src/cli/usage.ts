export const USAGE = `Usage:
  http-session list FILE [--json]
      List the requests of a .http/.rest file.
  http-session run FILE [--name N | --line L | --all] [options]
      Send requests through a session (see README).

Exit codes: 0 success, 1 a request failed, 2 usage or parse error.`;

/** A problem with how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}
