import { describe, expect, it } from 'vitest';
import { oneDnnIsaName } from './cpu-isa.js';

describe('oneDnnIsaName', () => {
  it("gives oneDNN's names for the codes of dnnl_cpu_isa_t", () => {
    expect(oneDnnIsaName(0x7)).toBe('avx2');
    expect(oneDnnIsaName(0xe7)).toBe('avx512_core_bf16');
    expect(oneDnnIsaName(0x27)).toBe('avx512_core');
  });

  it('shows a code it does not know (a newer oneDNN) in hexadecimal rather than guessing', () => {
    expect(oneDnnIsaName(0x1234)).toBe('isa 0x1234');
  });
});
