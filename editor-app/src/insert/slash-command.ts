import { Extension, type Editor, type Range } from '@tiptap/core';
import { PluginKey } from '@tiptap/pm/state';
import { ReactRenderer } from '@tiptap/react';
import Suggestion, { type SuggestionProps } from '@tiptap/suggestion';
import { applyBlock } from './block-commands.js';
import { filterSlashItems, moveHighlight, opensSlashMenu, type SlashItem } from './slash-items.js';
import { SlashMenu, type SlashMenuProps } from './SlashMenu.js';

export interface SlashCommandOptions {
  /** Opens the image picker (the "Image" entry); the upload inserts the image. */
  readonly pickImage: () => void;
}

const slashMenuKey = new PluginKey('slashMenu');

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    slashCommand: {
      /** Opens the image file picker (the toolbar's and the slash menu's Image). */
      pickImage: () => ReturnType;
    };
  }
}

/**
 * "/" at the start of an empty paragraph opens a menu of blocks (Tiptap's
 * Suggestion utility): typing filters it, ↑ ↓ move, Enter inserts, Esc
 * closes and leaves the "/" as text.
 */
export const SlashCommand = Extension.create<SlashCommandOptions>({
  name: 'slashCommand',

  addOptions() {
    return { pickImage: () => {} };
  },

  addCommands() {
    return {
      pickImage: () => () => {
        this.options.pickImage();
        return true;
      },
    };
  },

  addProseMirrorPlugins() {
    const { pickImage } = this.options;
    return [
      Suggestion<SlashItem, SlashItem>({
        editor: this.editor,
        pluginKey: slashMenuKey,
        char: '/',
        startOfLine: true,
        allow: ({ state, range }) => {
          const $from = state.doc.resolve(range.from);
          return $from.parentOffset === 0 && opensSlashMenu({ type: $from.parent.type.name, text: $from.parent.textContent });
        },
        items: ({ query }) => filterSlashItems(query),
        command: ({ editor, range, props }) => chooseBlock(editor, range, props, pickImage),
        render: () => {
          let renderer: ReactRenderer<unknown, SlashMenuProps> | undefined;
          let unmount: (() => void) | undefined;
          let current: SuggestionProps<SlashItem, SlashItem> | undefined;
          let highlighted = 0;
          const show = () => {
            if (!renderer || !current) return;
            const props = current;
            renderer.updateProps({ items: props.items, highlighted, onChoose: (item: SlashItem) => props.command(item) });
            const active = props.items[highlighted];
            if (active) props.editor.view.dom.setAttribute('aria-activedescendant', `slash-item-${active.kind}`);
            else props.editor.view.dom.removeAttribute('aria-activedescendant');
          };
          return {
            onStart: (props) => {
              current = props;
              highlighted = 0;
              renderer = new ReactRenderer(SlashMenu, {
                editor: props.editor,
                props: { items: props.items, highlighted, onChoose: (item: SlashItem) => props.command(item) },
                className: 'slash-menu__popup',
              });
              unmount = props.mount(renderer.element);
              props.editor.view.dom.setAttribute('aria-controls', 'slash-menu');
              show();
            },
            onUpdate: (props) => {
              if (props.query !== current?.query) highlighted = 0;
              current = props;
              show();
            },
            onKeyDown: ({ event }) => {
              if (!current) return false;
              if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                highlighted = moveHighlight(highlighted, event.key === 'ArrowDown' ? 1 : -1, current.items.length);
                show();
                return true;
              }
              if (event.key === 'Enter' || event.key === 'Tab') {
                const item = current.items[highlighted];
                if (!item) return false;
                current.command(item);
                return true;
              }
              return false;
            },
            onExit: (props) => {
              unmount?.();
              renderer?.destroy();
              props.editor.view.dom.removeAttribute('aria-controls');
              props.editor.view.dom.removeAttribute('aria-activedescendant');
              renderer = undefined;
              unmount = undefined;
              current = undefined;
            },
          };
        },
      }),
    ];
  },
});

function chooseBlock(editor: Editor, range: Range, item: SlashItem, pickImage: () => void): void {
  // The "/query" goes; the now-empty paragraph becomes the block.
  applyBlock(editor.chain().focus().deleteRange(range), item.kind, pickImage);
}
