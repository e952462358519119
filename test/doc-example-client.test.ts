import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

import { devnodeEnvironment, startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

/** The documentation's own client, kept as published; see the comment at its top. */
const DOC_CLIENT_PATH = fileURLToPath(new URL('../../test/fixtures/doc-example-client.cjs', import.meta.url));

let devnode: DevnodeProcess | undefined;
let client: ChildProcessWithoutNullStreams | undefined;

after(() => {
  client?.kill('SIGKILL');
  devnode?.kill();
});

test('documentation example client receives blocks', async () => {
  devnode = await startDevnodeProcess(['--port', '0', '--block-interval', '0.1']);
  client = spawn(process.execPath, [DOC_CLIENT_PATH], {
    env: devnodeEnvironment({ DEVNODE_URL: devnode.url }),
    stdio: 'pipe',
  });
  client.stdin.end();

  let stdout = '';
  let stderr = '';
  client.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  // The example prints every frame of a subscribed channel, the success responses included, with
  // console.log, so blocks show as `New block: { hash: '…', height: 831328, … }`.
  const blockPattern = /New block: \{\s*hash: '[0-9a-f]{64}',\s*height: 8313\d\d,/;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no block from the example client within 10 s; stdout: ${stdout}; stderr: ${stderr}`)),
      10_000,
    );
    client?.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (blockPattern.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    client?.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`example client exited with ${code}; stdout: ${stdout}; stderr: ${stderr}`));
    });
  });

  assert.match(stdout, /^Connected$/m);
  // The example routes responses by channel too, so the subscribe answer for its placeholder
  // address reaches the address callback: proof that the devnode accepted the address.
  assert.match(stdout, /Address transaction: \{ action: 'subscribe', watchedAddresses: 1 \}/);
  assert.equal(stderr, '');

  await devnode.waitForStderr(/client #1: subscribe address-transactions: 1 added, 1 watched/);
  assert.doesNotMatch(devnode.stderr(), /client #1: error/);
});
