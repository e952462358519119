import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { lines, runCli, startCli } from './helpers/cli.js';
import { closedPort } from './helpers/closed-port.js';
import { acceptAll, startScriptServer, type RequestScript, type ScriptServer } from './helpers/script-server.js';

const TOKEN = 's3cret-token-value-42';

/** Runs `script` on a fresh server for one test and closes it afterwards. */
async function withServer<T>(script: RequestScript, body: (server: ScriptServer) => Promise<T>): Promise<T> {
  const server = await startScriptServer(script);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

describe('subscribe usage errors', () => {
  test('unknown channel suggests the closest one', async () => {
    const result = await runCli(['subscribe', 'new-block', '--url', 'ws://127.0.0.1:9']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown channel "new-block"/);
    assert.match(result.stderr, /Did you mean new-blocks\?/);
    assert.match(result.stderr, /new-blocks, new-transactions, address-transactions, mempool, mining-info/);
    assert.equal(result.stdout, '');
  });

  test('address-transactions without addresses', async () => {
    const result = await runCli(['subscribe', 'address-transactions', '--url', 'ws://127.0.0.1:9']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /address-transactions needs at least one address/);
  });

  test('address without address-transactions', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '-a', 'csc1qa', '--url', 'ws://127.0.0.1:9']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /--address is only used by the address-transactions channel/);
  });

  test('http url names the ws form', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '--url', 'http://127.0.0.1:16181']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /Use ws:\/\/127\.0\.0\.1:16181/);
  });

  test('bad count and unknown option', async () => {
    const badCount = await runCli(['subscribe', 'new-blocks', '--count', '0']);
    const unknown = await runCli(['subscribe', 'new-blocks', '--cuont', '3']);
    const noChannel = await runCli(['subscribe']);

    assert.equal(badCount.code, 2);
    assert.match(badCount.stderr, /--count must be a whole number above 0, got 0/);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /cuont/);
    assert.equal(noChannel.code, 2);
  });

  test('option without a value', async () => {
    const count = await runCli(['subscribe', 'new-blocks', '--count']);
    const url = await runCli(['subscribe', 'new-blocks', '--url', '--verbose']);

    assert.equal(count.code, 2);
    assert.match(count.stderr, /--count needs a value/);
    assert.equal(url.code, 2);
    assert.match(url.stderr, /--url needs a value/);
  });

  test('number that is not a number', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '--count', 'abc']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /--count must be a whole number above 0, got a value that is not a number/);
  });

  test('url without a scheme', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '--url', 'localhost:16181']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /has no scheme/);
    assert.match(result.stderr, /Use ws:\/\/localhost:16181/);
  });

  test('unknown option names its dashes', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '-c', '3']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option -c/);
  });

  test('demo checks channels before starting', async () => {
    const result = await runCli(['demo', 'nope']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown channel "nope"/);
    assert.doesNotMatch(result.stderr, /devnode replaying/);
  });

  test('help lists the exit codes', async () => {
    const result = await runCli(['subscribe', '--help']);

    assert.equal(result.code, 0);
    assert.match(result.stdout, /130 {2}interrupted/);
    assert.match(result.stdout, /new-blocks/);
  });
});

