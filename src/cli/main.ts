// `http-session` command line (list / run).
process.exitCode = 2;
