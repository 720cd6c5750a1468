// Loaded with `node --import` by runMain's `rssFile` option (action.ts): at exit, writes the process's peak
// resident set size in KiB (process.resourceUsage().maxRSS) to the file named by RSS_PROBE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.RSS_PROBE_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
