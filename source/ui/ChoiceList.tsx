/**
 * A list to choose from, in a given number of rows: ↑↓ move, PgUp/PgDn a page, Home/End to either end,
 * Enter chooses. The
 * options keep their order; the current answer is focused, not moved. When the list is longer than its
 * rows, a line above and a line below say how many options are out of sight ("↑ 2 more above",
 * "↓ 5 more below"). A label may take several lines (pre-wrapped, joined with "\n").
 */
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';

export interface ChoiceOption {
  value: string;
  label: string;
  /** The label in colours of its own, shown when the option is not focused (focused, it is blue). */
  painted?: string | undefined;
}

export interface ChoiceListProps {
  options: readonly ChoiceOption[];
  /** The value focused first (the answer so far); the first option when absent or not listed. */
  focus?: string | undefined;
  /** Rows the list may take, its "more" lines included. @default every option's */
  rows?: number | undefined;
  /** Text shown bold in the labels (what was typed to filter). */
  highlight?: string | undefined;
  isActive: boolean;
  onChoose(value: string): void;
}

interface Place {
  /** The options the place belongs to (their values): another list starts afresh. */
  signature: string;
  index: number;
  top: number;
}

/** The options shown from `top` in `room` rows: the index after the last one (at least one is shown). */
function endOf(heights: readonly number[], top: number, room: number): number {
  let used = 0;
  let end = top;
  while (end < heights.length && (end === top || used + heights[end]! <= room)) used += heights[end++]!;
  return end;
}

/** The first option to show so that `index` is in sight, moving the window as little as possible. */
function topFor(heights: readonly number[], index: number, top: number, room: number): number {
  if (index < top) return index;
  let t = top;
  while (t < index && endOf(heights, t, room) <= index) t++;
  return t;
}

/**
 * What is in sight in `rows` rows, keeping `index` in sight and the first option shown near `top`: the
 * options from `top` to `end`. A list that does not fit gives a row to "more above" where options are
 * out of sight above, and one to "more below" where some are below: `rows` rows in all (fewer where a
 * label of several lines does not fit the rows left).
 */
export function listWindow(heights: readonly number[], index: number, top: number, rows: number) {
  const n = heights.length;
  const total = heights.reduce((a, b) => a + b, 0);
  if (total <= rows) return { top: 0, end: n };
  const both = Math.max(1, rows - 2);
  const one = Math.max(1, rows - 1);
  let t = topFor(heights, index, Math.min(top, Math.max(0, n - 1)), both);
  // At the top: only "more below"; at the bottom: only "more above", and the row it frees shows one more.
  if (t === 0) return { top: 0, end: endOf(heights, 0, one) };
  if (endOf(heights, t, both) < n) return { top: t, end: endOf(heights, t, both) };
  while (t > 0 && endOf(heights, t - 1, one) === n) t--;
  return { top: t, end: endOf(heights, t, one) };
}

export function ChoiceList({ options, focus, rows, highlight, isActive, onChoose }: ChoiceListProps) {
  const signature = options.map((o) => o.value).join('\u0000');
  const heights = options.map((o) => o.label.split('\n').length);
  const limit = rows ?? Number.POSITIVE_INFINITY;
  const fresh = (): Place => {
    const index = Math.max(
      0,
      options.findIndex((o) => o.value === focus),
    );
    return { signature, index, top: listWindow(heights, index, 0, limit).top };
  };
  const [stored, setPlace] = useState<Place>(fresh);
  const place = stored.signature === signature ? stored : fresh();
  const shown = listWindow(heights, place.index, place.top, limit);
  // Keys that arrive together (↓ then Enter in one read) are handled before the next render: each acts
  // on the place the one before it left, not on the place last drawn.
  const latest = useRef(place);
  latest.current = place;

  const move = (to: (index: number, page: number) => number) => {
    const { index: from, top } = latest.current;
    const { top: shownTop, end } = listWindow(heights, from, top, limit);
    const index = Math.min(Math.max(0, to(from, Math.max(1, end - shownTop - 1))), Math.max(0, options.length - 1));
    latest.current = { signature, index, top: listWindow(heights, index, shownTop, limit).top };
    setPlace(latest.current);
  };
  useInput(
    (_input, key) => {
      if (key.upArrow) move((i) => i - 1);
      else if (key.downArrow) move((i) => i + 1);
      else if (key.pageUp) move((i, page) => i - page);
      else if (key.pageDown) move((i, page) => i + page);
      else if (key.home) move(() => 0);
      else if (key.end) move(() => options.length - 1);
      else if (key.return && options[latest.current.index]) onChoose(options[latest.current.index]!.value);
    },
    { isActive: isActive && options.length > 0 },
  );

  const above = shown.top;
  const below = options.length - shown.end;
  return (
    <Box flexDirection="column">
      {above ? <Text dimColor>{`  ↑ ${above} more above`}</Text> : null}
      {options.slice(shown.top, shown.end).map((option, i) => {
        const focused = isActive && shown.top + i === place.index;
        return (
          <Box key={option.value} gap={1} paddingLeft={focused ? 0 : 2}>
            {focused ? <Text color="blue">❯</Text> : null}
            <Text color={focused ? 'blue' : undefined}>{highlighted(focused ? option.label : (option.painted ?? option.label), highlight)}</Text>
          </Box>
        );
      })}
      {below ? <Text dimColor>{`  ↓ ${below} more below`}</Text> : null}
    </Box>
  );
}

/** The label with the first occurrence of `text` in bold. */
function highlighted(label: string, text: string | undefined) {
  const at = text ? label.indexOf(text) : -1;
  if (!text || at < 0) return label;
  return (
    <>
      {label.slice(0, at)}
      <Text bold>{text}</Text>
      {label.slice(at + text.length)}
    </>
  );
}
