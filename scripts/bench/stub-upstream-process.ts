/**
 * A no-delay OpenAI-compatible upstream in a process of its own, so the benchmark's load generator and the
 * facade under test do not share its event loop. Prints its URL on the first line of stdout.
 */
import { startOpenAiCompatibleServer } from '../../test/support/openai-compatible-server';

const server = await startOpenAiCompatibleServer();
server.reply({ kind: 'stream', chunks: ['The', ' quick', ' brown', ' fox', ' jumps'], usage: { prompt_tokens: 12, completion_tokens: 5 } });
// The stub records requests for tests; a benchmark sends hundreds of thousands, so keep none.
setInterval(() => {
  server.requests.length = 0;
}, 1_000).unref();
console.log(server.url);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
