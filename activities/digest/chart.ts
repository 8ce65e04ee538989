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
  Title,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import type { DigestMessageView } from '../../domain/chat-port.js';
import type { TrendPoint } from '../../domain/digest/figures.js';
import { SUPPRESSED } from '../../domain/digest/suppression.js';
import { trendAltText, trendSeries } from '../../domain/digest/trend.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Title,
);

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 500;
/** DejaVu Sans ships with most Linux images; the others are fallbacks where it does not. */
const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

const HELD_COLOUR = '#b42318';
const REQUEST_COLOUR = '#1d4ed8';

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

/** Writes "<5" above each week whose count was withheld, so a gap is not read as zero. */
function suppressedMarks(
  ctx: SKRSContext2D,
  indexes: { held: number[]; requests: number[] },
): Plugin<'bar' | 'line'> {
  return {
    id: 'concordatSuppressed',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const y = chart.scales.y;
      if (!x || !y) return;
      ctx.save();
      ctx.font = `bold 13px ${FONT_FAMILY}`;
      ctx.textAlign = 'center';
      const mark = (i: number, colour: string, dy: number) => {
        ctx.fillStyle = colour;
        ctx.fillText(SUPPRESSED, x.getPixelForValue(i), y.getPixelForValue(0) - dy);
      };
      indexes.held.forEach((i) => mark(i, HELD_COLOUR, 6));
      indexes.requests.forEach((i) => mark(i, REQUEST_COLOUR, 22));
      ctx.restore();
    },
  };
}

/**
 * The trend chart: children held in police detention after charge per week (bars), against bed
 * requests per week (line). Chart.js drawing onto a @napi-rs/canvas (prebuilt Skia, no system
 * libraries), as a PNG. With suppression on, weekly counts of 1–4 are not drawn and "<5" is
 * written in their place.
 */
export function renderTrendChart(args: {
  trend: readonly TrendPoint[];
  suppress: boolean;
  title: string;
  filename?: string;
  width?: number;
  height?: number;
}): NonNullable<DigestMessageView['chart']> & { png: Buffer } {
  const width = args.width ?? CHART_WIDTH;
  const height = args.height ?? CHART_HEIGHT;
  const series = trendSeries(args.trend, args.suppress);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');

  Chart.defaults.font.family = FONT_FAMILY;
  const config: ChartConfiguration<'bar' | 'line', Array<number | null>, string> = {
    type: 'bar',
    data: {
      labels: series.labels,
      datasets: [
        {
          type: 'bar',
          label: 'Children held in police detention after charge',
          data: series.detained,
          backgroundColor: HELD_COLOUR,
          order: 2,
        },
        {
          type: 'line',
          label: 'Bed requests',
          data: series.requests,
          borderColor: REQUEST_COLOUR,
          backgroundColor: REQUEST_COLOUR,
          borderWidth: 2,
          pointRadius: 3,
          spanGaps: false,
          order: 1,
        },
      ],
    },
    options: {
      animation: false,
      responsive: false,
      maintainAspectRatio: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: args.title, font: { size: 18 } },
        legend: { position: 'bottom' },
      },
      scales: {
        x: { title: { display: true, text: 'Week beginning (Monday)' } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Children' } },
      },
    },
    plugins: [
      whiteBackground,
      suppressedMarks(ctx, { held: series.suppressedDetained, requests: series.suppressedRequests }),
    ],
  };
  // Chart.js accepts any object with a 2D context; napi-rs's matches the DOM one it expects.
  const chart = new Chart(ctx, config);
  try {
    chart.draw();
    const png = canvas.toBuffer('image/png');
    return {
      png,
      filename: args.filename ?? 'children-held-per-week.png',
      pngBase64: png.toString('base64'),
      altText: trendAltText(args.trend, args.suppress),
    };
  } finally {
    chart.destroy();
  }
}
