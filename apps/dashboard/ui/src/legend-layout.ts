/** Heights in px of the rows above a plot: ECharts' default 5 px padding around each. */
const TITLE_ROW = 28;
const LEGEND_ROW = 26;
/** A y-axis name sits above the axis (nameLocation 'end'), inside the grid's top margin. */
const AXIS_NAME_ROW = 18;
const GAP = 10;
/** Longer legend entries are cut with an ellipsis; hovering one shows the whole name. */
const LEGEND_ITEM_WIDTH = 180;

type Option = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasTitle(title: unknown): boolean {
  return isObject(title) && typeof title.text === 'string' && title.text !== '';
}

function namedAtTop(axes: unknown): boolean {
  const list = Array.isArray(axes) ? axes : [axes];
  return list.some(
    (axis) =>
      isObject(axis) && typeof axis.name === 'string' && axis.name !== '' && (axis.nameLocation ?? 'end') === 'end',
  );
}

/**
 * Lays a chart's legend out so it never overflows the chart nor overprints its title: one
 * scrolling row (paged when the runs do not fit) under the title, long names cut, and the plot
 * pushed down below the legend and the y-axis names. Options without a legend are left as they are.
 */
export function fitLegend(option: Option): Option {
  const legend = option.legend;
  if (!isObject(legend) || legend.show === false) return option;
  const top = hasTitle(option.title) ? TITLE_ROW : 0;
  const plotTop = top + LEGEND_ROW + (namedAtTop(option.yAxis) ? AXIS_NAME_ROW : 0) + GAP;
  const textStyle = isObject(legend.textStyle) ? legend.textStyle : {};
  const fitted: Option = {
    ...option,
    legend: {
      ...legend,
      type: 'scroll',
      orient: 'horizontal',
      top,
      bottom: undefined,
      left: 'center',
      width: '92%',
      textStyle: { ...textStyle, width: LEGEND_ITEM_WIDTH, overflow: 'truncate' },
      tooltip: { show: true },
    },
  };
  // Parallel coordinates place their axes with `parallel`, every other chart with `grid`.
  const box = isObject(option.parallel) ? 'parallel' : 'grid';
  const current = option[box];
  if (Array.isArray(current)) return fitted;
  const margins = isObject(current) ? current : {};
  const given = typeof margins.top === 'number' ? margins.top : 0;
  fitted[box] = { ...margins, top: Math.max(given, plotTop) };
  return fitted;
}
