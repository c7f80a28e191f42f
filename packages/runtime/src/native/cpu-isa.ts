/**
 * oneDNN's name for the instruction set its CPU kernels use (`dnnl_cpu_isa_t`, oneDNN 2.x), from
 * the code `dnnl_get_effective_cpu_isa` returns: the CPU's best, or less where
 * `ONEDNN_MAX_CPU_ISA` caps it. Other kernels sum in another order, so the same run gives other
 * float rounding on another instruction set; the run records which (docs/architecture.md §8).
 */
const ISA_NAMES = new Map<number, string>([
  [0x1, 'sse41'],
  [0x3, 'avx'],
  [0x7, 'avx2'],
  [0x407, 'avx2_vnni'],
  [0xf, 'avx512_mic'],
  [0x1f, 'avx512_mic_4ops'],
  [0x27, 'avx512_core'],
  [0x67, 'avx512_core_vnni'],
  [0xe7, 'avx512_core_bf16'],
  [0x3e7, 'avx512_core_amx'],
]);

export function oneDnnIsaName(code: number): string {
  return ISA_NAMES.get(code) ?? `isa 0x${code.toString(16)}`;
}
