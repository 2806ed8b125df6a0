#!/usr/bin/env node
// The packetwalk command (package.json "bin"). The CLI is TypeScript: tsx compiles it on
// the fly, so `npx packetwalk` works straight after `npm install`, with no build step.
import { readFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readFile: (path) => readFileSync(path, 'utf8'),
  readStdin,
});
