import { describe, expect, it } from 'vitest';
import { LiveLines } from './live-lines.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  const fake = {
    isTTY,
    columns: 100,
    write: (text: string) => {
      written.push(text);
      return true;
    },
  };
  return { fake: fake as unknown as NodeJS.WriteStream, text: () => written.join('') };
}

describe('LiveLines', () => {
  it('off a terminal: logged lines only, as written, and no live lines or control characters', () => {
    const { fake, text } = stream(false);
    const lines = new LiveLines(fake);
    expect(lines.live).toBe(false);
    lines.log('epoch 1/2  loss 0.5');
    lines.set('epoch', { label: 'epoch 2/2', fraction: 0.5, suffix: 'loss 0.4' });
    lines.log('done');
    lines.close();
    expect(text()).toBe('epoch 1/2  loss 0.5\ndone\n');
  });

  it('on a terminal: draws the live line, and close() still writes what was logged under it, then clears it', () => {
    const { fake, text } = stream(true);
    const lines = new LiveLines(fake);
    lines.log('before');
    lines.set('epoch', { label: 'epoch 1/2', fraction: 0.5, suffix: '2/4  loss 0.5000' });
    lines.log('logged while live');
    lines.set('epoch', { label: 'epoch 1/2', fraction: 1, suffix: '4/4  loss 0.4000' });
    lines.close();
    const out = text();
    expect(out.startsWith('before\n')).toBe(true);
    // Redraws are throttled, so only the last state is sure to be drawn.
    expect(out).toContain('epoch 1/2 [########################] 4/4  loss 0.4000');
    expect(out).toContain('logged while live\n');
    expect(out).toContain('\x1b[0J'); // cleared below the cursor at the end
    lines.log('after');
    expect(text().endsWith('after\n')).toBe(true);
  });

  it('dropping the last live line stops drawing; a later one starts again', () => {
    const { fake, text } = stream(true);
    const lines = new LiveLines(fake);
    lines.set('a', { label: 'a', fraction: 0, suffix: '' });
    lines.drop('a');
    lines.log('plain again');
    expect(text().endsWith('plain again\n')).toBe(true);
    lines.set('b', { label: 'b', fraction: 1, suffix: 'x' });
    lines.close();
    expect(text()).toContain('b [########################] x');
  });
});