describe('subscribe requests', () => {
  test('addresses from repeats and comma lists go in one subscribe', async () => {
    await withServer(acceptAll, async (server) => {
      const result = await runCli([
        'subscribe',
        'address-transactions',
        '--no-address-check',
        '-a',
        'csc1qa,csc1qb',
        '--address',
        'csc1qc',
        '-a',
        'csc1qa',
        '--url',
        server.url,
        '--timeout',
        '0.5',
      ]);

      assert.equal(result.code, 0, result.stderr);
      const subscribes = server.connections[0]?.requests.filter((r) => r.json.action === 'subscribe') ?? [];
      assert.equal(subscribes.length, 1);
      assert.deepEqual(subscribes[0]?.json, {
        action: 'subscribe',
        channel: 'address-transactions',
        params: { addresses: ['csc1qa', 'csc1qb', 'csc1qc'] },
      });
    });
  });

  test('auth goes first and subscribe waits for its answer', async () => {
    let authAnsweredAt = 0;
    const script: RequestScript = (request, connection) => {
      if (request.json.action === 'auth') {
        setTimeout(() => {
          authAnsweredAt = Date.now();
          connection.socket.send('{"status":"success","data":{}}');
        }, 300);
        return;
      }
      assert.ok(authAnsweredAt > 0, 'subscribe arrived before the auth answer');
      acceptAll(request, connection);
    };

    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--timeout', '1'], {
        env: { CSCWS_TOKEN: TOKEN },
      });

      assert.equal(result.code, 0, result.stderr);
      const actions = server.connections[0]?.requests.map((r) => r.json.action);
      assert.deepEqual(actions, ['auth', 'subscribe']);
      assert.equal(server.connections[0]?.requests[0]?.json.token, TOKEN);
      assert.ok(!result.stdout.includes(TOKEN), 'the token is not on stdout');
      assert.ok(!result.stderr.includes(TOKEN), 'the token is not on stderr');
    });
  });

  test('rejected token exits 4 without printing it', async () => {
    const script: RequestScript = (request, connection) => {
      connection.socket.send('{"status":"error","error":{"code":"auth_required","message":"Invalid token"}}');
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--token', TOKEN, '--verbose']);

      assert.equal(result.code, 4);
      assert.match(result.stderr, /token rejected: auth_required: Invalid token/);
      assert.ok(!result.stdout.includes(TOKEN), 'the token is not on stdout');
      assert.ok(!result.stderr.includes(TOKEN), 'the token is not on stderr');
    });
  });

  test('error without channel matches the oldest request', async () => {
    const script: RequestScript = (request, connection) => {
      if (request.json.channel === 'mempool') {
        connection.socket.send('{"status":"error","error":{"code":"invalid_channel","message":"Channel \'mempool\' does not exist"}}');
      } else {
        acceptAll(request, connection);
      }
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', 'mempool', '--url', server.url]);

      assert.equal(result.code, 5);
      assert.match(result.stderr, /does not offer channel mempool \(invalid_channel: Channel 'mempool' does not exist\)/);
    });
  });

  test('error with channel names the addresses sent', async () => {
    const script: RequestScript = (request, connection) => {
      connection.socket.send(
        JSON.stringify({ status: 'error', channel: request.json.channel, error: { code: 'invalid_params', message: 'bad address' } }),
      );
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'address-transactions', '--no-address-check', '-a', 'csc1qzz,csc1qyy', '--url', server.url]);

      assert.equal(result.code, 5);
      assert.match(result.stderr, /rejected the subscribe of address-transactions \(invalid_params: bad address\)/);
      // The pair is split and retried; the address rejected on its own is the one named.
      assert.match(result.stderr, /the server rejected 2 addresses in one subscribe \(invalid_params: bad address\); retrying in batches of 1/);
      assert.match(result.stderr, /The addresses sent were: csc1qzz\./);
    });
  });

  test('unknown error code is shown with its message', async () => {
    const script: RequestScript = (request, connection) => {
      connection.socket.send('{"status":"error","error":{"code":"maintenance","message":"back at 12:00"}}');
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url]);

      assert.equal(result.code, 5);
      assert.match(result.stderr, /maintenance: back at 12:00/);
    });
  });

  test('auth_required on a channel exits 4', async () => {
    const script: RequestScript = (request, connection) => {
      connection.socket.send('{"status":"error","error":{"code":"auth_required","message":"Authentication required"}}');
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'address-transactions', '--no-address-check', '-a', 'csc1qa', '--url', server.url]);

      assert.equal(result.code, 4);
      assert.match(result.stderr, /channel address-transactions requires authentication/);
      assert.match(result.stderr, /CSCWS_TOKEN/);
    });
  });

  test('rate_limit_exceeded exits 6', async () => {
    const script: RequestScript = (request, connection) => {
      connection.socket.send('{"status":"error","error":{"code":"rate_limit_exceeded","message":"Too many messages"}}');
    };
    await withServer(script, async (server) => {
      // With reconnecting on, a rate limit means waiting and trying again; see the reconnect tests.
      const result = await runCli(['subscribe', 'mempool', '--url', server.url, '--no-reconnect']);

      assert.equal(result.code, 6);
      assert.match(result.stderr, /rate-limited/);
    });
  });

  test('unanswered subscribe times out with 7', async () => {
    await withServer(
      () => {},
      async (server) => {
        // With reconnecting on, an unanswered request is retried on a new connection.
        const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--connect-timeout', '0.5', '--no-reconnect']);

        assert.equal(result.code, 7);
        assert.match(result.stderr, /no response from the server to subscribe new-blocks within 0.5 s/);
      },
    );
  });
});

