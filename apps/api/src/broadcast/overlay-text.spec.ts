import { FORGOTTEN_NAME } from '@pressroom/protocol';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lowerThirdText, oneLine, wrap, writeFileAtomically } from './overlay-text';

describe('lower third text', () => {
  it('is empty when nothing is on air (drawtext then draws nothing, box included)', () => {
    expect(lowerThirdText(null)).toEqual({ heading: '', body: '' });
  });

  it('heads with the name and outlet, either alone, or a neutral line without both', () => {
    const text = 'Will the budget include the new rail line?';
    expect(lowerThirdText({ name: 'Ana García', outlet: 'El País', text }).heading).toBe('Ana García · El País');
    expect(lowerThirdText({ name: 'Ana García', outlet: '', text }).heading).toBe('Ana García');
    expect(lowerThirdText({ name: ' ', outlet: '', text }).heading).toBe('Question from the audience');
  });

  it("heads a forgotten asker's question as the audience's, in the event's language", () => {
    const text = 'Will the budget include the new rail line?';
    expect(lowerThirdText({ name: FORGOTTEN_NAME, outlet: '', text }).heading).toBe('Question from the audience');
    expect(lowerThirdText({ name: FORGOTTEN_NAME, outlet: '', text }, false, 'es').heading).toBe(
      'Pregunta del público',
    );
  });

  it('keeps user text on its lines: no line breaks or control characters get through', () => {
    expect(oneLine('Two\nlines\r\n\tand\u0007 a bell\u2028 ')).toBe('Two lines and a bell');
    const { heading, body } = lowerThirdText({ name: 'Ana\nGarcía', outlet: 'El\u0000País', text: 'a\nb' });
    expect([heading, body]).toEqual(['Ana García · El País', 'a b']);
  });

  it('wraps the question on two lines at most, ending in an ellipsis when cut', () => {
    expect(wrap('one two three four', 9, 2)).toBe('one two\nthree…');
    expect(wrap('short', 9, 2)).toBe('short');
    expect(wrap('averyveryverylongword', 8, 2)).toBe('averyver\nyverylo…');
    const body = lowerThirdText({ name: 'A', outlet: 'B', text: 'word '.repeat(100) }).body;
    expect(body.split('\n')).toHaveLength(2);
    expect(body.split('\n').every((line) => line.length <= 72)).toBe(true);
    expect(body.endsWith('…')).toBe(true);
  });

  it('shortens a long heading', () => {
    const { heading } = lowerThirdText({ name: 'N'.repeat(50), outlet: 'O'.repeat(50), text: 'x' });
    expect([...heading]).toHaveLength(60);
    expect(heading.endsWith('…')).toBe(true);
  });
});

describe('writeFileAtomically', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pressroom-atomic-'));
    try {
      const file = join(dir, 'lower.txt');
      await writeFileAtomically(file, 'first');
      await writeFileAtomically(file, 'second');
      expect(readFileSync(file, 'utf8')).toBe('second');
      expect(readdirSync(dir)).toEqual(['lower.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the lower third beside a signer', () => {
  it('wraps and truncates shorter, so it ends left of the signer', () => {
    const question = { name: 'Ana García', outlet: 'El País', text: 'word '.repeat(40) };
    const wide = lowerThirdText(question);
    const narrow = lowerThirdText(question, true);
    const longest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
    expect(longest(wide.body)).toBeGreaterThan(54);
    expect(longest(narrow.body)).toBeLessThanOrEqual(54);
    expect([...lowerThirdText({ ...question, name: 'N'.repeat(80) }, true).heading].length).toBeLessThanOrEqual(44);
  });
});
