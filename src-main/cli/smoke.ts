/**
 * `npm run smoke`: one prompt per tier through the facade on the local model, printing where each went,
 * why, and how fast. Uses an in-memory store, so it touches none of the user's data: a fresh install, whose
 * company context is the demo workspace's company. Exits non-zero if any tier fails.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../app-services';
import { defaultAppPaths } from '../config/app-paths';

/** `context: true` sends the company context a fresh install starts with, as Chat does. */
const PROMPTS = [
  { expect: 'base', content: 'What is a good way to run a weekly team meeting?', context: false },
  { expect: 'company', content: 'What is our refund policy?', context: true },
  { expect: 'abstraction', content: 'What refund rate is typical across similar businesses?', context: true },
] as const;

const services = await createAppServices({
  store: { backend: 'pglite' },
  cacheDir: defaultAppPaths().cacheDir,
  logDestination: join(tmpdir(), 'triad-smoke.log'),
  onModelDownload: ({ downloadedBytes, totalBytes }) =>
    process.stderr.write(`\rdownloading the default model: ${((100 * downloadedBytes) / Math.max(totalBytes, 1)).toFixed(0)}%`),
});
let failures = 0;
try {
  const { company } = await services.settings.get('session.companyContext');
  if (!company) throw new Error('a fresh install has no company context: the demo workspace was not seeded');
  console.log(`company context: ${company}`);
  console.log(`model: ${process.env.TRIAD_MODEL_PATH ?? 'default (downloaded to the cache)'}\n`);
  for (const prompt of PROMPTS) {
    const result = await services.facade.complete({
      messages: [{ role: 'user', content: prompt.content }],
      context: { userId: services.localOperator.id, company: prompt.context ? company : undefined },
      params: { maxTokens: 48 },
    });
    if (!result.ok) {
      failures++;
      console.log(`FAILED  ${prompt.expect}: [${result.error.code}] ${result.error.message}\n`);
      continue;
    }
    const m = result.metadata;
    if (m.tier !== prompt.expect) failures++;
    console.log(`tier:     ${m.tier}${m.tier === prompt.expect ? '' : `  (expected ${prompt.expect})`}`);
    console.log(`reason:   ${m.routingReason}`);
    console.log(`model:    ${m.provider} ${m.modelId}`);
    console.log(`ttft:     ${m.ttftMs === null ? 'no text' : `${m.ttftMs.toFixed(1)} ms`}`);
    console.log(`latency:  ${m.latencyMs.toFixed(1)} ms`);
    console.log(`tokens:   ${m.usage.inputTokens} in, ${m.usage.outputTokens} out\n`);
  }
  await services.requestLog.flush();
  const logged = await services.store.requests.listRecent(10);
  console.log(`${logged.length} requests logged`);
} finally {
  await services.close();
}
process.exit(failures === 0 ? 0 : 1);
