export const USAGE = `Usage:
  http-session list FILE [--json]
      List the requests of a .http/.rest file.
  http-session run FILE [--name N | --line L | --all] [options]
      Send requests through a session (see README).

TLS options of run (curl's names; a client certificate belongs to one host):
  --cacert FILE                  Also trust the CA certificates (PEM) in FILE. Repeatable.
  --insecure                     Skip certificate checks (such requests get their own connections).
  --cert HOST[:PORT]=CERT[,KEY]  Present the PEM client certificate CERT, with its key from KEY
                                 (or from CERT when omitted), to HOST only. Repeatable;
                                 *.example.org matches subdomains, an exact host wins.
  --pfx HOST[:PORT]=FILE         The same from a PKCS#12 (.p12/.pfx) file.
  --pass PHRASE                  Passphrase of the encrypted keys and PKCS#12 files.
  Relative paths start at the current directory.

Exit codes: 0 success, 1 a request failed, 2 usage or parse error.`;

/** A problem with how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}
