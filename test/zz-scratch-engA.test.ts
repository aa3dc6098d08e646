jest.mock('../src/cli/commands/batch', () => ({ register: () => undefined }));
jest.mock('../src/cli/commands/letter', () => ({ register: () => undefined }));
import { main } from '../src/cli/main';
import { loadKnowledgeBase } from '../src/catalog/load';
test('show', async () => {
  const t0 = Date.now(); loadKnowledgeBase(); const t1 = Date.now();
  process.stdout.write(`load ms ${t1 - t0}\n`);
  for (const a of [['catalog','check'], ['industry', 'C3011', '--date', '2025-08-01'], ['industry','家具'], ['hazard','矽尘']]) {
    process.stdout.write(`\n$ ${a.join(' ')}\n`);
    const code = await main(['node', 'x', ...a]);
    process.stdout.write(`[exit ${code}]\n`);
  }
});
