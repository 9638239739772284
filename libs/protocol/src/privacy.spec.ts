import { withOutlet } from './privacy';

describe('a journalist with their outlet', () => {
  it('is "name, outlet" with an outlet, the name alone without one: no comma left dangling', () => {
    expect(withOutlet('Ana García', 'El País')).toBe('Ana García, El País');
    expect(withOutlet('Un participante', '')).toBe('Un participante');
    expect(withOutlet('Un participante', null)).toBe('Un participante');
    expect(withOutlet('Un participante', undefined)).toBe('Un participante');
    expect(withOutlet('Ana García', '   ')).toBe('Ana García');
  });
});