// Reconnecting is on by default and would turn each of the endings below into a reconnect; they
// are the endings of a run with --no-reconnect. test/subscribe-reconnect.test.ts covers the rest.
describe('subscribe count, timeout and endings', () => {
  const block = (height: number): string => `{"channel":"new-blocks","data":{"height":${height}}}`;

  test('count stops after exactly N', async () => {
    const script: RequestScript = (request, connection) => {
      acceptAll(request, connection);
      for (let height = 1; height <= 50; height++) {
        connection.socket.send(block(height));
      }
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--count', '3']);

      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(lines(result.stdout), [block(1), block(2), block(3)]);
      assert.equal(await server.connections[0]?.closed, 1000);
    });
  });

  test('timeout without count exits 0', async () => {
    await withServer(acceptAll, async (server) => {
      const started = Date.now();
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--timeout', '0.5']);

      assert.equal(result.code, 0, result.stderr);
      assert.ok(Date.now() - started >= 500);
    });
  });

  test('timeout before count exits 7', async () => {
    const script: RequestScript = (request, connection) => {
      acceptAll(request, connection);
      connection.socket.send(block(1));
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--timeout', '0.5', '--count', '2']);

      assert.equal(result.code, 7);
      assert.equal(result.stdout, `${block(1)}\n`);
      assert.match(result.stderr, /after 1 of 2 notifications/);
    });
  });

  test('refused connection exits 3', async () => {
    const port = await closedPort();
    const result = await runCli(['subscribe', 'new-blocks', '--url', `ws://127.0.0.1:${port}`, '--no-reconnect']);

    assert.equal(result.code, 3);
    assert.match(result.stderr, /connection to 127\.0\.0\.1:\d+ refused/);
  });

  test('normal close from the server exits 0', async () => {
    const script: RequestScript = (request, connection) => {
      acceptAll(request, connection);
      connection.socket.send(block(7));
      connection.socket.close(1001, 'node shutting down');
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--no-reconnect']);

      assert.equal(result.code, 0);
      assert.equal(result.stdout, `${block(7)}\n`);
      assert.match(result.stderr, /code 1001, reason "node shutting down"/);
    });
  });

  test('abnormal close exits 3', async () => {
    const script: RequestScript = (request, connection) => {
      acceptAll(request, connection);
      connection.socket.close(1011, 'internal \u001b[31merror');
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--no-reconnect']);

      assert.equal(result.code, 3);
      assert.match(result.stderr, /closed by the server \(code 1011, reason "internal \\x1b\[31merror"\)/);
    });
  });

  test('dropped connection exits 3', async () => {
    const script: RequestScript = (request, connection) => {
      acceptAll(request, connection);
      setTimeout(() => connection.socket.terminate(), 100);
    };
    await withServer(script, async (server) => {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--no-reconnect']);

      assert.equal(result.code, 3);
      assert.match(result.stderr, /lost without a close frame/);
    });
  });
});

describe('subscribe interrupted', () => {
  let server: ScriptServer;

  after(async () => {
    await server.close();
  });

  test('Ctrl-C unsubscribes, closes with 1000 and exits 130', async () => {
    server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      if (request.json.action === 'subscribe' && request.json.channel === 'mempool') {
        connection.socket.send('{"channel":"mempool","data":{"action":"added","txid":"a","size":1,"fee":0.1}}');
      }
    });
    const cli = startCli(['subscribe', 'new-blocks', 'mempool', '--url', server.url, '-o', 'jsonl']);
    await cli.waitForStdout(/"txid":"a"/);

    const connection = server.connections[0];
    cli.child.kill('SIGINT');
    const result = await cli.result;

    assert.equal(result.code, 130);
    assert.equal(result.stdout, '{"channel":"mempool","data":{"action":"added","txid":"a","size":1,"fee":0.1}}\n');
    assert.equal(await connection?.closed, 1000);
    const unsubscribed = connection?.requests.filter((r) => r.json.action === 'unsubscribe').map((r) => r.json.channel);
    assert.deepEqual(unsubscribed, ['new-blocks', 'mempool']);
  });

  test('second Ctrl-C exits at once', async () => {
    const silent = await startScriptServer((request, connection) => {
      // Answers subscribe but never unsubscribe, so the polite shutdown would wait.
      if (request.json.action === 'subscribe') {
        acceptAll(request, connection);
        connection.socket.send('{"channel":"new-blocks","data":{"height":1}}');
      }
    });
    try {
      const cli = startCli(['subscribe', 'new-blocks', '--url', silent.url, '-o', 'jsonl']);
      await cli.waitForStdout(/"height":1/);

      const started = Date.now();
      cli.child.kill('SIGINT');
      setTimeout(() => cli.child.kill('SIGINT'), 50);
      const result = await cli.result;

      assert.equal(result.code, 130);
      assert.ok(Date.now() - started < 900, 'exits before the unsubscribe wait ends');
    } finally {
      await silent.close();
    }
  });
});
