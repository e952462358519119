// The ceiling: a minimal client on the same Node.js and ws as cscws. It subscribes, skips the
// subscribe response, and either only counts the notifications or writes each one's text and a
// newline to stdout. Usage: node ceiling-client.js URL CHANNEL [count|output]

import WebSocket from 'ws';

const [url, channel, mode = 'count'] = process.argv.slice(2);
if (url === undefined || channel === undefined || (mode !== 'count' && mode !== 'output')) {
  process.stderr.write('usage: ceiling-client URL CHANNEL [count|output]\n');
  process.exit(2);
}

let subscribed = false;
let received = 0;
const ws = new WebSocket(url);

ws.on('open', () => ws.send(JSON.stringify({ action: 'subscribe', channel })));
ws.on('message', (data) => {
  if (!subscribed) {
    subscribed = true;
    return;
  }
  received++;
  if (mode === 'output') {
    process.stdout.write(`${String(data)}\n`);
  }
});
ws.on('close', () => {
  process.stderr.write(`received ${received}\n`);
});
ws.on('error', (error) => {
  process.stderr.write(`ceiling client: ${error.message}\n`);
  process.exitCode = 3;
});
