/**
 * Block Kit in the browser: one renderer per block type and per element type the Slack bot's
 * builders emit (tests/sandbox/renderer-coverage.test.ts walks the builders' outputs and fails on
 * any type missing here). Inputs are rendered as labelled form controls, so a person (or a test)
 * finds them by their visible label; `readState` turns them back into Slack's `state.values`.
 */

export type Json = Record<string, unknown>;

export interface BlockContext {
  /** A button, select or picker in an actions block (or a section accessory) was used. */
  onAction(action: {
    actionId: string;
    blockId: string;
    type: string;
    value?: string;
    text?: string;
    selectedOption?: { value: string; text: string };
  }): void;
  /** Inline errors by block ID (a modal after a refused submission). */
  errors?: Record<string, string>;
  /** Prefix for element IDs, unique per surface. */
  idPrefix: string;
}

const asJson = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const textOf = (t: unknown): string => str(asJson(t).text);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const names = new Map<string, string>();
/** Channel and person names for mentions (`<#C0EDT>` shows as #Emergency Duty Team). */
export function setMentionNames(entries: Iterable<[string, string]>): void {
  for (const [id, name] of entries) names.set(id, name);
}

/** The emoji shortcodes the bot writes, as Slack shows them. */
export const EMOJI: Record<string, string> = {
  rotating_light: '🚨',
  red_circle: '🔴',
  white_check_mark: '✅',
  warning: '⚠️',
  large_orange_circle: '🟠',
  large_blue_circle: '🔵',
  hourglass_flowing_sand: '⏳',
};

/** Slack mrkdwn to HTML: *bold*, _italic_, ~strike~, `code`, <url|text>, :emoji:, line breaks. */
export function mrkdwnToHtml(src: string): string {
  // Slack's own escapes first come back as characters, then everything is escaped once.
  const raw = src.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const links: string[] = [];
  const withoutLinks = raw.replace(/<([^>|]+)(?:\|([^>]+))?>/g, (_m, url: string, label?: string) => {
    // <#C123> is a channel mention, <@U123> a person's: shown by name, as Slack does.
    const mention = /^([#@])([A-Z0-9]+)$/.exec(url);
    if (mention) {
      const name = label ?? names.get(mention[2] ?? '') ?? mention[2] ?? '';
      links.push(`<span class="mention">${mention[1] ?? ''}${escapeHtml(name)}</span>`);
      return `@@link${links.length - 1}@@`;
    }
    links.push(`<a href="${escapeHtml(url)}">${escapeHtml(label ?? url)}</a>`);
    return `@@link${links.length - 1}@@`;
  });
  return escapeHtml(withoutLinks)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])~([^~\n]+)~/g, '$1<del>$2</del>')
    .replace(/:([a-z_]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/\n/g, '<br>')
    .replace(/@@link(\d+)@@/g, (_m, i: string) => links[Number(i)] ?? '');
}

function textElement(t: unknown): HTMLElement {
  const o = asJson(t);
  const span = el('span');
  if (o.type === 'mrkdwn') span.innerHTML = mrkdwnToHtml(str(o.text));
  else span.textContent = str(o.text);
  return span;
}

type ElementRenderer = (element: Json, blockId: string, ctx: BlockContext, inInput: boolean) => HTMLElement;
type BlockRenderer = (block: Json, ctx: BlockContext) => HTMLElement;

function optionsOf(element: Json): Array<{ value: string; text: string }> {
  const list = Array.isArray(element.options) ? element.options : [];
  return list.map((o) => ({ value: str(asJson(o).value), text: textOf(asJson(o).text) }));
}

