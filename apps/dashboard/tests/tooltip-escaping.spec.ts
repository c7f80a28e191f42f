import { describe, expect, it } from 'vitest';
import { escapeHtml, html, htmlLines } from '../ui/src/html.js';
import { confusionOption } from '../ui/src/pages/confusion.js';
import { bandOption } from '../ui/src/pages/group-bands.js';
import { IOU_VS_IMAGE_FREQUENCY, longTailOverlayOption } from '../ui/src/pages/long-tail-overlay.js';

const PAYLOAD = '<img src=x onerror=alert(1)>"\'`&';
const ESCAPED = '&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#96;&#38;';

describe('tooltip markup: data is text, never markup', () => {
  it('escapes every character that can open a tag, an attribute or an entity', () => {
    expect(escapeHtml(PAYLOAD)).toBe(ESCAPED);
    expect(escapeHtml('ce T=0.1 seed=2')).toBe('ce T=0.1 seed=2');
  });

  it('html`` escapes each value and keeps the literal markup; htmlLines joins lines', () => {
    expect(html`<b>${PAYLOAD}</b> ${3} ${null}`).toBe(`<b>${ESCAPED}</b> 3 null`);
    expect(html`plain`).toBe('plain');
    expect(htmlLines([html`${'<a>'}`, html`b`])).toBe('&#60;a&#62;<br/>b');
  });

  it('the group-curves tooltip escapes group labels', () => {
    const option = bandOption([{ label: PAYLOAD, points: [{ epoch: 1, mean: 0.5, std: 0.1, n: 2 }] }], 'val top1');
    const text = option.tooltip.formatter([{ dataIndex: 0 }]);
    expect(text).toBe(`epoch 1<br/>${ESCAPED}: 0.5 ± 0.1 (n=2)`);
  });

  it('the per-class overlay tooltip escapes run and class names', () => {
    const option = longTailOverlayOption([
      { name: PAYLOAD, scores: [0.5], trainCounts: [10], classNames: ['<svg onload=alert(1)>'] },
    ]);
    const text = option.tooltip.formatter({ seriesName: PAYLOAD, data: { value: [10, 0.5], className: '<svg>' } });
    expect(text).toBe(`${ESCAPED}<br/>&#60;svg&#62;: 0.5 (10 training images, few)`);
  });

  it('the per-class IoU tooltip escapes run and class names and the group', () => {
    const option = longTailOverlayOption(
      [{ name: PAYLOAD, scores: [0.5], trainCounts: [10], classNames: ['<svg>'], groups: ['tail'] }],
      IOU_VS_IMAGE_FREQUENCY,
    );
    const text = option.tooltip.formatter({
      seriesName: PAYLOAD,
      data: { value: [10, 0.5], className: '<svg>', group: '<b>' },
    });
    expect(text).toBe(`${ESCAPED}<br/>&#60;svg&#62;: 0.5 (10 training images with the class, &#60;b&#62;)`);
  });

  it('the confusion tooltip escapes class names', () => {
    const option = confusionOption([[1]], ['"><script>alert(1)</script>']);
    expect(option.tooltip.formatter({ data: [0, 0, 1] })).toBe(
      '&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62; → &#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;: 100.0% (1 of 1)',
    );
  });
});
