/** Waits until everything written to stdout and stderr has been handed to the operating system. */
export async function flushStandardStreams(): Promise<void> {
  await Promise.all([flushStream(process.stdout), flushStream(process.stderr)]);
}

function flushStream(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}
