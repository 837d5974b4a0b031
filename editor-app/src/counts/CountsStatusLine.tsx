import { useEffect, useState } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import type * as Y from 'yjs';
import { blockAtCursor, setBlockTarget } from './block-targets.js';
import { countableText, countText } from './count-text.js';
import { LENGTH_PRESETS, MAX_TARGET_CHARACTERS, MIN_TARGET_CHARACTERS, onLengthTarget, presetTarget, readLengthTarget, targetStatus, writeLengthTarget, type LengthPreset, type LengthTarget } from './length-target.js';
import './counts.css';

function useLengthTarget(ydoc: Y.Doc): LengthTarget | null {
  const [target, setTarget] = useState(() => readLengthTarget(ydoc));
  useEffect(() => {
    setTarget(readLengthTarget(ydoc));
    return onLengthTarget(ydoc, setTarget);
  }, [ydoc]);
  return target;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * A quiet line under the editor: words and characters of the document (and
 * of the selection, when there is one), and the length target — grey within
 * it, red past it. Editors pick the target; everyone sees it.
 */
export function CountsStatusLine({ editor, ydoc, canSetTarget }: { editor: Editor; ydoc: Y.Doc; canSetTarget: boolean }) {
  const counts = useEditorState({
    editor,
    selector: ({ editor: current }) => {
      const { doc, selection } = current.state;
      const whole = countText(countableText(doc));
      const selected = selection.empty ? null : countText(countableText(doc, selection.from, selection.to));
      const block = blockAtCursor(current.state);
      return {
        words: whole.words,
        characters: whole.characters,
        selectedWords: selected?.words ?? null,
        selectedCharacters: selected?.characters ?? null,
        blockPos: block?.pos ?? null,
        blockLimit: block?.limit ?? null,
      };
    },
    equalityFn: (a, b) =>
      a === b ||
      (a !== null &&
        b !== null &&
        a.words === b.words &&
        a.characters === b.characters &&
        a.selectedWords === b.selectedWords &&
        a.selectedCharacters === b.selectedCharacters &&
        a.blockPos === b.blockPos &&
        a.blockLimit === b.blockLimit),
  });
  const target = useLengthTarget(ydoc);
  const status = targetStatus(counts.characters, target);

  return (
    <div className="counts" data-testid="counts" aria-live="polite">
      <span className="counts__figures">
        {counts.selectedWords !== null && counts.selectedCharacters !== null ? (
          <span data-testid="selection-counts" data-words={counts.selectedWords} data-characters={counts.selectedCharacters}>
            {counts.selectedWords.toLocaleString()} of {plural(counts.words, 'word', 'words')} · {counts.selectedCharacters.toLocaleString()} of{' '}
            {plural(counts.characters, 'character', 'characters')} selected
          </span>
        ) : (
          <span data-testid="document-counts" data-words={counts.words} data-characters={counts.characters}>
            {plural(counts.words, 'word', 'words')} · {plural(counts.characters, 'character', 'characters')}
          </span>
        )}
      </span>
      {status.kind !== 'none' && (
        <span
          className={status.kind === 'over' ? 'counts__target counts__target--over' : 'counts__target'}
          data-testid="length-target"
          data-state={status.kind}
          title={status.kind === 'over' ? `${plural(-status.remaining, 'character', 'characters')} over the target` : `${plural(status.remaining, 'character', 'characters')} left`}
        >
          {status.characters.toLocaleString()} / {status.limit.toLocaleString()}
        </span>
      )}
      {canSetTarget ? (
        <TargetPicker target={target} onChange={(next) => writeLengthTarget(ydoc, next)} label="Length target" none="No length target" testId="length-target" />
      ) : (
        target && <span className="counts__target-name">{labelOf(target)}</span>
      )}
      {canSetTarget && counts.blockPos !== null && (
        <TargetPicker
          // One picker per block: a custom value being typed does not carry over to the next block the cursor enters.
          key={counts.blockPos}
          target={counts.blockLimit === null ? null : asTarget(counts.blockLimit)}
          onChange={(next) => {
            const pos = counts.blockPos;
            if (pos === null || editor.isDestroyed) return;
            editor.view.dispatch(setBlockTarget(editor.state.tr, pos, next?.characters ?? null));
          }}
          label="Length target of this block"
          none="This block: no target"
          prefix="This block: "
          testId="block-target"
        />
      )}
    </div>
  );
}

/** A block stores only its number of characters: shown as the preset of that length, if there is one. */
function asTarget(characters: number): LengthTarget {
  const preset = LENGTH_PRESETS.find((p) => p.characters === characters);
  return preset ? presetTarget(preset.preset) : { preset: 'custom', characters };
}

function labelOf(target: LengthTarget): string {
  return LENGTH_PRESETS.find((p) => p.preset === target.preset)?.label ?? 'Custom target';
}

interface TargetPickerProps {
  target: LengthTarget | null;
  onChange: (target: LengthTarget | null) => void;
  /** Accessible name of the select. */
  label: string;
  /** Text of the "no target" option. */
  none: string;
  /** Put before each option's text ("This block: "). */
  prefix?: string;
  /** `${testId}-select` and `${testId}-custom`. */
  testId: string;
}

function TargetPicker({ target, onChange, label, none, prefix = '', testId }: TargetPickerProps) {
  const [custom, setCustom] = useState(target?.preset === 'custom' ? String(target.characters) : '');
  const [choosingCustom, setChoosingCustom] = useState(false);
  useEffect(() => {
    if (target?.preset === 'custom') setCustom(String(target.characters));
  }, [target]);
  const selected: LengthPreset | 'none' = choosingCustom ? 'custom' : (target?.preset ?? 'none');

  const applyCustom = () => {
    const characters = Number(custom);
    if (Number.isInteger(characters) && characters >= MIN_TARGET_CHARACTERS && characters <= MAX_TARGET_CHARACTERS) {
      onChange({ preset: 'custom', characters });
      setChoosingCustom(false);
    }
  };

  return (
    <span className="counts__picker">
      <label>
        <span className="visually-hidden">{label}</span>
        <select
          data-testid={`${testId}-select`}
          aria-label={label}
          value={selected}
          onChange={(event) => {
            const value = event.target.value as LengthPreset | 'none';
            if (value === 'custom') {
              setChoosingCustom(true);
              return;
            }
            setChoosingCustom(false);
            onChange(value === 'none' ? null : presetTarget(value));
          }}
        >
          <option value="none">{none}</option>
          {LENGTH_PRESETS.map((p) => (
            <option key={p.preset} value={p.preset}>
              {prefix}
              {p.label} ({p.characters})
            </option>
          ))}
          <option value="custom">
            {prefix}
            Custom…
          </option>
        </select>
      </label>
      {selected === 'custom' && (
        <form
          className="counts__custom"
          onSubmit={(event) => {
            event.preventDefault();
            applyCustom();
          }}
        >
          <input
            type="number"
            inputMode="numeric"
            min={MIN_TARGET_CHARACTERS}
            max={MAX_TARGET_CHARACTERS}
            aria-label={`${label}: custom number of characters`}
            data-testid={`${testId}-custom`}
            value={custom}
            onChange={(event) => setCustom(event.target.value)}
            onBlur={applyCustom}
          />
        </form>
      )}
    </span>
  );
}
