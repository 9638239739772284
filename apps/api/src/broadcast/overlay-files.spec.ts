import { Logger } from '@nestjs/common';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OverlayFiles } from './overlay-files';
import { WORK_FILES } from './pipeline';

describe('OverlayFiles', () => {
  let dir: string;
  const text = (file: string) => readFile(join(dir, file), 'utf8');
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overlays-'));
    await mkdir(join(dir, WORK_FILES.dir));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the title, the slates and the lower third, then each change; close() is safe twice', async () => {
    const question = { name: 'Ada', outlet: 'The Engine', text: 'When?' };
    const overlays = await OverlayFiles.create(dir, 'Budget\nbriefing', question, new Logger('test'));
    expect(await text(WORK_FILES.title)).toBe('Budget briefing');
    expect(await text(WORK_FILES.slate('soon'))).toBe('Starting soon');
    expect(await text(WORK_FILES.lowerHeading)).toBe('Ada · The Engine');
    expect(await text(WORK_FILES.lowerBody)).toBe('When?');

    void overlays.setLowerThird({ ...question, text: 'Why?' });
    await overlays.setLowerThird(null);
    expect(await text(WORK_FILES.lowerHeading)).toBe('');
    await overlays.close();
    await overlays.close();
    await overlays.setLowerThird(question);
    expect(await text(WORK_FILES.lowerHeading)).toBe('');
  });
});
