import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  SubTitle,
  Title,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { DateTime } from 'luxon';
import type { DigestMessageView } from '../../domain/chat-port.js';
import type { TrendPoint } from '../../domain/digest/figures.js';
import type { DigestPeriod } from '../../domain/digest/period.js';
import { trendAltText, trendSeries, type TrendContext, type TrendSeries } from '../../domain/digest/trend.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  SubTitle,
  Title,
);

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 560;
/** Slack shows an image about half size in a message: 16 px at 1000 px wide stays legible. */
export const MIN_FONT_PX = 16;
/** DejaVu Sans ships with most Linux images; the others are fallbacks where it does not. */
const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

const HELD_COLOUR = '#b42318';
const TRANSFERRED_COLOUR = '#15803d';
const REQUEST_COLOUR = '#1d4ed8';
const PERIOD_SHADE = 'rgba(250, 204, 21, 0.22)';
const WITHHELD_COLOUR = '#6b7280';

/**
 * Paints the background white before Chart.js draws (it clears the canvas to transparent first),
 * so dark-mode chat clients do not show dark text on a dark background.
 */
const whiteBackground: Plugin<'bar' | 'line'> = {
  id: 'concordatWhiteBackground',
  beforeDraw(chart) {
    const c = chart.ctx as unknown as SKRSContext2D;
    c.save();
    c.globalCompositeOperation = 'destination-over';
    c.fillStyle = '#ffffff';
    c.fillRect(0, 0, chart.width, chart.height);
    c.restore();
  },
};

/**
 * Shades the bars of the digest's own period (and says so), and hatches the last bar when it is
 * not over yet, so a short week is not read as a fall.
 */
function periodAndPartial(ctx: SKRSContext2D, series: TrendSeries): Plugin<'bar' | 'line'> {
  return {
    id: 'concordatPeriod',
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x) return;
      const n = series.buckets.length;
      const step = n > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : area.right - area.left;
      const inPeriod = series.buckets.flatMap((b, i) => (b.inPeriod ? [i] : []));
      ctx.save();
      if (inPeriod.length > 0) {
        const left = x.getPixelForValue(inPeriod[0] as number) - step / 2;
        const right = x.getPixelForValue(inPeriod[inPeriod.length - 1] as number) + step / 2;
        ctx.fillStyle = PERIOD_SHADE;
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = '#854d0e';
        ctx.font = `bold ${MIN_FONT_PX}px ${FONT_FAMILY}`;
        ctx.textAlign = right > area.right - 60 ? 'right' : 'center';
        ctx.fillText(
          'this digest',
          right > area.right - 60 ? right - 4 : (left + right) / 2,
          area.top + MIN_FONT_PX + 2,
        );
      }
      const last = series.buckets[n - 1];
      if (last?.partial) {
        const cx = x.getPixelForValue(n - 1);
        ctx.strokeStyle = 'rgba(17, 24, 39, 0.45)';
        ctx.setLineDash([6, 5]);
        ctx.lineWidth = 2;
        ctx.strokeRect(cx - step / 2 + 3, area.top + 26, step - 6, area.bottom - area.top - 26);
      }
      ctx.restore();
    },
  };
}

/** Writes "withheld" over each bar or point whose value is suppressed, so a gap is not read as zero. */
function withheldMarks(ctx: SKRSContext2D, series: TrendSeries): Plugin<'bar' | 'line'> {
  return {
    id: 'concordatWithheld',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const y = chart.scales.y;
      if (!x || !y) return;
      const marked = [
        ...new Set([...series.withheld.held, ...series.withheld.transferred, ...series.withheld.requests]),
      ];
      ctx.save();
      ctx.font = `bold ${MIN_FONT_PX}px ${FONT_FAMILY}`;
      ctx.textAlign = 'center';
      ctx.fillStyle = WITHHELD_COLOUR;
      for (const i of marked) {
        const what = [
          series.withheld.transferred.includes(i) ? 'transferred' : '',
          series.withheld.held.includes(i) ? 'held' : '',
          series.withheld.requests.includes(i) ? 'requests' : '',
        ].filter(Boolean);
        const px = x.getPixelForValue(i);
        ctx.fillText('withheld:', px, y.getPixelForValue(0) - 2 * MIN_FONT_PX - 8);
        ctx.fillText(what.join(', '), px, y.getPixelForValue(0) - MIN_FONT_PX);
      }
      ctx.restore();
    },
  };
}

function dateRange(series: TrendSeries, zone: string): string {
  const first = series.buckets[0];
  const last = series.buckets[series.buckets.length - 1];
  if (!first || !last) return '';
  const a = DateTime.fromISO(first.start, { zone });
  const b = DateTime.fromISO(last.end, { zone }).minus({ days: 1 });
  return `${a.toFormat(a.year === b.year ? 'd LLL' : 'd LLL yyyy')} – ${b.toFormat('d LLL yyyy')}`;
}

