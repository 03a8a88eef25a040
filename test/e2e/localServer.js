// A local HTTP server on 127.0.0.1, port 0, for the requests the extension sends in tests. CommonJS so that
// both the extension-host tests (require) and the UI tests (import) can use it.
//
//   const server = await startLocalServer({ 'GET /users': (req, res) => send(res, 200, [{ id: 1 }]) });
//   server.url            // 'http://127.0.0.1:PORT'
//   server.requests       // every request received: { method, path, headers, body }
//   server.connections    // sockets opened so far (keep-alive shows as fewer sockets than requests)
//   await server.close();
//
// Built-in routes, unless a route of the same key replaces them:
//   /echo                 answers the request as JSON { method, path, headers, body }
//   /status/NNN           answers with that status
//   /cookies/set?a=1&b=2  sets those cookies (Path=/) and answers 200
//   /cookies              answers the Cookie header as JSON
//   /redirect?to=P&status=302   redirects to P
//   /delay?ms=N           answers after N ms (at most 10 s)
//   /slow?ms=N            answers after N ms (no cap; gives up quietly when the client goes away)
//   /json-big?mb=N        streams a JSON array of about N * 1,000,000 bytes (chunked)
//   /html-hostile         an HTML page whose scripts, handlers, frames and loads all call /pwned if they run
//   /pwned?via=X          answers 204; a request here means hostile markup ran or loaded something
//
// A recorded request gets `aborted: true` when the client went away before the answer was complete.

const http = require('node:http');

/** Sends `body` (an object becomes JSON) with `status` and extra `headers`. */
function send(res, status, body = '', headers = {}) {
  const isJson = body !== null && typeof body === 'object' && !Buffer.isBuffer(body);
  const payload = isJson ? JSON.stringify(body) : body;
  res.writeHead(status, {
    ...(isJson ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

const builtInRoutes = {
  '* /echo': (req, res, body) =>
    send(res, 200, { method: req.method, path: req.url, headers: req.headers, body: body.toString() }),
  '* /status/*': (req, res) => send(res, Number(req.url.split('/')[2].split('?')[0]) || 500, ''),
  '* /cookies/set': (req, res) => {
    const cookies = [...new URL(req.url, 'http://x').searchParams].map(([k, v]) => `${k}=${v}; Path=/`);
    send(res, 200, { set: cookies }, { 'set-cookie': cookies });
  },
  '* /cookies': (req, res) => send(res, 200, { cookie: req.headers.cookie ?? null }),
  '* /redirect': (req, res) => {
    const query = new URL(req.url, 'http://x').searchParams;
    send(res, Number(query.get('status') ?? 302), '', { location: query.get('to') ?? '/echo' });
  },
  '* /slow': (req, res) => {
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0);
    const timer = setTimeout(() => send(res, 200, { slow: ms }), ms);
    res.on('close', () => clearTimeout(timer));
  },
  '* /json-big': (req, res) =>
    streamBigJson(res, Number(new URL(req.url, 'http://x').searchParams.get('mb') ?? 1)),
  '* /html-hostile': (req, res) =>
    send(res, 200, hostileHtml(`http://${req.headers.host}`), { 'content-type': 'text/html; charset=utf-8' }),
  '* /pwned': (_req, res) => send(res, 204, ''),
  '* /delay': (req, res) => {
    const ms = Math.min(Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0), 10_000);
    setTimeout(() => send(res, 200, { delayed: ms }), ms);
  },
};

/** Markup where everything that would run or load reports to `${base}/pwned?via=…`. */
function hostileHtml(base) {
  const pwned = (via) => `${base}/pwned?via=${via}`;
  return `<!DOCTYPE html>
<html><head><title>hostile page</title>
<meta http-equiv="refresh" content="1;url=${pwned('meta-refresh')}">
<link rel="stylesheet" href="${pwned('stylesheet')}">
<link rel="prefetch" href="${pwned('prefetch')}">
<style>@import url("${pwned('css-import')}");
.overlay{position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:2147483647;background:rgba(255,0,0,.6);background-image:url("${pwned('css-background')}")}</style>
<base href="${base}/">
</head><body>
<div class="overlay" style="position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:2147483647">OVERLAY</div>
<script>document.title='PWNED';fetch('/pwned?via=script-relative');fetch('${pwned('script')}')</script>
<script src="${pwned('script-src')}"></script>
<img src=x onerror="document.title='PWNED';fetch('${pwned('onerror')}')">
<img src="${pwned('img')}">
<svg onload="document.title='PWNED';fetch('${pwned('svg-onload')}')"></svg>
<iframe src="javascript:parent.document.title='PWNED';fetch('${pwned('iframe-javascript')}')"></iframe>
<iframe src="${pwned('iframe-src')}"></iframe>
<object data="${pwned('object')}"></object>
<form action="${pwned('form')}"><input autofocus onfocus="document.title='PWNED';this.form.submit()"></form>
<p>hostile page body</p>
</body></html>
`;
}

/** Streams a JSON array of small records, about `mb` million bytes in all, respecting back-pressure. */
function streamBigJson(res, mb) {
  const target = Math.max(1, mb) * 1_000_000;
  res.writeHead(200, { 'content-type': 'application/json' });
  let written = 0;
  let id = 0;
  const record = () =>
    JSON.stringify({
      id,
      name: `user ${id}`,
      email: `user${id}@example.test`,
      tags: ['a', 'b'],
      active: id % 2 === 0,
    });
  const pump = () => {
    while (written < target) {
      let chunk = written === 0 ? '[\n' : '';
      while (chunk.length < 64 * 1024 && written + chunk.length < target - 200) {
        chunk += `${id === 0 ? '' : ',\n'}${record()}`;
        id++;
      }
      const last = written + chunk.length >= target - 200;
      if (last) chunk += '\n]\n';
      written += Buffer.byteLength(chunk);
      if (last) written = target;
      if (!res.write(chunk)) return res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

function findRoute(routes, method, pathname) {
  for (const [key, handler] of Object.entries(routes)) {
    const [routeMethod, routePath] = key.split(' ');
    if (routeMethod !== '*' && routeMethod !== method) continue;
    const matches = routePath.endsWith('/*')
      ? pathname.startsWith(routePath.slice(0, -1))
      : pathname === routePath;
    if (matches) return handler;
  }
  return null;
}

/**
 * @param {Record<string, (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void>} [routes]
 *   keyed `'METHOD /path'`, `'* /path'` (any method) or `'GET /prefix/*'`; checked before the built-in ones.
 */
async function startLocalServer(routes = {}) {
  const requests = [];
  const sockets = new Set();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const pathname = new URL(req.url, 'http://x').pathname;
      const entry = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: body.toString(),
        aborted: false,
      };
      requests.push(entry);
      res.on('finish', () => {
        entry.doneAt = Date.now();
      });
      res.on('close', () => {
        if (!res.writableFinished) entry.aborted = true;
      });
      const handler =
        findRoute(routes, req.method, pathname) ?? findRoute(builtInRoutes, req.method, pathname);
      if (!handler) return send(res, 404, { error: `no route for ${req.method} ${pathname}` });
      try {
        handler(req, res, body);
      } catch (error) {
        send(res, 500, { error: String(error) });
      }
    });
  });
  // Longer than Node's 5 s default, so keep-alive reuse does not depend on how busy the machine is.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

module.exports = { startLocalServer, send };
