/**
 * A typed subset of Adaptive Cards 1.5, as Teams renders it, and small pure constructors.
 * Every card Concordat sends is built from these, so the JSON shape is checked by the compiler
 * rather than by eye. No SDK types leak out of here: a card is plain data.
 */

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export type TextColor = 'default' | 'accent' | 'good' | 'warning' | 'attention' | 'light' | 'dark';
export type TextSize = 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  weight?: 'default' | 'bolder' | 'lighter';
  size?: TextSize;
  color?: TextColor;
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large';
  id?: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Array<{ title: string; value: string }>;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  id?: string;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large';
}

export interface ImageElement {
  type: 'Image';
  url: string;
  altText: string;
  size?: 'auto' | 'stretch' | 'small' | 'medium' | 'large';
}

interface InputBase {
  id: string;
  label: string;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface InputText extends InputBase {
  type: 'Input.Text';
  value?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
}

export interface InputNumber extends InputBase {
  type: 'Input.Number';
  value?: number;
  min?: number;
  max?: number;
  placeholder?: string;
}

export interface InputDate extends InputBase {
  type: 'Input.Date';
  value?: string;
}

export interface InputTime extends InputBase {
  type: 'Input.Time';
  value?: string;
}

export interface InputChoiceSet extends InputBase {
  type: 'Input.ChoiceSet';
  choices: Array<{ title: string; value: string }>;
  value?: string;
  style?: 'compact' | 'expanded';
  placeholder?: string;
}

export type CardInput = InputText | InputNumber | InputDate | InputTime | InputChoiceSet;

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
}

export type CardElement = TextBlock | FactSet | Container | ImageElement | CardInput | ActionSet;

/** What a button carries back to the bot besides the inputs. `verb` routes it. */
export type ActionData = Record<string, string>;

export interface ActionSubmit {
  type: 'Action.Submit';
  title: string;
  data: ActionData & { verb: string };
  style?: 'default' | 'positive' | 'destructive';
}

export interface ActionExecute {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: ActionData;
  style?: 'default' | 'positive' | 'destructive';
  /** Older Teams clients that do not know Universal Actions render this instead. */
  fallback?: ActionSubmit;
}

export interface ActionShowCard {
  type: 'Action.ShowCard';
  title: string;
  card: AdaptiveCard;
}

export type CardAction = ActionExecute | ActionSubmit | ActionShowCard;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema?: string;
  version: string;
  body: CardElement[];
  actions?: CardAction[];
  /** Universal Actions: Teams runs this Action.Execute when the card is shown, to get a fresh card. */
  refresh?: { action: ActionExecute; userIds?: string[] };
  msteams?: { width: 'Full' };
}

// Constructors

export function card(
  body: CardElement[],
  extra: Partial<Omit<AdaptiveCard, 'type' | 'body'>> = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    body,
    msteams: { width: 'Full' },
    ...extra,
  };
}

/** A card nested in Action.ShowCard: no schema or width, the host card has them. */
export function subCard(body: CardElement[], actions: CardAction[]): AdaptiveCard {
  return { type: 'AdaptiveCard', version: CARD_VERSION, body, actions };
}

export function text(value: string, options: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

export function heading(value: string): TextBlock {
  return text(value, { size: 'medium', weight: 'bolder' });
}

export function facts(pairs: ReadonlyArray<readonly [string, string]>): FactSet {
  return { type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) };
}

export function container(items: CardElement[], style?: ContainerStyle, id?: string): Container {
  return { type: 'Container', items, ...(style ? { style } : {}), ...(id ? { id } : {}) };
}

/**
 * Action.Execute (Universal Actions, an `adaptiveCard/action` invoke) with an Action.Submit
 * fallback carrying the same verb and data, for clients that predate Universal Actions.
 */
export function execute(
  title: string,
  verb: string,
  data: ActionData,
  style?: ActionExecute['style'],
): ActionExecute {
  const withStyle = style ? { style } : {};
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...withStyle,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb }, ...withStyle },
  };
}

export function showCard(title: string, body: CardElement[], actions: CardAction[]): ActionShowCard {
  return { type: 'Action.ShowCard', title, card: subCard(body, actions) };
}

/** A red line under an input naming what is wrong with it. */
export function fieldError(inputId: string, label: string, message: string): TextBlock {
  return text(`${label}: ${message}`, {
    color: 'attention',
    size: 'small',
    spacing: 'none',
    id: `${inputId}__error`,
  });
}

export function choices<K extends string>(labels: Record<K, string>): Array<{ title: string; value: K }> {
  return (Object.keys(labels) as K[]).map((value) => ({ title: labels[value], value }));
}

/** Every element of a card, depth first, including those inside ShowCard sub-cards. */
export function walkCard(root: AdaptiveCard): Array<CardElement | CardAction> {
  const out: Array<CardElement | CardAction> = [];
  const visitAction = (a: CardAction): void => {
    out.push(a);
    if (a.type === 'Action.ShowCard') visitCard(a.card);
  };
  const visitElement = (e: CardElement): void => {
    out.push(e);
    if (e.type === 'Container') e.items.forEach(visitElement);
    if (e.type === 'ActionSet') e.actions.forEach(visitAction);
  };
  const visitCard = (c: AdaptiveCard): void => {
    c.body.forEach(visitElement);
    c.actions?.forEach(visitAction);
  };
  visitCard(root);
  return out;
}
