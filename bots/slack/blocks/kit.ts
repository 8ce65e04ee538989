import type { types as SlackTypes } from '@slack/bolt';
import { INPUT_ACTION_ID } from '../ids.js';

/** Small pure helpers for Block Kit JSON. Slack's own limits are applied here, once. */

export type Block = SlackTypes.KnownBlock;
export type Button = SlackTypes.Button;
export type ModalView = SlackTypes.ModalView;
export type HomeView = SlackTypes.HomeView;
export type Option = SlackTypes.PlainTextOption;
export type InputElement = SlackTypes.InputBlock['element'];

/** A message body: the notification text (also the fallback) and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function plain(text: string, max = 3000): SlackTypes.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string): SlackTypes.MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, 3000) };
}

export function header(text: string): Block {
  return { type: 'header', text: plain(text, 150) };
}

export function section(text: string, blockId?: string): Block {
  return { type: 'section', text: mrkdwn(text), ...(blockId ? { block_id: blockId } : {}) };
}

/** A section of label/value fields (Slack allows 10 per section). */
export function fields(pairs: ReadonlyArray<readonly [string, string]>): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < pairs.length; i += 10) {
    out.push({
      type: 'section',
      fields: pairs.slice(i, i + 10).map(([k, v]) => mrkdwn(`*${esc(k)}*\n${esc(v)}`)),
    });
  }
  return out;
}

export function context(lines: readonly string[]): Block | null {
  const els = lines.filter((l) => l !== '').slice(0, 10);
  return els.length ? { type: 'context', elements: els.map((l) => mrkdwn(l)) } : null;
}

export function divider(): Block {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: plain(text, 75), action_id: actionId, value, ...(style ? { style } : {}) };
}

export function actions(blockId: string, buttons: Button[]): Block | null {
  return buttons.length ? { type: 'actions', block_id: blockId, elements: buttons.slice(0, 25) } : null;
}

export function option(value: string, text: string): Option {
  return { value, text: plain(text, 75) };
}

export function options(labels: Readonly<Record<string, string>>): Option[] {
  return Object.entries(labels).map(([value, text]) => option(value, text));
}

export function input(
  blockId: string,
  label: string,
  element: InputElement,
  opts: { optional?: boolean; hint?: string } = {},
): Block {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    element,
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(opts.hint, 2000) } : {}),
  };
}

export function textInput(
  opts: { multiline?: boolean; initial?: string; placeholder?: string } = {},
): InputElement {
  return {
    type: 'plain_text_input',
    action_id: INPUT_ACTION_ID,
    multiline: opts.multiline ?? false,
    ...(opts.initial ? { initial_value: opts.initial } : {}),
    ...(opts.placeholder ? { placeholder: plain(opts.placeholder, 150) } : {}),
  };
}

export function select(opts: Option[], initial?: string, placeholder = 'Choose…'): InputElement {
  const init = initial === undefined ? undefined : opts.find((o) => o.value === initial);
  return {
    type: 'static_select',
    action_id: INPUT_ACTION_ID,
    placeholder: plain(placeholder, 150),
    options: opts.slice(0, 100),
    ...(init ? { initial_option: init } : {}),
  };
}

export function radios(opts: Option[], initial?: string): InputElement {
  const init = initial === undefined ? undefined : opts.find((o) => o.value === initial);
  return {
    type: 'radio_buttons',
    action_id: INPUT_ACTION_ID,
    options: opts.slice(0, 10),
    ...(init ? { initial_option: init } : {}),
  };
}

export function dateTimePicker(initialUnixSeconds?: number): InputElement {
  return {
    type: 'datetimepicker',
    action_id: INPUT_ACTION_ID,
    ...(initialUnixSeconds !== undefined ? { initial_date_time: Math.floor(initialUnixSeconds) } : {}),
  };
}

export function datePicker(): InputElement {
  return { type: 'datepicker', action_id: INPUT_ACTION_ID };
}

export function numberInput(): InputElement {
  return { type: 'number_input', action_id: INPUT_ACTION_ID, is_decimal_allowed: false };
}

export function modal(opts: {
  callbackId: string;
  title: string;
  submit?: string;
  close?: string;
  blocks: Block[];
  privateMetadata: string;
}): ModalView {
  return {
    type: 'modal',
    callback_id: opts.callbackId,
    title: plain(opts.title, 24),
    ...(opts.submit ? { submit: plain(opts.submit, 24) } : {}),
    close: plain(opts.close ?? 'Close', 24),
    private_metadata: opts.privateMetadata,
    blocks: opts.blocks.slice(0, 100),
  };
}

export function compact(blocks: ReadonlyArray<Block | null>): Block[] {
  return blocks.filter((b): b is Block => b !== null);
}
