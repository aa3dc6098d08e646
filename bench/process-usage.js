// Preloaded (node --require) into a process bench/targets.js measures: on exit, writes its CPU time (user + system,
// all threads) and peak RSS to the file HAZARD_NOTICE_USAGE names.
'use strict';
process.on('exit', () => {
  const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage();
  const usage = { cpuSeconds: (userCPUTime + systemCPUTime) / 1e6, maxRssMb: maxRSS / 1024 };
  require('node:fs').writeFileSync(process.env.HAZARD_NOTICE_USAGE, JSON.stringify(usage));
});
