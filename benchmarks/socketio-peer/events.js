'use strict';
// The driver's event feed: a TCP port on loopback taking one JSON object a line,
// {"fill": bool, "event": {type, timestamp, userId, data}} (the portfolio's own wire JSON of the
// event, as its event bus carries it), or {"control": "memory"}, answered with one line of the
// process's memory after a full GC (node --expose-gc). A line that is not one of these is counted
// and dropped.
const net = require('node:net');

/** Reads newline-separated lines off a socket, keeping a partial line for the next chunk. */
function onLines(socket, handle) {
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    const text = rest + chunk;
    let start = 0;
    let end;
    while ((end = text.indexOf('\n', start)) !== -1) {
      if (end > start) handle(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  });
}

function memoryAfterGc() {
  if (typeof global.gc === 'function') {
    global.gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

/** Listens on host:port (0 picks one); resolves the server once it listens. */
function listenForEvents(host, port, deliver) {
  const stats = { events: 0, dropped: 0 };
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    onLines(socket, (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch (e) {
        stats.dropped++;
        return;
      }
      if (message.control === 'memory') {
        socket.write(JSON.stringify(memoryAfterGc()) + '\n');
      } else if (message.event && typeof message.event.userId === 'string' && typeof message.event.type === 'string') {
        stats.events++;
        deliver(message.event, message.fill === true);
      } else {
        stats.dropped++;
      }
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, stats }));
  });
}

module.exports = { listenForEvents, onLines };
