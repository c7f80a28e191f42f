import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRegistry, type RegistryEntry, unknownNameError } from './define-registry.js';
import { isLtlabError, type LtlabError } from './ltlab-error.js';

interface ColourEntry extends RegistryEntry {
  readonly hex: string;
}

const empty = z.strictObject({});
const colour = (name: string, hex: string): ColourEntry => ({
  name,
  summary: `the colour ${name}`,
  schema: empty,
  hex,
});

function thrown(f: () => unknown): LtlabError {
  try {
    f();
  } catch (error) {
    if (isLtlabError(error)) return error;
    throw error;
  }
  throw new Error('expected an LtlabError');
}

describe('defineRegistry', () => {
  const make = () => defineRegistry('colour', [colour('red', '#f00'), colour('green', '#0f0'), colour('blue', '#00f')]);

  it('gets, finds, lists and names the entries in registration order', () => {
    const colours = make();
    expect(colours.get('green').hex).toBe('#0f0');
    expect(colours.find('blue')?.hex).toBe('#00f');
    expect(colours.find('cyan')).toBeUndefined();
    expect([colours.has('red'), colours.has('Red')]).toEqual([true, false]);
    expect(colours.names()).toEqual(['red', 'green', 'blue']);
    expect(colours.list().map((entry) => entry.hex)).toEqual(['#f00', '#0f0', '#00f']);
    expect([...colours.byName.keys()]).toEqual(['red', 'green', 'blue']);
  });

  it('registers a new entry, visible through every view', () => {
    const colours = make();
    colours.register(colour('cyan', '#0ff'));
    expect(colours.get('cyan').hex).toBe('#0ff');
    expect(colours.names().at(-1)).toBe('cyan');
    expect(colours.byName.get('cyan')?.hex).toBe('#0ff');
  });

  it('throws INTERNAL for a name registered twice, in the list or later', () => {
    const inList = thrown(() => defineRegistry('colour', [colour('red', '#f00'), colour('red', '#e00')]));
    expect(inList.code).toBe('INTERNAL');
    expect(inList.message).toBe("The colour 'red' is registered twice.");
    const colours = make();
    const later = thrown(() => colours.register(colour('blue', '#00e')));
    expect(later.code).toBe('INTERNAL');
    expect(later.message).toContain("'blue' is registered twice");
    expect(colours.get('blue').hex).toBe('#00f');
  });

  it('refuses a name with spaces or an empty one', () => {
    expect(thrown(() => defineRegistry('colour', [colour('dark red', '#800')])).code).toBe('INTERNAL');
    expect(thrown(() => defineRegistry('colour', [colour('', '#000')])).code).toBe('INTERNAL');
  });

  it('names the nearest known entry and lists every one for an unknown name', () => {
    const error = thrown(() => make().get('gren'));
    expect(error.code).toBe('CONFIG.UNKNOWN_NAME');
    expect(error.message).toBe("Unknown colour 'gren'; did you mean 'green'? Known colours: red, green, blue.");
    expect(error.fix).toBe("Use 'green', or one of: red, green, blue.");
    expect(error.details).toEqual({
      kind: 'colour',
      name: 'gren',
      known: ['red', 'green', 'blue'],
      suggestion: 'green',
    });
  });

  it('lists the known entries alone when none is near', () => {
    const error = thrown(() => make().get('ultraviolet'));
    expect(error.message).toBe("Unknown colour 'ultraviolet'. Known colours: red, green, blue.");
    expect(error.fix).toBe('Use one of: red, green, blue.');
    expect(error.details).not.toHaveProperty('suggestion');
  });

  it('takes an irregular plural', () => {
    const losses = defineRegistry({ singular: 'loss', plural: 'losses' }, [colour('focal', '')]);
    expect(losses.kind).toEqual({ singular: 'loss', plural: 'losses' });
    expect(thrown(() => losses.get('focla')).message).toBe(
      "Unknown loss 'focla'; did you mean 'focal'? Known losses: focal.",
    );
  });

  it('builds the same error for callers that check names themselves', () => {
    const error = unknownNameError({ singular: 'sampler', plural: 'samplers' }, 'class-balancd', ['class-balanced']);
    expect(error.message).toBe(
      "Unknown sampler 'class-balancd'; did you mean 'class-balanced'? Known samplers: class-balanced.",
    );
  });
});
