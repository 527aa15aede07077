// Preloaded by bench/run.js (node -r): prints the process's peak resident memory when it exits.
'use strict';
process.on('exit', () => process.stderr.write(`\nbench-rss-mb: ${Math.round(process.resourceUsage().maxRSS / 1024)}\n`));