function controlId(ctx: BlockContext, blockId: string): string {
  return `${ctx.idPrefix}-${blockId}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

const pad = (n: number) => String(n).padStart(2, '0');
function localDateTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Element renderers, by Block Kit element type. */
export const elementRenderers: Record<string, ElementRenderer> = {
  button(element, blockId, ctx) {
    const b = el('button', `bk-button ${str(element.style)}`.trim(), textOf(element.text));
    b.type = 'button';
    b.addEventListener('click', () =>
      ctx.onAction({
        actionId: str(element.action_id),
        blockId,
        type: 'button',
        value: str(element.value),
        text: textOf(element.text),
      }),
    );
    return b;
  },
  static_select(element, blockId, ctx, inInput) {
    const s = el('select');
    s.dataset.kind = 'static_select';
    const placeholder = el('option', undefined, textOf(element.placeholder) || 'Choose…');
    placeholder.value = '';
    s.append(placeholder);
    const initial = str(asJson(element.initial_option).value);
    for (const o of optionsOf(element)) {
      const opt = el('option', undefined, o.text);
      opt.value = o.value;
      if (o.value === initial) opt.selected = true;
      s.append(opt);
    }
    if (!inInput) {
      s.addEventListener('change', () => {
        const o = optionsOf(element).find((x) => x.value === s.value);
        if (o)
          ctx.onAction({
            actionId: str(element.action_id),
            blockId,
            type: 'static_select',
            selectedOption: o,
          });
      });
    }
    return s;
  },
  radio_buttons(element, blockId, ctx) {
    const group = el('div');
    group.setAttribute('role', 'radiogroup');
    group.dataset.kind = 'radio_buttons';
    const initial = str(asJson(element.initial_option).value);
    for (const o of optionsOf(element)) {
      const label = el('label', 'bk-radio');
      const r = el('input');
      r.type = 'radio';
      r.name = controlId(ctx, blockId);
      r.value = o.value;
      r.dataset.text = o.text;
      if (o.value === initial) r.checked = true;
      label.append(r, document.createTextNode(o.text));
      group.append(label);
    }
    return group;
  },
  checkboxes(element, blockId, ctx) {
    const group = el('div');
    group.dataset.kind = 'checkboxes';
    for (const o of optionsOf(element)) {
      const label = el('label', 'bk-radio');
      const c = el('input');
      c.type = 'checkbox';
      c.name = controlId(ctx, blockId);
      c.value = o.value;
      c.dataset.text = o.text;
      label.append(c, document.createTextNode(o.text));
      group.append(label);
    }
    return group;
  },
  plain_text_input(element) {
    const multiline = element.multiline === true;
    const input = multiline ? el('textarea') : el('input');
    if (input instanceof HTMLTextAreaElement) input.rows = 3;
    input.dataset.kind = 'plain_text_input';
    input.value = str(element.initial_value);
    const ph = textOf(element.placeholder);
    if (ph) input.placeholder = ph;
    return input;
  },
  number_input(element) {
    const input = el('input');
    input.type = 'number';
    input.dataset.kind = 'number_input';
    input.value = str(element.initial_value);
    return input;
  },
  datepicker(element) {
    const input = el('input');
    input.type = 'date';
    input.dataset.kind = 'datepicker';
    input.value = str(element.initial_date);
    return input;
  },
  timepicker(element) {
    const input = el('input');
    input.type = 'time';
    input.dataset.kind = 'timepicker';
    input.value = str(element.initial_time);
    return input;
  },
  datetimepicker(element) {
    const input = el('input');
    input.type = 'datetime-local';
    input.dataset.kind = 'datetimepicker';
    if (typeof element.initial_date_time === 'number') input.value = localDateTime(element.initial_date_time);
    return input;
  },
  image(element) {
    const img = el('img');
    img.src = str(element.image_url);
    img.alt = str(element.alt_text);
    img.style.maxWidth = '100%';
    return img;
  },
  mrkdwn: (element) => textElement(element),
  plain_text: (element) => textElement(element),
};

function renderElement(element: unknown, blockId: string, ctx: BlockContext, inInput = false): HTMLElement {
  const e = asJson(element);
  const r = elementRenderers[str(e.type)];
  return r ? r(e, blockId, ctx, inInput) : el('span', 'bk-unknown', `[${str(e.type)}]`);
}

/** Block renderers, by Block Kit block type. */
export const blockRenderers: Record<string, BlockRenderer> = {
  section(block, ctx) {
    const wrap = el('div', 'bk-section');
    const left = el('div');
    if (block.text) left.append(textElement(block.text));
    if (Array.isArray(block.fields)) {
      const grid = el('div', 'bk-fields');
      for (const f of block.fields) {
        const cell = el('div');
        cell.append(textElement(f));
        grid.append(cell);
      }
      left.append(grid);
    }
    wrap.append(left);
    if (block.accessory) wrap.append(renderElement(block.accessory, str(block.block_id), ctx));
    return wrap;
  },
  header(block) {
    return el('div', 'bk-header', textOf(block.text));
  },
  divider() {
    return el('hr', 'bk-divider');
  },
  context(block, ctx) {
    const wrap = el('div', 'bk-context');
    for (const e of Array.isArray(block.elements) ? block.elements : []) {
      wrap.append(renderElement(e, str(block.block_id), ctx));
    }
    return wrap;
  },
  actions(block, ctx) {
    const wrap = el('div', 'bk-actions');
    for (const e of Array.isArray(block.elements) ? block.elements : []) {
      wrap.append(renderElement(e, str(block.block_id), ctx));
    }
    return wrap;
  },
  image(block) {
    const img = el('img');
    img.src = str(block.image_url);
    img.alt = str(block.alt_text);
    img.style.maxWidth = '100%';
    return img;
  },
  input(block, ctx) {
    const blockId = str(block.block_id);
    const wrap = el('div', 'bk-input');
    wrap.dataset.blockId = blockId;
    const element = asJson(block.element);
    wrap.dataset.actionId = str(element.action_id);
    const id = controlId(ctx, blockId);
    const label = el('label', 'label', textOf(block.label) + (block.optional === true ? ' (optional)' : ''));
    const control = renderElement(element, blockId, ctx, true);
    const kind = str(element.type);
    if (kind === 'radio_buttons' || kind === 'checkboxes') {
      control.setAttribute('aria-label', textOf(block.label));
      label.id = `${id}-label`;
      control.setAttribute('aria-labelledby', label.id);
    } else {
      control.id = id;
      label.htmlFor = id;
    }
    wrap.append(label, control);
    if (block.hint) wrap.append(el('div', 'hint', textOf(block.hint)));
    const error = ctx.errors?.[blockId];
    if (error) {
      wrap.classList.add('has-error');
      const e = el('div', 'error', error);
      e.setAttribute('role', 'alert');
      wrap.append(e);
    }
    return wrap;
  },
};

export function renderBlocks(blocks: unknown, ctx: BlockContext): HTMLElement {
  const wrap = el('div', 'bk-blocks');
  for (const b of Array.isArray(blocks) ? blocks : []) {
    const block = asJson(b);
    const r = blockRenderers[str(block.type)];
    wrap.append(r ? r(block, ctx) : el('div', 'bk-unknown', `[unsupported block ${str(block.type)}]`));
  }
  return wrap;
}

/** The values of a rendered modal's inputs, as Slack's `view.state.values`. */
export function readState(root: HTMLElement): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  for (const wrap of Array.from(root.querySelectorAll<HTMLElement>('.bk-input'))) {
    const blockId = wrap.dataset.blockId ?? '';
    const actionId = wrap.dataset.actionId ?? '';
    const control = wrap.querySelector<HTMLElement>('[data-kind]');
    const kind = control?.dataset.kind ?? '';
    let state: Json = { type: kind };
    if (control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement) {
      const v = control.value;
      if (kind === 'datepicker') state = { type: kind, selected_date: v || null };
      else if (kind === 'timepicker') state = { type: kind, selected_time: v || null };
      else if (kind === 'datetimepicker')
        state = { type: kind, selected_date_time: v ? Math.floor(new Date(v).getTime() / 1000) : null };
      else state = { type: kind, value: v || null };
    } else if (control instanceof HTMLSelectElement) {
      const o = control.selectedOptions[0];
      state = {
        type: kind,
        selected_option:
          control.value && o ? { text: { type: 'plain_text', text: o.text }, value: control.value } : null,
      };
    } else if (control && kind === 'radio_buttons') {
      const r = control.querySelector<HTMLInputElement>('input:checked');
      state = {
        type: kind,
        selected_option: r
          ? { text: { type: 'plain_text', text: r.dataset.text ?? r.value }, value: r.value }
          : null,
      };
    } else if (control && kind === 'checkboxes') {
      state = {
        type: kind,
        selected_options: Array.from(control.querySelectorAll<HTMLInputElement>('input:checked')).map(
          (c) => ({
            text: { type: 'plain_text', text: c.dataset.text ?? c.value },
            value: c.value,
          }),
        ),
      };
    }
    out[blockId] = { [actionId]: state };
  }
  return out;
}
