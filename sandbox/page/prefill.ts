/**
 * A scenario's form answers, filled into the form the bot sent (a Slack modal's inputs by block
 * ID, a Teams card's inputs by ID) before it is shown, so the trainee reads and submits it. The
 * bot's own form is used unchanged; only its initial values are set, as a person typing would.
 *
 * Times are written relative to now: `-20m` (20 minutes ago), `+1d 10:00` (tomorrow at 10:00).
 */
export type Answers = Record<string, string>;
type Json = Record<string, unknown>;

const pad = (n: number) => String(n).padStart(2, '0');

/** `-20m`, `+2h`, `+1d 10:00` → a Date; anything else → undefined. */
export function relativeTime(text: string, now = new Date()): Date | undefined {
  const m = /^([+-])(\d+)([mhd])(?:\s+(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const n = Number(m[2]) * sign;
  const unit = m[3] === 'm' ? 60_000 : m[3] === 'h' ? 3_600_000 : 86_400_000;
  const d = new Date(now.getTime() + n * unit);
  if (m[4] !== undefined && m[5] !== undefined) d.setHours(Number(m[4]), Number(m[5]), 0, 0);
  return d;
}

const dateText = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const timeText = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

function optionWith(element: Json, value: string): Json | undefined {
  const list = Array.isArray(element.options) ? (element.options as Json[]) : [];
  return list.find((o) => o.value === value);
}

export function prefillView(view: Json, answers: Answers): Json {
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Json[]) : [];
  return {
    ...view,
    blocks: blocks.map((b) => {
      const blockId = typeof b.block_id === 'string' ? b.block_id : '';
      const answer = answers[blockId];
      if (b.type !== 'input' || answer === undefined) return b;
      const element = { ...(b.element as Json) };
      switch (element.type) {
        case 'plain_text_input':
        case 'number_input':
          element.initial_value = answer;
          break;
        case 'static_select':
        case 'radio_buttons': {
          const o = optionWith(element, answer);
          if (o) element.initial_option = o;
          break;
        }
        case 'datepicker': {
          const d = relativeTime(answer);
          element.initial_date = d ? dateText(d) : answer;
          break;
        }
        case 'timepicker': {
          const d = relativeTime(answer);
          element.initial_time = d ? timeText(d) : answer;
          break;
        }
        case 'datetimepicker': {
          const d = relativeTime(answer);
          if (d) element.initial_date_time = Math.floor(d.getTime() / 1000);
          break;
        }
        default:
          break;
      }
      return { ...b, element };
    }),
  };
}

export function prefillCard(card: Json, answers: Answers): Json {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o = { ...(v as Json) };
    for (const [k, child] of Object.entries(o)) if (typeof child === 'object') o[k] = walk(child);
    const id = typeof o.id === 'string' ? o.id : undefined;
    const type = typeof o.type === 'string' ? o.type : '';
    const answer = id ? answers[id] : undefined;
    if (answer !== undefined && type.startsWith('Input.')) {
      const d = relativeTime(answer);
      o.value = d && type === 'Input.Date' ? dateText(d) : d && type === 'Input.Time' ? timeText(d) : answer;
    }
    return o;
  };
  return walk(card) as Json;
}
