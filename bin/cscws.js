#!/usr/bin/env node
// `--version` alone is handled before yargs and the command table load, because loading yargs
// more than doubles the start-up time of Node.js.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { VERSION } = await import('../dist/src/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { run } = await import('../dist/src/cli.js');
  await run(process.argv.slice(2));
}
