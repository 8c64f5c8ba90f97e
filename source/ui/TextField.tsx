/**
 * The wizard's one-line text field (in place of @inkjs/ui's TextInput, which it looks like: the same
 * placeholder and block cursor). Editing is editing.ts's reducer, on the field as of the last key (held in
 * a ref, not the rendered state): keys that arrive together, before React renders, still apply one after
 * the other, and Enter hands on everything typed before it. It reads the input as Ink received it (Ink's
 * input event), not Ink's parsed key, which has Backspace and Delete as the same key and a read of several
 * keys as one. What is shown goes through visible(): a value given on the command line may hold anything.
 */
import { Text, useStdin } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { visible } from '../visible.js';
import { edit, fieldActions, fieldOf, type Field } from './editing.js';

export interface TextFieldProps {
  /** The text it starts with (read once). */
  defaultValue?: string | undefined;
  /** Shown dimmed while the field is empty. */
  placeholder?: string | undefined;
  /** No cursor, and no keys read. @default false */
  isDisabled?: boolean | undefined;
  /** Called with the new text after each change (in the same turn as the key). */
  onChange?(value: string): void;
  /** Enter, with the text as it is. */
  onSubmit?(value: string): void;
}

export function TextField({ defaultValue = '', placeholder = '', isDisabled = false, onChange, onSubmit }: TextFieldProps) {
  const [field, setField] = useState<Field>(() => fieldOf(defaultValue));
  const latest = useRef(field);
  const handlers = useRef({ onChange, onSubmit });
  handlers.current = { onChange, onSubmit };
  const { setRawMode, internal_eventEmitter: events } = useStdin();

  useEffect(() => {
    if (isDisabled) return;
    setRawMode(true);
    const onInput = (input: string) => {
      let shown = latest.current;
      const show = () => {
        if (latest.current === shown) return;
        const changed = latest.current.value !== shown.value;
        shown = latest.current;
        setField(shown);
        if (changed) handlers.current.onChange?.(shown.value);
      };
      for (const action of fieldActions(input)) {
        if (action.type === 'submit') {
          show();
          handlers.current.onSubmit?.(latest.current.value);
        } else latest.current = edit(latest.current, action);
      }
      show();
    };
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      setRawMode(false);
    };
  }, [isDisabled, setRawMode, events]);

  const chars = Array.from(field.value);
  if (!chars.length) {
    if (isDisabled) return <Text dimColor>{placeholder}</Text>;
    if (!placeholder) return <Text inverse> </Text>;
    const [first = '', ...rest] = Array.from(placeholder);
    return (
      <Text>
        <Text inverse>{first}</Text>
        <Text dimColor>{rest.join('')}</Text>
      </Text>
    );
  }
  if (isDisabled) return <Text>{visible(field.value)}</Text>;
  const at = Math.min(field.cursor, chars.length);
  return (
    <Text>
      {visible(chars.slice(0, at).join(''))}
      <Text inverse>{at < chars.length ? visible(chars[at]!) : ' '}</Text>
      {visible(chars.slice(at + 1).join(''))}
    </Text>
  );
}
