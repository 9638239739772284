import { TestBed } from '@angular/core/testing';
import { clearTranslations, loadTranslations } from '@angular/localize';
import { FORGOTTEN_NAME } from '@pressroom/protocol';
import { question } from '../testing/fakes';
import { QuestionsPanel } from './questions-panel';

describe('QuestionsPanel', () => {
  async function render(inputs: { onAir: ReturnType<typeof question> | null; upNext: ReturnType<typeof question>[] }) {
    const fixture = TestBed.createComponent(QuestionsPanel);
    fixture.componentRef.setInput('onAir', inputs.onAir);
    fixture.componentRef.setInput('upNext', inputs.upNext);
    fixture.componentRef.setInput('answeredCount', 2);
    await fixture.whenStable();
    return { fixture, panel: fixture.nativeElement as HTMLElement };
  }

  it('announces the question on air politely, with who asked it', async () => {
    const { panel } = await render({
      onAir: question({ text: 'How much goes to hospitals?', name: 'Ana García', outlet: 'El País' }),
      upNext: [],
    });
    const onAir = panel.querySelector('section[aria-label="On air"]')!;
    const live = onAir.querySelector('[aria-live="polite"]')!;
    expect(live.textContent).toContain('How much goes to hospitals?');
    expect(live.textContent).toContain('Ana García, El País');
  });

  it('lists the queue in the order given, with votes, and says when nothing is on air', async () => {
    const { panel } = await render({
      onAir: null,
      upNext: [question({ text: 'First', votes: 1 }), question({ text: 'Second', votes: 3 })],
    });
    expect(panel.querySelector('[aria-live="polite"]')!.textContent).toContain('No question is on air');
    const items = [...panel.querySelectorAll('li')].map((li) =>
      [...li.querySelectorAll('p')].map((p) => p.textContent!.replace(/\s+/g, ' ').trim()),
    );
    expect(items).toEqual([
      ['First', 'Ana García, El País · 1 vote'],
      ['Second', 'Ana García, El País · 3 votes'],
    ]);
    expect(panel.textContent).toContain('2 answered');
  });

  it("signs a forgotten participant's question in the page's language", async () => {
    loadTranslations({ 'participant.forgotten': 'Un participante' });
    try {
      const { panel } = await render({
        onAir: question({ text: '¿Y los hospitales?', name: FORGOTTEN_NAME, outlet: '' }),
        upNext: [question({ text: '¿Y las escuelas?', name: FORGOTTEN_NAME, outlet: '' })],
      });
      expect(panel.querySelector('[aria-live="polite"]')!.textContent).toContain('Un participante');
      expect(panel.querySelector('li p.asker')!.textContent).toContain('Un participante');
      expect(panel.textContent).not.toContain(FORGOTTEN_NAME);
    } finally {
      clearTranslations();
    }
  });
});
