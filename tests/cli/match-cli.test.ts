import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { shippedConfig } from '../helpers/paths.js';

describe('dealbot match', () => {
  it('writes one JSON line per input line, with errors numbered and the rest going through', async () => {
    const input = [
      JSON.stringify({
        id: 'a',
        title: 'Japan, US sign deal on rare earths as Trump visits Tokyo',
        published: '2025-10-28',
      }),
      'not json',
      JSON.stringify({ id: 'c', summary: 'no title here' }),
      '',
      JSON.stringify({ id: 'd', title: 'Kiehl’s Rare Earth Deep Pore Cleansing Clay Mask' }),
      JSON.stringify({ id: 'e', title: '日米が重要鉱物・レアアースで新協力枠組みに署名', lang: 'ja' }),
    ].join('\n');
    const { code, stdout, stderr } = await runCli(['match', '--json', '--config', shippedConfig], { input });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ id: 'a', relevant: true, brief: 'us-japan-rare-earths-2025' });
    expect(lines[0].score).toBeGreaterThanOrEqual(0.5);
    expect(lines[0].reasons.join(' ')).toContain('rare earth');
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringContaining('not valid JSON') });
    expect(lines[2]).toMatchObject({ line: 3, id: 'c', error: expect.stringContaining('title') });
    expect(lines[3]).toMatchObject({ id: 'd', relevant: false, brief: null });
    expect(lines[4]).toMatchObject({ id: 'e', relevant: true, brief: 'us-japan-rare-earths-2025' });
    expect(Object.keys(lines[0]).sort()).toEqual(['brief', 'id', 'reasons', 'relevant', 'score']);
    expect(code).toBe(1);
    expect(stderr).toContain('2 line(s)');
  });

  it('refuses a line without an id, with its line number', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'Rare steak recipes' }),
      JSON.stringify({ title: 'Japan, US sign deal on rare earths' }),
      JSON.stringify({ id: '', title: 'Empty id' }),
    ].join('\n');
    const { code, stdout } = await runCli(['match', '--config', shippedConfig], { input });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ id: 'a', relevant: false });
    expect(lines[1]).toEqual({ line: 2, error: expect.stringContaining('missing "id"') });
    expect(lines[2]).toMatchObject({ line: 3, id: '', error: expect.stringContaining('"id" is ""') });
    expect(code).toBe(1);
  });

  it('exits 0 when every line is good', async () => {
    const { code, stdout } = await runCli(['match', '--config', shippedConfig], {
      input: JSON.stringify({ id: 1, title: 'Rare steak recipes' }) + '\n',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: 1, relevant: false });
  });
});
