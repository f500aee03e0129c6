// Preloaded with `node -r`: when the process exits, prints the files of node_modules it loaded, one
// JSON line on stderr, so a test can tell which libraries a service pulls in at start.
'use strict';
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) => file.includes('/node_modules/'));
  process.stderr.write(`${JSON.stringify({ loadedModules: loaded })}\n`);
});
