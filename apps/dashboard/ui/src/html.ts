/**
 * ECharts renders a tooltip formatter's string as HTML. Run labels, config keys and values and
 * class names are data, never markup: every tooltip string is built with `html`, which escapes
 * each value put into it, and lines are joined with `htmlLines`. (React escapes what it renders;
 * ECharts escapes its default tooltips and string templates itself.)
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tagged template: the literal parts are the markup, every `${value}` is escaped text. */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  return strings.reduce((out, part, index) => out + escapeHtml(String(values[index - 1])) + part);
}

/** Tooltip lines, each built with `html`, one under the other. */
export function htmlLines(lines: readonly string[]): string {
  return lines.join('<br/>');
}