/**
 * The trend chart: per week (per month with suppression on), transferred and held stacked as
 * bars, bed requests as a line; the digest's own period shaded, the unfinished last bar dashed,
 * the dates in the title. Chart.js drawing onto a @napi-rs/canvas (prebuilt Skia, no system
 * libraries), as a PNG. Withheld values (docs/suppression.md) are not drawn, and say so.
 */
export function renderTrendChart(args: {
  trend: readonly TrendPoint[];
  suppress: boolean;
  /** What the chart is of, usually the force's name; the dates are added. */
  title: string;
  period?: Pick<DigestPeriod, 'firstDay' | 'lastDay' | 'timeZone' | 'label'>;
  generatedAt?: string;
  filename?: string;
  width?: number;
  height?: number;
}): NonNullable<DigestMessageView['chart']> & { png: Buffer } {
  const width = args.width ?? CHART_WIDTH;
  const height = args.height ?? CHART_HEIGHT;
  const ctxArgs: TrendContext = {
    ...(args.period ? { period: args.period } : {}),
    ...(args.generatedAt ? { generatedAt: args.generatedAt } : {}),
  };
  const series = trendSeries(args.trend, args.suppress, ctxArgs);
  const unit = args.suppress ? 'month' : 'week';
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const font = (px: number, weight: 'normal' | 'bold' = 'normal') => ({
    size: Math.max(MIN_FONT_PX, px),
    weight,
  });

  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.font.size = MIN_FONT_PX;
  Chart.defaults.color = '#111827';
  const faded = (colour: string) => series.buckets.map((b) => (b.partial ? `${colour}99` : colour));
  const datasets: ChartConfiguration<'bar' | 'line', Array<number | null>, string>['data']['datasets'] = [];
  if (series.transferred) {
    datasets.push({
      type: 'bar',
      label: 'Transferred to local authority',
      data: series.transferred,
      backgroundColor: faded(TRANSFERRED_COLOUR),
      stack: 'outcomes',
      order: 2,
    });
  }
  datasets.push(
    {
      type: 'bar',
      label: 'Held in police detention',
      data: series.held,
      backgroundColor: faded(HELD_COLOUR),
      stack: 'outcomes',
      order: 2,
    },
    {
      type: 'line',
      label: 'Bed requests',
      data: series.requests,
      borderColor: REQUEST_COLOUR,
      backgroundColor: REQUEST_COLOUR,
      borderWidth: 3,
      pointRadius: 5,
      spanGaps: false,
      order: 1,
    },
  );
  const subtitle = [
    args.period ? `Shaded: this digest (${args.period.label}).` : '',
    series.buckets[series.buckets.length - 1]?.partial ? `Dashed: ${unit} not over yet.` : '',
    args.suppress ? 'Counts of 1 to 4, and any that would reveal one, withheld.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const config: ChartConfiguration<'bar' | 'line', Array<number | null>, string> = {
    type: 'bar',
    data: { labels: series.labels, datasets },
    options: {
      animation: false,
      responsive: false,
      maintainAspectRatio: false,
      devicePixelRatio: 1,
      layout: { padding: { left: 8, right: 16, top: 4, bottom: 4 } },
      plugins: {
        title: {
          display: true,
          text: `${args.title}: per ${unit}, ${dateRange(series, args.period?.timeZone ?? 'UTC')}`,
          font: font(22, 'bold'),
          padding: { top: 8, bottom: 4 },
        },
        subtitle: { display: subtitle !== '', text: subtitle, font: font(16), padding: { bottom: 8 } },
        legend: { position: 'bottom', labels: { font: font(16), boxWidth: 24 } },
      },
      scales: {
        x: {
          stacked: true,
          title: {
            display: true,
            text: args.suppress ? 'Month (whole weeks, by their Thursday)' : 'Week beginning (Monday)',
            font: font(16),
          },
          ticks: { font: font(16), maxRotation: 45, autoSkip: true },
        },
        y: {
          stacked: true,
          beginAtZero: true,
          ticks: { precision: 0, font: font(16) },
          title: { display: true, text: 'Requests and their outcomes (by date of charge)', font: font(16) },
        },
      },
    },
    plugins: [whiteBackground, periodAndPartial(ctx, series), withheldMarks(ctx, series)],
  };
  // Chart.js accepts any object with a 2D context; napi-rs's matches the DOM one it expects.
  const chart = new Chart(ctx, config);
  try {
    chart.draw();
    const png = canvas.toBuffer('image/png');
    return {
      png,
      filename: args.filename ?? `requests-and-outcomes-per-${unit}.png`,
      pngBase64: png.toString('base64'),
      altText: trendAltText(args.trend, args.suppress, ctxArgs),
    };
  } finally {
    chart.destroy();
  }
}
