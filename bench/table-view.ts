// Measures the live table under a flood: frames a second, and the resident memory of the CLI
// sampled every 2 seconds. Run with `npm run build && node dist/bench/table-view.js [total] [perSecond]`.
import { readFileSync } from 'node:fs';

import { PtyCli } from '../test/helpers/pty-cli.js';
import { startScriptServer } from '../test/helpers/script-server.js';

const total = Number(process.argv[2] ?? 400_000);
const perSecond = Number(process.argv[3] ?? 20_000);
/** The server sends a batch every 20 ms. */
const batch = Math.max(1, Math.round(perSecond / 50));

function transaction(index: number): string {
  const txid = `bench-${index}`.padEnd(64, '0');
  return `{"channel":"new-transactions","data":{"txid":"${txid}","size":200,"fee":0.0001,"inputs":[{"address":"csc1q","value":1.5}],"outputs":[{"address":"csc1q","value":1.4999}]}}`;
}

const server = await startScriptServer((request, connection) => {
  connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
  if (request.json.action !== 'subscribe') {
    return;
  }
  let sent = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < batch && sent < total; i++, sent++) {
      connection.socket.send(transaction(sent));
    }
    if (sent >= total) {
      clearInterval(timer);
    }
  }, 20);
});

const startedAt = performance.now();
const cli = new PtyCli(['subscribe', 'new-transactions', '--url', server.url, '--count', String(total)], {
  columns: 120,
  rows: 40,
  killAfterMs: 600_000,
});
const samples: number[] = [];
const sampler = setInterval(() => {
  const status = readFileSync(`/proc/${cli.pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+)/u.exec(status)?.[1];
  if (kib !== undefined) {
    samples.push(Math.round(Number(kib) / 1024));
  }
}, 2000);

const exit = await cli.exited;
const seconds = (performance.now() - startedAt) / 1000;
clearInterval(sampler);
await server.close();

console.log(`exit code ${exit.exitCode}; ${total} notifications at ${perSecond}/s requested, ${seconds.toFixed(1)} s`);
console.log(`${cli.frameCount()} frames, ${(cli.frameCount() / seconds).toFixed(1)} a second`);
console.log(`resident memory every 2 s, MiB: ${samples.join(' ')}`);
